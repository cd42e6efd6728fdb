package io.kestra.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The judge's entry point: reads a request (JSON, from the file named by the first argument, else
 * from standard input), answers with Kestra's own verdicts on standard output (JSON), and exits 0;
 * exits 1 when Kestra's classes cannot be loaded or the request cannot be read.
 *
 * <p>Request: {@code {"serviceInstances": [value…], "transitions": [{"from", "to"}…],
 * "workerJobsRunning": [value…], "workerJobs": [value…], "taskRuns": [value…], "executions":
 * [value…]}}, every key optional. Report: {@code {"kestraVersion", "<kind>": [{"problems": […]}…]
 * in the request's order, "transitions": [{"from", "to", "valid"}…], "serverConfig": {key:
 * default…}, "metrics": {constant: {"name", "prometheus"}…}}}.
 */
public final class Judge {

  /** The kinds of value the judge reads, and the Kestra class each must deserialise into. */
  static final Map<String, String> MODELS =
      Map.of(
          "serviceInstances", "io.kestra.core.server.ServiceInstance",
          "workerJobsRunning", "io.kestra.core.runners.WorkerJobRunning",
          "workerJobs", "io.kestra.core.runners.WorkerJob",
          "taskRuns", "io.kestra.core.models.executions.TaskRun",
          "executions", "io.kestra.core.models.executions.Execution");

  /** The kinds Kestra always writes whole: every property its classes declare must be there. */
  static final Set<String> FILLED_IN = Set.of("serviceInstances");

  private Judge() {}

  /** Runs the judge; see the class comment. */
  public static void main(String[] args) throws Exception {
    KestraClasses kestra;
    JsonNode request;
    try {
      kestra = KestraClasses.load();
      request = read(kestra.mapper(), args);
    } catch (ReflectiveOperationException | IOException | LinkageError e) {
      System.err.println("kestra-judge: " + e);
      System.exit(1);
      return;
    }
    ObjectNode report = judge(kestra, request);
    System.out.println(kestra.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
  }

  static ObjectNode judge(KestraClasses kestra, JsonNode request)
      throws ReflectiveOperationException {
    ObjectMapper mapper = kestra.mapper();
    ObjectNode report = mapper.createObjectNode();
    report.put("kestraVersion", kestra.version());
    Shapes shapes = new Shapes(mapper);
    for (Map.Entry<String, String> model : MODELS.entrySet()) {
      JsonNode values = request.path(model.getKey());
      if (!values.isArray()) {
        continue;
      }
      ArrayNode verdicts = report.putArray(model.getKey());
      Class<?> type = kestra.type(model.getValue());
      for (JsonNode value : values) {
        ArrayNode problems = verdicts.addObject().putArray("problems");
        shapes.judge(value, type, FILLED_IN.contains(model.getKey())).forEach(problems::add);
      }
    }
    ArrayNode transitions = report.putArray("transitions");
    for (JsonNode t : request.path("transitions")) {
      String from = t.path("from").asText();
      String to = t.path("to").asText();
      transitions
          .addObject()
          .put("from", from)
          .put("to", to)
          .put("valid", kestra.isValidTransition(from, to));
    }
    report.set("serverConfig", mapper.valueToTree(ServerConfigDefaults.of(kestra)));
    report.set("metrics", mapper.valueToTree(MetricNames.of(kestra)));
    return report;
  }

  private static JsonNode read(ObjectMapper mapper, String[] args) throws IOException {
    if (args.length > 0) {
      return mapper.readTree(Files.readString(Path.of(args[0])));
    }
    try (InputStream in = System.in) {
      return mapper.readTree(in);
    }
  }
}
