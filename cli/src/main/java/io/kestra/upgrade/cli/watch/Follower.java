package io.kestra.upgrade.cli.watch;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.cli.ExitCodes;
import io.kestra.upgrade.cli.api.ApiClient;
import io.kestra.upgrade.cli.api.EventFeed;
import io.kestra.upgrade.cli.api.SseEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Follows one upgrade to its end from {@code GET /api/v1/upgrades/{id}/stream}, showing it as text
 * ({@link LiveView}, then {@link Figures}) or as JSON lines (each CloudEvent as received, then the
 * upgrade as {@code show} gives it), and answers the exit code of its end.
 */
public final class Follower {

  private final ApiClient api;
  private final EventFeed feed;

  public Follower(ApiClient api, EventFeed feed) {
    this.api = api;
    this.feed = feed;
  }

  /**
   * Shows upgrade {@code id} until it ends.
   *
   * @param json JSON lines instead of text
   * @return the exit code of its end ({@link ExitCodes#ofUpgrade})
   */
  public int follow(String id, PrintWriter out, boolean terminal, boolean json)
      throws InterruptedException {
    LiveView view = new LiveView(new Screen(out, terminal), id);
    String[] end = {null};
    feed.follow(
        "/api/v1/upgrades/" + id + "/stream",
        (SseEvent e) -> {
          JsonNode event = parse(e.data());
          if (json) {
            out.println(event.toString());
            out.flush();
          }
          String state = json ? LiveView.endOf(event, id) : view.accept(event);
          end[0] = state;
          return state != null;
        });
    JsonNode upgrade = api.get("/api/v1/upgrades/" + id + "?eventsLimit=1");
    if (json) {
      out.println(upgrade.toString());
    } else {
      Figures.print(upgrade, out);
    }
    out.flush();
    // the end event is published once its transaction committed: the upgrade reads as over
    Integer code = ExitCodes.ofUpgrade(upgrade.path("state").asText());
    return code != null ? code : ExitCodes.ofUpgrade(end[0]);
  }

  private static JsonNode parse(String data) {
    try {
      return ApiClient.json().readTree(data);
    } catch (IOException e) {
      throw new UncheckedIOException("an event of the stream is not JSON: " + e.getMessage(), e);
    }
  }
}
