package io.kestra.upgrade.agent.driver.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.time.Duration;

/**
 * The engine client of the docker driver, configured as the {@code docker} command is: {@code
 * DOCKER_HOST}, {@code DOCKER_TLS_VERIFY}, {@code DOCKER_CERT_PATH}, {@code ~/.docker/config.json}
 * (registry credentials for a pull).
 */
public final class Engines {

  private Engines() {}

  /** A client of the engine; the driver closes it. */
  public static DockerClient client() {
    DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
    ZerodepDockerHttpClient http =
        new ZerodepDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .connectionTimeout(Duration.ofSeconds(5))
            // a stop waits for the grace period and a pull for the layers: no response time-out
            .responseTimeout(Duration.ZERO)
            .build();
    return DockerClientImpl.getInstance(config, http);
  }
}
