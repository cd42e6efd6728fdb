package io.kestra.upgrade.agent.driver.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reaper with a real orphan. The test JVM makes itself a child subreaper, so that an orphaned
 * grandchild is re-parented to it as it would be to an agent that is pid 1.
 */
class ZombieReaperTest {

  private final ZombieReaper reaper = new ZombieReaper();

  @AfterEach
  void close() {
    reaper.close();
  }

  @Test
  void anOrphanedGrandchildThatEndsIsReaped() throws Exception {
    ZombieReaper.becomeSubreaper();
    // sh prints the pid of its background sleep and exits: the sleep is orphaned to this JVM
    Process sh = new ProcessBuilder("sh", "-c", "sleep 0.3 & echo $!").start();
    long orphan;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(sh.getInputStream(), StandardCharsets.UTF_8))) {
      orphan = Long.parseLong(out.readLine().strip());
    }
    assertThat(sh.waitFor()).isZero();
    long self = ProcessHandle.current().pid();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Pids.stat(orphan).map(s -> s.parent() == self && s.zombie()).orElse(false));
    assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive))
        .as("what the JDK says")
        .contains(true);

    int[] reaped = {0};
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              reaped[0] += reaper.reapNow();
              return Pids.stat(orphan).isEmpty();
            });
    assertThat(reaped[0]).isEqualTo(1);
  }

  @Test
  void theChildrenTheAgentStartedKeepTheirExitCodes() throws Exception {
    ZombieReaper.becomeSubreaper();
    // scans far more often than the agent's, to give a race every chance
    reaper.start(Duration.ofMillis(5));
    for (int i = 0; i < 50; i++) {
      Process child = ZombieReaper.start(new ProcessBuilder("sh", "-c", "exit 7"));
      assertThat(child.waitFor()).isEqualTo(7);
    }
  }
}
