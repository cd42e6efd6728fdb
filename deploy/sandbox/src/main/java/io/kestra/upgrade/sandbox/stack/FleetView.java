package io.kestra.upgrade.sandbox.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.sandbox.support.Http;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fleet as the coordinator sees it ({@code GET /api/v1/agents}): whether every agent registered
 * and reports its server ready, and a line per Kestra server for {@code status}.
 */
final class FleetView {

  private final String agentsUrl;
  private final int size;
  private final Http http = new Http();

  FleetView(String coordinatorUrl, FleetSpec fleet) {
    this.agentsUrl = coordinatorUrl + "/api/v1/agents?cluster=" + fleet.cluster();
    this.size = fleet.servers().size();
  }

  /** Whether every agent is registered, not lost, and its server ready. */
  boolean ready() {
    try {
      Http.Answer a = http.get(agentsUrl, Duration.ofSeconds(5));
      if (a.status() != 200 || a.body().size() != size) {
        return false;
      }
      for (JsonNode agent : a.body()) {
        if (!agent.path("component").path("ready").asBoolean() || agent.path("lost").asBoolean()) {
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
