package io.kestra.upgrade.sandbox.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Prints an upgrade's progress as it happens, from successive reads of {@code GET
 * /api/v1/upgrades/{id}}: each step that ends, each change of a draining worker's in-flight count,
 * each phase that starts or ends; every line stamped with the time since the upgrade began.
 */
final class Progress {

  private final PrintStream out;
  private final Instant t0;
  private final Map<String, String> lastState = new HashMap<>();
  private final Map<String, Integer> lastInFlight = new HashMap<>();
  private final Map<String, String> phaseState = new HashMap<>();
  private final Set<String> drained = new HashSet<>();

  Progress(PrintStream out, Instant t0) {
    this.out = out;
    this.t0 = t0;
  }

  /** Prints what changed since the previous read of the upgrade. */
  void report(JsonNode upgrade) {
    for (JsonNode s : upgrade.path("steps")) {
      step(s);
    }
    for (JsonNode p : upgrade.path("phases")) {
      phase(p);
    }
  }

  private void step(JsonNode s) {
    String key = s.path("id").asText();
    String state = s.path("state").asText();
    String instance = s.path("agentId").asText().replaceFirst("^.*/", "");
    String previous = lastState.put(key, state);
    if (!state.equals(previous)
        && (state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("TIMED_OUT"))) {
      String extra = "";
      if (s.path("type").asText().equals("STOP") && s.path("result").has("stopMode")) {
        extra = " (" + s.path("result").path("stopMode").asText() + ")";
      }
      if (!state.equals("SUCCEEDED")) {
        extra = ": " + s.path("reason").asText() + " " + s.path("message").asText();
      }
      log(
          "  %-9s %-12s %s%s",
          s.path("type").asText(), instance, state.toLowerCase(Locale.ROOT), extra);
    }
    // a worker drains in DRAIN, or in the stop of its RESTART of a rolling upgrade: once it
    // reached 0, what its step counts next is the restarted worker's new work, not a drain
    String phase = s.path("phase").asText();
    String kind = s.path("agentId").asText().replaceFirst("^[^/]*/([^/]*)/.*$", "$1");
    if ((phase.equals("DRAIN") || phase.equals("ROLL"))
        && (kind.equals("worker") || kind.equals("standalone"))
        && state.equals("RUNNING")
        && s.has("inFlightTasks")
        && !s.path("inFlightTasks").isNull()
        && !drained.contains(key)) {
      int n = s.path("inFlightTasks").asInt();
      Integer before = lastInFlight.put(key, n);
      if (before == null || before != n) {
        log("  draining  %-12s %d task(s) in flight", instance, n);
      }
      if (n == 0) {
        drained.add(key);
      }
    }
  }

  private void phase(JsonNode p) {
    String phase = p.path("phase").asText();
    String state = p.path("state").asText();
    if (!state.equals(phaseState.put(phase, state))) {
      if (state.equals("RUNNING")) {
        log("%-13s started (%d steps)", phase, p.path("steps").asInt());
      } else if (state.equals("SUCCEEDED")) {
        log("%-13s done in %.1f s", phase, p.path("durationMs").asLong() / 1000.0);
      } else if (state.equals("FAILED")) {
        log("%-13s FAILED", phase);
      }
    }
  }

  private void log(String format, Object... args) {
    double t = Duration.between(t0, Instant.now()).toMillis() / 1000.0;
    out.printf("[%6.1fs] %s%n", t, String.format(format, args));
  }
}
