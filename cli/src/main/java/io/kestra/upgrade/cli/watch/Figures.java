package io.kestra.upgrade.cli.watch;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.common.Ack;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The end of an upgrade in figures, as the coordinator recorded them: its state and message, each
 * phase's duration, the total, the steps by state, and how the servers stopped (graceful, forced,
 * killed). What the API cannot know (the API's downtime, lost tasks) is the sandbox's to measure.
 */
public final class Figures {

  private Figures() {}

  /** Prints {@code upgrade} (as {@code GET /api/v1/upgrades/{id}} gives it). */
  public static void print(JsonNode upgrade, PrintWriter out) {
    out.printf(
        "■ %s  %s → %s%s%n",
        upgrade.path("state").asText(),
        upgrade.path("fromVersion").asText(),
        upgrade.path("toVersion").asText(),
        upgrade.path("durationMs").isNumber()
            ? " in " + seconds(upgrade.path("durationMs").asLong())
            : "");
    if (upgrade.path("message").isTextual()) {
      out.printf("  %s%n", upgrade.path("message").asText());
    }
    for (JsonNode p : upgrade.path("phases")) {
      if (p.path("durationMs").isNumber()) {
        out.printf(
            "  %-20s %9s  %s%n",
            p.path("phase").asText(),
            seconds(p.path("durationMs").asLong()),
            p.path("state").asText().toLowerCase(Locale.ROOT));
      }
    }
    Map<String, Integer> byState = new TreeMap<>();
    Map<String, Integer> stops = new TreeMap<>();
    for (JsonNode s : upgrade.path("steps")) {
      byState.merge(s.path("state").asText().toLowerCase(Locale.ROOT), 1, Integer::sum);
      String mode = s.path("result").path(Ack.RESULT_STOP_MODE).asText("");
      if (!mode.isEmpty()) {
        stops.merge(mode, 1, Integer::sum);
      }
    }
    out.printf("  steps    %s%n", join(byState));
    if (!stops.isEmpty()) {
      out.printf("  stops    %s%n", join(stops));
    }
    for (JsonNode s : upgrade.path("steps")) {
      String state = s.path("state").asText();
      if (state.equals("FAILED") || state.equals("TIMED_OUT")) {
        out.printf(
            "  failed   %s %s on %s: %s %s%n",
            s.path("phase").asText(),
            s.path("type").asText(),
            s.path("agentId").asText(),
            s.path("reason").asText(state),
            s.path("message").asText(""));
      }
    }
    out.flush();
  }

  private static String join(Map<String, Integer> counts) {
    StringBuilder b = new StringBuilder();
    counts.forEach((k, n) -> b.append(b.length() == 0 ? "" : ", ").append(n).append(' ').append(k));
    return b.toString();
  }

  /** {@code ms} as seconds with one decimal, e.g. {@code 2.9 s}. */
  public static String seconds(long ms) {
    return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
