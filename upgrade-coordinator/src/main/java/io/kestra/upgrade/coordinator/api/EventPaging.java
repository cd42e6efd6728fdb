package io.kestra.upgrade.coordinator.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Which events of an upgrade {@code GET /api/v1/upgrades/{id}} answers with: at most {@code limit}
 * (query parameter {@code eventsLimit}) after the event whose {@code seq} is {@code after} ({@code
 * eventsAfter}, the {@code seq} of the last event seen).
 *
 * @param after the cursor, 0 for the first page
 * @param limit how many events at most
 */
public record EventPaging(long after, int limit) {

  /** Events per page when {@code eventsLimit} is not given. */
  public static final int DEFAULT_LIMIT = 200;

  /** The largest {@code eventsLimit}. */
  public static final int MAX_LIMIT = 1000;

  /**
   * Reads the query parameters ({@code null} when absent).
   *
   * @throws ApiException 400 naming every wrong parameter
   */
  static EventPaging of(String eventsAfter, String eventsLimit) {
    List<String> problems = new ArrayList<>();
    long after = 0;
    if (eventsAfter != null) {
      try {
        after = Long.parseLong(eventsAfter.trim());
      } catch (NumberFormatException e) {
        after = -1;
      }
      if (after < 0) {
        problems.add(
            "eventsAfter: '"
                + eventsAfter
                + "' is not the seq of an event (a whole number, 0 or more)");
      }
    }
    int limit = DEFAULT_LIMIT;
    if (eventsLimit != null) {
      try {
        limit = Integer.parseInt(eventsLimit.trim());
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        problems.add(
            "eventsLimit: '" + eventsLimit + "' must be a whole number from 1 to " + MAX_LIMIT);
      }
    }
    if (!problems.isEmpty()) {
      throw ApiException.badRequest(problems);
    }
    return new EventPaging(after, limit);
  }
}
