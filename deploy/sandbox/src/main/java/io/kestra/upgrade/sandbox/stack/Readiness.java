package io.kestra.upgrade.sandbox.stack;

import io.kestra.upgrade.sandbox.support.Poll;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a part to serve, and says where to look when it does not. */
final class Readiness {

  private Readiness() {}

  /**
   * Returns once {@code serving} holds.
   *
   * @param part what is awaited
   * @param hint where to look when it does not serve, e.g. {@code see <its log>}
   * @throws StartFailedException when it does not hold within {@code timeout}
   */
  static void await(String part, String hint, Duration timeout, BooleanSupplier serving)
      throws InterruptedException {
    try {
      Poll.until(part, timeout, serving);
    } catch (Poll.TimedOutException e) {
      throw new StartFailedException(
          part + " does not serve after " + timeout.toSeconds() + " s; " + hint, e);
    }
  }
}
