package io.kestra.upgrade.agent.driver.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Liveness with a real zombie: a child its parent never reaps. */
class PidsTest {

  private Process parent;

  @AfterEach
  void kill() {
    if (parent != null) {
      parent.destroyForcibly();
    }
  }

  /**
   * {@code sleep 0} ends at once; its parent became {@code sleep 30} by exec, which never waits for
   * children, so it stays a zombie until the parent ends.
   */
  static Process withZombieChild() throws Exception {
    return new ProcessBuilder("sh", "-c", "sleep 0 & exec sleep 30").start();
  }

  static ProcessHandle zombieChildOf(Process parent) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> parent.toHandle().children().filter(c -> Pids.isZombie(c.pid())).findFirst(),
            java.util.Optional::isPresent)
        .orElseThrow();
  }

  @Test
  void aZombieIsDeadThoughTheJdkCallsItAlive() throws Exception {
    parent = withZombieChild();
    ProcessHandle zombie = zombieChildOf(parent);
    assertThat(zombie.isAlive()).as("what the JDK says").isTrue();
    assertThat(Pids.isAlive(zombie)).isFalse();
    assertThat(Pids.live(zombie.pid())).isEmpty();
    assertThat(Pids.isAlive(parent.toHandle())).isTrue();
    assertThat(Pids.stat(zombie.pid()).orElseThrow().parent()).isEqualTo(parent.pid());
  }

  @Test
  void aProcessThatIsGoneIsDead() throws Exception {
    parent = new ProcessBuilder("true").start();
    parent.waitFor();
    assertThat(Pids.isAlive(parent.toHandle())).isFalse();
    assertThat(Pids.stat(parent.pid())).isEmpty();
  }

  @Test
  void aCommandNameWithSpacesAndParenthesesIsParsed() {
    String stat = "42 (a ) (b) S 7 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 12345 0 0";
    Pids.Stat parsed = Pids.Stat.parse(stat).orElseThrow();
    assertThat(parsed.state()).isEqualTo('S');
    assertThat(parsed.parent()).isEqualTo(7);
    assertThat(parsed.startTicks()).isEqualTo(12345);
    assertThat(Pids.Stat.parse("42 (z) Z 1 " + "0 ".repeat(20)).orElseThrow().zombie()).isTrue();
  }
}
