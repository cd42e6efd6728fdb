package io.kestra.upgrade.common;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Kestra's configuration (Micronaut) writes them: ISO-8601 ({@code PT5M}, {@code P1D})
 * or a number with a unit ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}, {@code
 * 10ns}) — {@code kestra.server.terminationGracePeriod: 5m}, for one.
 */
public final class KestraDurations {

  private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ns|ms|s|m|h|d)");

  private KestraDurations() {}

  /**
   * Reads a duration in any form Micronaut accepts for a {@code Duration} property.
   *
   * @throws IllegalArgumentException quoting the text and the accepted forms
   */
  public static Duration parse(String text) {
    String trimmed = text == null ? "" : text.trim();
    Matcher m = SIMPLE.matcher(trimmed.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ns" -> Duration.ofNanos(amount);
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    }
    if (trimmed.startsWith("P") || trimmed.startsWith("p") || trimmed.startsWith("-P")) {
      try {
        return Duration.parse(trimmed);
      } catch (DateTimeParseException e) {
        throw invalid(text, e);
      }
    }
    throw invalid(text, null);
  }

  /**
   * A duration in Kestra's short form: whole seconds as {@code Ns}, anything finer as {@code Nms}.
   */
  public static String format(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("a negative duration has no Kestra form: " + duration);
    }
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + "s"
        : duration.toMillis() + "ms";
  }

  private static IllegalArgumentException invalid(String text, Exception cause) {
    return new IllegalArgumentException(
        "'"
            + text
            + "' is not a duration: expected ISO-8601 (PT5M) or a number with a unit"
            + " (500ms, 30s, 5m, 1h, 2d)",
        cause);
  }
}
