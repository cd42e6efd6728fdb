package io.kestra.upgrade.agent.driver.process;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Kestra's (Micronaut's) configuration writes them: {@code 300s}, {@code 1500ms},
 * {@code 5m}, or ISO-8601 ({@code PT5M}).
 */
final class KestraDurations {

  private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ns|ms|s|m|h|d)");

  private KestraDurations() {}

  /** Whole seconds as {@code Ns}, anything finer as {@code Nms}. */
  static String format(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("a negative duration has no Kestra form: " + duration);
    }
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + "s"
        : duration.toMillis() + "ms";
  }

  /**
   * Reads a duration in any form Micronaut accepts for a {@code Duration} property: a number with a
   * unit ({@code ns}, {@code ms}, {@code s}, {@code m}, {@code h}, {@code d}) or ISO-8601.
   *
   * @throws IllegalArgumentException naming the text
   */
  static Duration parse(String text) {
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
    try {
      return Duration.parse(trimmed);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration (5m, 30s, 500ms, PT5M)", e);
    }
  }
}
