package io.kestra.upgrade.cli.api;

import java.util.Optional;

/**
 * Reads Server-Sent Events line by line as the WHATWG specification says: {@code data:} lines
 * accumulate, a blank line dispatches, lines starting with {@code :} are comments (the
 * coordinator's heartbeats), one space after the colon is dropped, an event without data is not
 * dispatched.
 */
final class SseParser {

  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private String id;

  /** Feeds one line (without its end); returns the event that a blank line completes. */
  Optional<SseEvent> line(String line) {
    if (line.isEmpty()) {
      if (!hasData) {
        id = null;
        return Optional.empty();
      }
      SseEvent event = new SseEvent(id, data.toString());
      data.setLength(0);
      hasData = false;
      id = null;
      return Optional.of(event);
    }
    if (line.startsWith(":")) {
      return Optional.empty();
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "data" -> {
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
      }
      case "id" -> id = value.isEmpty() ? null : value;
      default -> {
        // event:, retry: and unknown fields: the CloudEvent in data carries its own type
      }
    }
    return Optional.empty();
  }
}
