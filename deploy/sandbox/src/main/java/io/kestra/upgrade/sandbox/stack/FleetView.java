package io.kestra.upgrade.sandbox.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.sandbox.support.Http;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fleet as the coordinator sees it ({@code GET /api/v1/agents}): whether every agent registered
 * and reports its server ready, and a line per Kestra server for {@code status}.
 */
final class FleetView {

  /** Upgrade states that are over (the coordinator's UpgradeState terminal ones). */
  private static final Set<String> ENDED =
      Set.of("SUCCEEDED", "FAILED", "ROLLED_BACK", "ROLLBACK_FAILED", "ABORTED");

  private final String agentsUrl;
  private final String latestUpgradeUrl;
  private final int size;
  private final Http http;

  FleetView(String coordinatorUrl, FleetSpec fleet, Http http) {
    this.http = http;
    this.agentsUrl = coordinatorUrl + "/api/v1/agents?cluster=" + fleet.cluster();
    this.latestUpgradeUrl = coordinatorUrl + "/api/v1/upgrades?limit=1&cluster=" + fleet.cluster();
    this.size = fleet.servers().size();
  }

  /** Whether every agent is registered, not lost, and its server ready. */
  boolean ready() {
    return everyAgent(true);
  }

  /**
   * Whether every agent is registered and not lost, whatever its server does: what {@code up} waits
   * for while an upgrade stops servers on purpose.
   */
  boolean reporting() {
    return everyAgent(false);
  }

  /**
   * The upgrade of the cluster that is not over, as {@code <id> (<state>)}, if there is one; empty
   * also when the coordinator cannot tell.
   */
  Optional<String> upgradeInFlight() {
    try {
      Http.Answer a = http.get(latestUpgradeUrl, Duration.ofSeconds(5));
      if (a.status() != 200 || a.body().isEmpty()) {
        return Optional.empty();
      }
      JsonNode latest = a.body().get(0);
      String state = latest.path("state").asText();
      return ENDED.contains(state)
          ? Optional.empty()
          : Optional.of(latest.path("id").asText() + " (" + state + ")");
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Whether agent {@code agentId} has reported since {@code since} (its heartbeat's own time), not
   * lost, its server ready: a restarted agent is back.
   */
  boolean reportsSince(String agentId, java.time.Instant since) {
    try {
      Http.Answer a = http.get(agentsUrl, Duration.ofSeconds(5));
      if (a.status() != 200) {
        return false;
      }
      for (JsonNode agent : a.body()) {
        if (agent.path("agentId").asText().equals(agentId)) {
          return !agent.path("lost").asBoolean()
              && agent.path("component").path("ready").asBoolean()
              && java.time.Instant.parse(agent.path("at").asText()).isAfter(since);
        }
      }
      return false;
    } catch (IOException | java.time.format.DateTimeParseException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private boolean everyAgent(boolean serverReady) {
    try {
      Http.Answer a = http.get(agentsUrl, Duration.ofSeconds(5));
      if (a.status() != 200 || a.body().size() != size) {
        return false;
      }
      for (JsonNode agent : a.body()) {
        if (agent.path("lost").asBoolean()
            || (serverReady && !agent.path("component").path("ready").asBoolean())) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The versions the fleet runs, e.g. {@code version 0.21.4}. */
  String versions() throws IOException, InterruptedException {
    Set<String> v = new TreeSet<>();
    http.get(agentsUrl, Duration.ofSeconds(5))
        .body()
        .forEach(agent -> v.add(agent.path("component").path("version").asText()));
    return "version " + String.join(", ", v);
  }

  /** One line per Kestra server as its agent last reported it, when the coordinator answers. */
  List<String> lines() {
    List<String> lines = new ArrayList<>();
    try {
      for (JsonNode agent : http.get(agentsUrl, Duration.ofSeconds(2)).body()) {
        lines.add(
            String.format(
                "kestra %-15s %-9s version %s%s",
                agent.path("instance").asText(),
                agent.path("status").asText().toLowerCase(Locale.ROOT),
                agent.path("component").path("version").asText(),
                agent.path("component").path("ready").asBoolean() ? ", ready" : ", not ready"));
      }
    } catch (IOException e) {
      lines.add("kestra servers: unknown (the coordinator does not answer)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return lines;
  }
}
