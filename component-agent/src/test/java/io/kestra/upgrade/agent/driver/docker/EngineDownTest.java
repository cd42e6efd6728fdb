package io.kestra.upgrade.agent.driver.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.Observed;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent whose engine does not answer (a socket nobody listens on): its observation, which every
 * heartbeat carries, says so, and the coordinator's preflight names it.
 */
class EngineDownTest {

  @TempDir Path stateDir;

  @Test
  void anEngineThatDoesNotAnswerIsSaidInTheObservation() throws Exception {
    String host = "unix://" + stateDir.resolve("no-engine.sock");
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
    DockerClient client =
        DockerClientImpl.getInstance(
            config,
            new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .connectionTimeout(Duration.ofSeconds(1))
                .build());
    try (DockerDriver driver =
        new DockerDriver(
            new DockerDriverSettings(
                ComponentKind.WORKER,
                stateDir,
                new DockerDriverSettings.Selector(
                    Optional.of("kestra-worker"), Optional.empty(), Optional.empty(), 1),
                "v{version}",
                DockerDriverSettings.Compose.defaults(),
                new DockerDriverSettings.Management(8081, Optional.empty(), Duration.ofSeconds(1)),
                new DockerDriverSettings.Limits(
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(5)),
                Optional.empty()),
            client,
            Clock.systemUTC())) {
      driver.boot();

      Observed seen = driver.observe();

      assertThat(seen.state()).isEqualTo(ComponentState.UNKNOWN);
      assertThat(seen.ready()).isFalse();
      assertThat(seen.problem()).startsWith("the Docker engine does not answer");
    }
  }
}
