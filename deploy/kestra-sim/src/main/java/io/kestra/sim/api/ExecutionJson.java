package io.kestra.sim.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kestra.sim.execution.Execution;
import io.kestra.sim.json.Json;

/** The JSON of an execution in the API. */
final class ExecutionJson {

  private ExecutionJson() {}

  static ObjectNode of(Execution e) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("id", e.id())
        .put("namespace", e.namespace())
        .put("flowId", e.flowId())
        .put("state", e.state())
        .put("taskDurationMs", e.taskDurationMs())
        .put("createdAt", e.createdAt().toString());
    if (e.completedAt() == null) {
      n.putNull("completedAt");
    } else {
      n.put("completedAt", e.completedAt().toString());
    }
    return n;
  }
}
