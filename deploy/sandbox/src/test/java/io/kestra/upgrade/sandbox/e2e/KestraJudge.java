package io.kestra.upgrade.sandbox.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kestra.upgrade.images.JudgeImages;
import java.io.IOException;
import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.images.builder.Transferable;

/**
 * Runs the judge ({@code deploy/kestra-judge}) in its container of one Kestra version: Kestra's own
 * classes read the request and answer with their verdicts. No network: it needs none.
 */
final class KestraJudge {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REQUEST = "/tmp/request.json";

  private KestraJudge() {}

  /** A new, empty request. */
  static ObjectNode request() {
    return JSON.createObjectNode();
  }

  /** Kestra {@code version}'s verdicts on {@code request}. */
  static JsonNode judge(String version, JsonNode request) throws IOException {
    byte[] body = JSON.writeValueAsBytes(request);
    try (GenericContainer<?> judge =
        new GenericContainer<>(JudgeImages.image(version))
            .withNetworkMode("none")
            .withCopyToContainer(Transferable.of(body, 0644), REQUEST)
            .withCommand(REQUEST)
            .withStartupCheckStrategy(
                new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(2)))) {
      try {
        judge.start();
      } catch (RuntimeException e) {
        throw new AssertionError(
            "the judge of " + version + " failed: " + judge.getLogs(OutputFrame.OutputType.STDERR),
            e);
      }
      return JSON.readTree(judge.getLogs(OutputFrame.OutputType.STDOUT));
    }
  }
}
