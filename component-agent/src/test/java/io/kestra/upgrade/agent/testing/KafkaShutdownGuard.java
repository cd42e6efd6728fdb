package io.kestra.upgrade.agent.testing;

import org.apache.kafka.common.utils.Exit;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Keeps the embedded test broker from turning a green test JVM red at exit.
 *
 * <p>At JVM exit, the broker of {@code TestKafka} is closed by one shutdown hook while Kafka's own
 * hook deletes its temporary log directories; when the deletion wins, the still-running broker sees
 * a failed log directory and halts the JVM with status 1 after every test has passed. A halt asked
 * for while the JVM is already shutting down is therefore only reported; at any other time it halts
 * as Kafka wants. (The lasting fix belongs in test-support's {@code TestKafka}.)
 */
public final class KafkaShutdownGuard implements LauncherSessionListener {

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    Exit.setHaltProcedure(
        (status, message) -> {
          if (shuttingDown()) {
            System.err.println(
                "ignoring the test broker's halt(" + status + ") during JVM shutdown: " + message);
            return;
          }
          Runtime.getRuntime().halt(status);
        });
  }

  private static boolean shuttingDown() {
    try {
      Thread probe = new Thread(() -> {});
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }
}
