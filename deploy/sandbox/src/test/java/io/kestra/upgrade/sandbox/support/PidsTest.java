package io.kestra.upgrade.sandbox.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PidsTest {

  @Test
  void aZombieIsDeadThoughProcessHandleCallsItAlive() throws Exception {
    // the shell starts `sleep 0` then becomes `sleep 30`, which never reaps it: a zombie child
    Process parent = new ProcessBuilder("sh", "-c", "sleep 0 & exec sleep 30").start();
    try {
      ProcessHandle zombie =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> parent.toHandle().children().findFirst().orElse(null), h -> h != null);
      await().atMost(Duration.ofSeconds(10)).until(() -> Pids.isZombie(zombie.pid()));

      assertThat(zombie.isAlive()).as("what the JDK says").isTrue();
      assertThat(Pids.isAlive(zombie)).isFalse();
      assertThat(Pids.isAlive(parent.toHandle())).isTrue();
    } finally {
      parent.destroyForcibly();
      parent.waitFor();
    }
    assertThat(Pids.isAlive(parent.toHandle())).isFalse();
  }
}
