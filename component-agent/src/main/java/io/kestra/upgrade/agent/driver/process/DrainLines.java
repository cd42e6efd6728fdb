package io.kestra.upgrade.agent.driver.process;

import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a draining Kestra worker writes to its log, in each worker generation:
 *
 * <ul>
 *   <li>1.x (the worker of Kestra's core): "Waiting for all worker threads to terminate (remaining:
 *       N)." every second, and "... `terminationGracePeriod`. Forcing shutdown now." when its grace
 *       period ends with tasks still running;
 *   <li>2.x (the {@code worker} module): "Waiting for all worker job to terminate (remaining: N)."
 *       and "Worker still has pending jobs after the termination grace period. Forcing shutdown."
 * </ul>
 */
public final class DrainLines {

  /** The 1.x line of a worker that gave up on its tasks. */
  static final String FORCED_1X = "Forcing shutdown now";

  /** The 2.x line of a worker that gave up on its tasks. */
  static final String FORCED_2X = "termination grace period. Forcing shutdown.";

  public static final List<String> FORCED = List.of(FORCED_1X, FORCED_2X);

  private static final Pattern WAITING =
      Pattern.compile(
          "Waiting for all worker (?:threads|job) to terminate \\(remaining: (\\d+)\\)");

  private DrainLines() {}

  /** The count of the last waiting line in {@code text}, of either generation. */
  public static OptionalInt lastRemaining(String text) {
    Matcher m = WAITING.matcher(text);
    OptionalInt last = OptionalInt.empty();
    while (m.find()) {
      last = OptionalInt.of(Integer.parseInt(m.group(1)));
    }
    return last;
  }
}
