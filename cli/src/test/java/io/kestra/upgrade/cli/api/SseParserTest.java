package io.kestra.upgrade.cli.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

  private static List<SseEvent> parse(String wire) {
    SseParser parser = new SseParser();
    List<SseEvent> events = new ArrayList<>();
    for (String line : wire.split("\n", -1)) {
      parser.line(line).ifPresent(events::add);
    }
    return events;
  }

  @Test
  void dataLinesAreJoinedAndABlankLineDispatchesWithItsId() {
    List<SseEvent> events = parse("id: 7\ndata: {\"a\":\ndata:1}\n\ndata: x\n\n");
    assertThat(events).containsExactly(new SseEvent("7", "{\"a\":\n1}"), new SseEvent(null, "x"));
  }

  @Test
  void commentsAndEventsWithoutDataAreNotDispatched() {
    List<SseEvent> events = parse(": heartbeat\n\nid: 3\n\nevent: message\ndata:  two spaces\n\n");
    // only one space after the colon belongs to the syntax; the id of a data-less event is dropped
    assertThat(events).containsExactly(new SseEvent(null, " two spaces"));
  }
}
