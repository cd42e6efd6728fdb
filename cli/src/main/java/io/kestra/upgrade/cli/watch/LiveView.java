package io.kestra.upgrade.cli.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kestra.upgrade.cli.ExitCodes;
import io.kestra.upgrade.common.UpgradeEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns an upgrade's live events into what an operator reads: one line per phase that starts and
 * ends (with its duration), one per step that ends (why, when it failed), a progress bar per
 * draining worker with its in-flight task count, the pauses, the operator's controls and the
 * rollback. Every line is stamped with the time since the upgrade started. Fed the stream's
 * snapshots as well as its events, and idempotent over them: a reconnection's snapshot repeats
 * nothing already shown.
 */
public final class LiveView {

  private static final String SNAPSHOT = UpgradeEvent.SNAPSHOT_TYPE;
  private static final String PREFIX = UpgradeEvent.TYPE_PREFIX;
  private static final Set<String> DRAINING_PHASES = Set.of("DRAIN", "ROLL");
  private static final Set<String> DRAINING_KINDS = Set.of("worker", "standalone");
  private static final int BAR = 20;
  // the ends of a step worth a line (a SKIPPED step did nothing)
  private static final Set<String> ENDED_STEPS = Set.of("SUCCEEDED", "FAILED", "TIMED_OUT");

  private final Screen screen;
  private final String upgradeId;
  private Instant t0;
  private boolean introduced;
  private final Map<String, String> phaseStates = new HashMap<>();
  private final Map<String, Instant> phaseStarts = new HashMap<>();
  private final Map<String, Integer> plannedSteps = new HashMap<>();
  private final Map<String, String> stepStates = new HashMap<>();
  private final Map<String, Drain> drains = new LinkedHashMap<>();
  private String upgradeState;

  /** A worker draining: the most tasks seen in flight and the count now. */
  private record Drain(String instance, int most, int now) {}

  /**
   * @param screen where to show it
   * @param upgradeId the upgrade followed (a cluster's stream carries other upgrades' events too)
   */
  public LiveView(Screen screen, String upgradeId) {
    this.screen = screen;
    this.upgradeId = upgradeId;
  }

  /**
   * Shows one CloudEvent of the stream (structured mode: type, time, data).
   *
   * @return the upgrade's final state once it is over, else {@code null}
   */
  public String accept(JsonNode event) {
    String type = event.path("type").asText();
    JsonNode data = event.path("data");
    if (type.equals(SNAPSHOT)) {
      return data.path("id").asText().equals(upgradeId) ? snapshot(data) : null;
    }
    if (!data.path("upgradeId").asText().equals(upgradeId) || !type.startsWith(PREFIX)) {
      return null;
    }
    Instant at = instant(data.path("at"));
    if (t0 == null) {
      t0 = at;
    }
    String entity = type.substring(PREFIX.length(), type.lastIndexOf('.'));
    String transition = type.substring(type.lastIndexOf('.') + 1);
    switch (entity) {
      case "phase" -> phase(data.path("phase").asText(), transition, at, data);
      case "step" -> step(data, transition, at);
      case "upgrade" -> {
        return upgrade(data.path("state").asText(), data.path("message").asText(null), at);
      }
      case "control" -> say(at, "operator: %s (%s)", transition, data.path("message").asText());
      case "rollback" -> say(at, "rollback %s: %s", transition, data.path("message").asText(""));
      default -> {
        // outbox and future entities: the upgrade's own events say what matters
      }
    }
    return null;
  }

  /**
   * The final state {@code event} says upgrade {@code upgradeId} ended in, else {@code null}: for a
   * reader that shows nothing (JSON lines).
   */
  public static String endOf(JsonNode event, String upgradeId) {
    String type = event.path("type").asText();
    JsonNode data = event.path("data");
    boolean ours =
        type.equals(SNAPSHOT)
            ? data.path("id").asText().equals(upgradeId)
            : type.startsWith(PREFIX + "upgrade.")
                && data.path("upgradeId").asText().equals(upgradeId);
    String state = data.path("state").asText();
    return ours && ExitCodes.ofUpgrade(state) != null ? state : null;
  }

  private String snapshot(JsonNode u) {
    Instant start = instant(u.path("startedAt"));
    t0 = start != null ? start : instant(u.path("createdAt"));
    if (!introduced) {
      introduced = true;
      screen.print(
          String.format(
              "upgrade %s: %s %s → %s (%s), %s",
              upgradeId,
              u.path("cluster").asText(),
              u.path("fromVersion").asText(),
              u.path("toVersion").asText(),
              u.path("strategy").asText(),
              u.path("state").asText()));
    }
    plannedSteps.clear();
    for (JsonNode s : u.path("steps")) {
      plannedSteps.merge(s.path("phase").asText(), 1, Integer::sum);
    }
    for (JsonNode p : u.path("phases")) {
      String phase = p.path("phase").asText();
      String state = p.path("state").asText();
      Instant startedAt = instant(p.path("startedAt"));
      if (startedAt != null) {
        phaseStarts.putIfAbsent(phase, startedAt);
      }
      switch (state) {
        case "RUNNING" -> phase(phase, "started", startedAt, p);
        case "SUCCEEDED" -> phase(phase, "succeeded", instant(p.path("finishedAt")), p);
        case "FAILED" -> phase(phase, "failed", instant(p.path("finishedAt")), p);
        default -> {
          // PENDING and SKIPPED phases are not news
        }
      }
    }
    for (JsonNode s : u.path("steps")) {
      JsonNode asEvent = stepAsEvent(s);
      String state = s.path("state").asText();
      if (state.equals("RUNNING")) {
        step(asEvent, "progress", t0);
      } else if (ENDED_STEPS.contains(state)) {
        step(asEvent, state.toLowerCase(Locale.ROOT), instant(s.path("finishedAt")));
      }
    }
    return upgrade(u.path("state").asText(), u.path("message").asText(null), null);
  }

  /** A step of the snapshot in the shape of a step event's data. */
  private static JsonNode stepAsEvent(JsonNode s) {
    ObjectNode node = s.deepCopy();
    return node.put("stepId", s.path("id").asText()).put("commandType", s.path("type").asText());
  }

  private void phase(String phase, String transition, Instant at, JsonNode data) {
    String state = transition.toUpperCase(Locale.ROOT).replace("STARTED", "RUNNING");
    if (state.equals(phaseStates.put(phase, state))) {
      return;
    }
    switch (state) {
      case "RUNNING" -> {
        if (at != null) {
          phaseStarts.putIfAbsent(phase, at);
        }
        Integer steps = plannedSteps.get(phase);
        say(
            at,
            "%-18s started%s",
            phase,
            steps == null ? "" : " (" + steps + (steps == 1 ? " step)" : " steps)"));
      }
      case "SUCCEEDED" -> {
        Instant start = phaseStarts.get(phase);
        say(
            at,
            "%-18s done%s",
            phase,
            start == null || at == null
                ? ""
                : " in " + Figures.seconds(Duration.between(start, at).toMillis()));
      }
      case "FAILED" -> {
        String reason = data.path("reason").asText("");
        say(at, "%-18s FAILED%s", phase, reason.isEmpty() ? "" : ": " + reason);
      }
      default -> say(at, "%-18s %s", phase, transition);
    }
  }

  private void step(JsonNode data, String transition, Instant at) {
    String stepId = data.path("stepId").asText();
    String instance = data.path("agentId").asText().replaceFirst("^.*/", "");
    String kind = data.path("agentId").asText().replaceFirst("^[^/]*/([^/]*)/.*$", "$1");
    if (transition.equals("progress")) {
      if (DRAINING_PHASES.contains(data.path("phase").asText())
          && DRAINING_KINDS.contains(kind)
          && data.path("state").asText().equals("RUNNING")
          && data.path("inFlightTasks").isInt()
          && !"drained".equals(stepStates.get(stepId))) {
        drain(stepId, instance, data.path("inFlightTasks").asInt(), at);
      }
      return;
    }
    String state = transition.toUpperCase(Locale.ROOT);
    if (!ENDED_STEPS.contains(state) || state.equals(stepStates.put(stepId, state))) {
      return;
    }
    if (drains.remove(stepId) != null) {
      showDrains();
    }
    String command = data.path("commandType").asText();
    if (state.equals("SUCCEEDED")) {
      say(at, "  %-9s %-14s succeeded", command, instance);
    } else {
      say(
          at,
          "  %-9s %-14s %s: %s %s",
          command,
          instance,
          state,
          data.path("reason").asText(""),
          data.path("message").asText(""));
    }
  }

  private void drain(String stepId, String instance, int inFlight, Instant at) {
    Drain before = drains.get(stepId);
    int most = Math.max(inFlight, before == null ? 0 : before.most());
    if (inFlight == 0) {
      drains.remove(stepId);
      stepStates.put(stepId, "drained");
      showDrains();
      if (before != null) {
        say(at, "  drained   %-14s %d task(s) finished in flight", instance, most);
      }
      return;
    }
    drains.put(stepId, new Drain(instance, most, inFlight));
    showDrains();
  }

  private void showDrains() {
    List<String> lines = new ArrayList<>();
    for (Drain d : drains.values()) {
      int done =
          d.most() == 0 ? BAR : (int) Math.round(BAR * (d.most() - d.now()) / (double) d.most());
      lines.add(
          String.format(
              "  draining  %-14s [%s%s] %d of %d task(s) in flight",
              d.instance(), "#".repeat(done), ".".repeat(BAR - done), d.now(), d.most()));
    }
    screen.live(lines);
  }

  private String upgrade(String state, String message, Instant at) {
    String before = upgradeState;
    upgradeState = state;
    if (!state.equals(before)) {
      String why = message == null || message.isBlank() ? "" : ": " + message;
      switch (state) {
        case "PAUSED" ->
            say(at, "paused%s — resume with: kestra-upgrade resume %s", why, upgradeId);
        case "ROLLING_BACK" -> say(at, "rolling back%s", why);
        case "RUNNING" -> {
          if ("PAUSED".equals(before)) {
            say(at, "resumed");
          }
        }
        default -> {
          // the end is summed up by the caller, with the upgrade's figures
        }
      }
    }
    return ExitCodes.ofUpgrade(state) == null ? null : state;
  }

  private void say(Instant at, String format, Object... args) {
    String stamp =
        at == null || t0 == null
            ? "[      ] "
            : String.format(Locale.ROOT, "[%6.1fs] ", Duration.between(t0, at).toMillis() / 1000.0);
    screen.print(stamp + String.format(Locale.ROOT, format, args));
  }

  private static Instant instant(JsonNode n) {
    return n.isTextual() ? Instant.parse(n.asText()) : null;
  }
}
