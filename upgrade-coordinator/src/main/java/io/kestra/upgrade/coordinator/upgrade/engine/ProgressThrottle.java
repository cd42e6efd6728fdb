package io.kestra.upgrade.coordinator.upgrade.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Decides when a PROGRESS ack is worth a {@code step.progress} event. An agent at work reports
 * every 2 s, mostly the same thing (a worker draining a long task says "1 in flight" for an hour):
 * an event is published for the first PROGRESS of a step, when what the agent says changes (the
 * in-flight task count, or the wording of its message), and otherwise at most once per {@code
 * interval}, so a 2-hour migration adds a few hundred events, not 3,600.
 *
 * <p>A message is compared without its numbers: agents count seconds in their messages ("running
 * migrate (12 s)", "SIGKILL in 40 s"), which is no news; a new wording ("killing the server") is.
 * The event carries the message as the agent wrote it.
 *
 * <p>What monitors lose: repeats, and the ticking of the numbers in a message between two events
 * (they see "SIGKILL in 40 s", then "SIGKILL in 10 s" an interval later). Every change of the
 * in-flight count and every new wording is published, in order, the moment it is heard; a step that
 * keeps saying the same thing is still seen alive, with its latest message, once per interval.
 * Whether the agent still speaks within the progress deadline is judged by the coordinator on every
 * ack, published or not: a step that falls silent ends TIMED_OUT, with its own event.
 */
public final class ProgressThrottle {

  /** The interval of {@code coordinator.progress-event-interval} by default. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

  private static final Pattern NUMBERS = Pattern.compile("\\d+");

  private final Duration interval;

  /**
   * @param interval the longest time between two events of a step that keeps saying the same thing
   * @throws IllegalArgumentException when {@code interval} is not positive
   */
  public ProgressThrottle(Duration interval) {
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException(
          "the progress event interval must be positive: " + interval);
    }
    this.interval = interval;
  }

  /**
   * Whether a {@code step.progress} event is due for a step that has just heard a PROGRESS ack.
   *
   * @param heard the step's progress with the ack applied: what the event would say, and the last
   *     event published
   * @param now the coordinator's time
   */
  boolean isDue(StepProgress heard, Instant now) {
    ProgressReport last = heard.lastProgressEvent();
    return last == null
        || !Objects.equals(last.inFlightTasks(), heard.inFlightTasks())
        || !Objects.equals(wording(last.message()), wording(heard.message()))
        || !now.isBefore(last.at().plus(interval));
  }

  /** A message without its numbers. */
  static String wording(String message) {
    return message == null ? null : NUMBERS.matcher(message).replaceAll("#");
  }
}
