package io.kestra.upgrade.images;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.time.Duration;
import java.util.Optional;

/**
 * The Docker engine this machine's {@code DOCKER_HOST} names (default {@code
 * unix:///var/run/docker.sock}), through the Engine API. {@code deploy/docker/engine up} provides
 * one on a Debian machine.
 */
public final class Engine {

  /** The command that installs and starts an engine here, for messages. */
  public static final String PROVIDE = "deploy/docker/engine up";

  private Engine() {}

  /** A client of the engine; the caller closes it. */
  public static DockerClient client() {
    DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
    ZerodepDockerHttpClient http =
        new ZerodepDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .connectionTimeout(Duration.ofSeconds(5))
            // image builds and container waits are long calls: no response time-out
            .responseTimeout(Duration.ZERO)
            .build();
    return DockerClientImpl.getInstance(config, http);
  }

  /** Why no engine can be used, or empty when one answers. */
  public static Optional<String> unavailable() {
    try (DockerClient docker = client()) {
      docker.pingCmd().exec();
      return Optional.empty();
    } catch (Exception e) {
      return Optional.of(
          "no Docker engine answers at "
              + DefaultDockerClientConfig.createDefaultConfigBuilder().build().getDockerHost()
              + " ("
              + e.getMessage()
              + "); `"
              + PROVIDE
              + "` installs and starts one");
    }
  }
}
