package io.kestra.upgrade.common;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The checks a message passes before anyone acts on it, collected as sentences naming the field
 * ({@code commandId: not a UUID}). Everything a consumer will store or hand to a process is bounded
 * here: a record that breaks a rule is set aside at decode time, never half-applied, and never
 * retried.
 *
 * <p>The limits are far above what the product writes, and each one is below what PostgreSQL and
 * Kafka refuse: a text never holds {@code \u0000} (PostgreSQL rejects it), timestamps stay inside
 * {@link #EARLIEST}..{@link #LATEST}, sizes stay well under a Kafka record's megabyte.
 */
public final class Violations {

  /** Longest human text (an ack's message: a failed tool's output ends up there, clipped). */
  public static final int MAX_MESSAGE = 16 * 1024;

  /** Longest short text: a version, a driver name, a map key or value. */
  public static final int MAX_SHORT = 256;

  /** Most entries of a parameter or result map. */
  public static final int MAX_ENTRIES = 64;

  /** Earliest timestamp a message may carry. */
  public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

  /** Latest timestamp a message may carry. */
  public static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

  /** Longest duration a message may carry (a grace period, a time-out). */
  public static final Duration MAX_DURATION = Duration.ofDays(30);

  /** Largest task count a message may carry. */
  public static final int MAX_COUNT = 10_000_000;

  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final List<String> found = new ArrayList<>();

  /** The problems found so far, in the order of the checks. */
  public List<String> list() {
    return List.copyOf(found);
  }

  /** A required canonical (lower-case) UUID. */
  public Violations uuid(String field, String value) {
    if (value == null) {
      found.add(field + ": missing");
    } else if (!UUID.matcher(value).matches()) {
      found.add(field + ": '" + clip(value, 80) + "' is not a UUID");
    }
    return this;
  }

  /** A UUID that may be absent. */
  public Violations optionalUuid(String field, String value) {
    return value == null ? this : uuid(field, value);
  }

  /** A required agent id, {@code <cluster>/<kind>/<instance>}. */
  public Violations agentId(String field, String value) {
    try {
      AgentId.parse(value);
    } catch (IllegalArgumentException e) {
      found.add(field + ": " + e.getMessage());
    }
    return this;
  }

  /** A one-line text of at most {@link #MAX_SHORT} characters, no control characters. */
  public Violations shortText(String field, String value) {
    return text(field, value, MAX_SHORT, false);
  }

  /**
   * A text of at most {@code max} characters; line breaks and tabs only where {@code multiline}, no
   * other control character (so never {@code \u0000}), and no lone surrogate.
   */
  public Violations text(String field, String value, int max, boolean multiline) {
    if (value == null) {
      return this;
    }
    if (value.length() > max) {
      found.add(field + ": " + value.length() + " characters, more than " + max);
      return this;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean allowedControl = multiline && (c == '\n' || c == '\r' || c == '\t');
      if ((Character.isISOControl(c) && !allowedControl)
          || (Character.isSurrogate(c) && !isPair(value, i))) {
        found.add(field + ": holds the control character U+" + String.format("%04X", (int) c));
        return this;
      }
      if (Character.isHighSurrogate(c)) {
        i++;
      }
    }
    return this;
  }

  /** A required timestamp inside {@link #EARLIEST}..{@link #LATEST}. */
  public Violations instant(String field, Instant value) {
    if (value == null) {
      found.add(field + ": missing");
    } else if (value.isBefore(EARLIEST) || !value.isBefore(LATEST)) {
      found.add(field + ": " + value + " is outside " + EARLIEST + " .. " + LATEST);
    }
    return this;
  }

  /** A duration that may be absent, else between zero and {@link #MAX_DURATION}. */
  public Violations duration(String field, Duration value) {
    if (value != null && (value.isNegative() || value.compareTo(MAX_DURATION) > 0)) {
      found.add(field + ": " + value + " is outside PT0S .. " + MAX_DURATION);
    }
    return this;
  }

  /** A count between 0 and {@link #MAX_COUNT}. */
  public Violations count(String field, long value) {
    if (value < 0 || value > MAX_COUNT) {
      found.add(field + ": " + value + " is outside 0 .. " + MAX_COUNT);
    }
    return this;
  }

  /**
   * A string map: at most {@link #MAX_ENTRIES} entries, keys of letters, digits, '.', '_', '-', and
   * one-line values of at most {@link #MAX_SHORT} characters.
   */
  public Violations map(String field, Map<String, String> value) {
    if (value == null) {
      return this;
    }
    if (value.size() > MAX_ENTRIES) {
      found.add(field + ": " + value.size() + " entries, more than " + MAX_ENTRIES);
      return this;
    }
    for (Map.Entry<String, String> e : value.entrySet()) {
      if (e.getKey() == null || !KEY.matcher(e.getKey()).matches()) {
        found.add(field + ": key '" + clip(String.valueOf(e.getKey()), 80) + "' is not a name");
        return this;
      }
      if (e.getValue() == null) {
        found.add(field + "." + e.getKey() + ": null");
        return this;
      }
      shortText(field + "." + e.getKey(), e.getValue());
    }
    return this;
  }

  /** A rule of the caller's own, with its sentence. */
  public Violations require(boolean holds, String problem) {
    if (!holds) {
      found.add(problem);
    }
    return this;
  }

  /**
   * {@code text} cut to at most {@code max} characters, keeping its end (where a tool prints why it
   * failed), with control characters other than line breaks and tabs replaced: what a producer does
   * with text it did not write itself, so that its message passes these rules.
   */
  public static String clip(String text, int max) {
    if (text == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder(Math.min(text.length(), max));
    String tail = text.length() > max ? text.substring(text.length() - (max - 1)) : text;
    if (tail.length() < text.length()) {
      sb.append('…');
    }
    for (int i = 0; i < tail.length(); i++) {
      char c = tail.charAt(i);
      boolean keep = !Character.isISOControl(c) || c == '\n' || c == '\r' || c == '\t';
      if (Character.isSurrogate(c) && !isPair(tail, i)) {
        keep = false;
      }
      sb.append(keep ? c : '?');
    }
    return sb.toString();
  }

  /** {@link #clip(String, int)} to {@link #MAX_MESSAGE}. */
  public static String clipMessage(String text) {
    return clip(text, MAX_MESSAGE);
  }

  private static boolean isPair(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
