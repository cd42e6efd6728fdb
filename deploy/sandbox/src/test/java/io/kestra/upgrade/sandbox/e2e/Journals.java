package io.kestra.upgrade.sandbox.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.sandbox.support.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an agent's command journal ({@code command-journal.jsonl} in its state directory) as a test
 * checks it: which commands the agent received to run, each RECEIVED record being written once,
 * before the command runs. A command executed twice would show twice.
 */
final class Journals {

  /**
   * A command the agent started to run.
   *
   * @param commandId its id
   * @param type its type
   */
  record Received(String commandId, String type) {}

  private Journals() {}

  /** Every RECEIVED record of the journal in {@code stateDir}, in order. */
  static List<Received> received(Path stateDir) {
    Path file = stateDir.resolve("command-journal.jsonl");
    List<Received> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode record = Http.json().readTree(line);
        if ("RECEIVED".equals(record.path("kind").asText())) {
          out.add(new Received(record.path("commandId").asText(), record.path("type").asText()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return out;
  }

  /** The types of the commands received, in order. */
  static List<String> receivedTypes(Path stateDir) {
    return received(stateDir).stream().map(Received::type).toList();
  }
}
