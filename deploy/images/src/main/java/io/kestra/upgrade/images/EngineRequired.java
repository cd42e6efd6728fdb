package io.kestra.upgrade.images;

import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The condition of every test that needs a Docker engine
 * ({@code @ExtendWith(EngineRequired.class)}): without an engine the tests are skipped with a
 * message naming the command that provides one — except in CI ({@code CI=true}), where a missing
 * engine fails them: CI never skips Docker tests.
 */
public final class EngineRequired implements ExecutionCondition {

  private static volatile Optional<String> unavailable;

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<String> reason = unavailable();
    if (reason.isEmpty()) {
      return ConditionEvaluationResult.enabled("a Docker engine answers");
    }
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException("CI=true, and the Docker tests must run: " + reason.get());
    }
    return ConditionEvaluationResult.disabled(reason.get());
  }

  private static Optional<String> unavailable() {
    Optional<String> known = unavailable;
    if (known == null) {
      known = Engine.unavailable();
      unavailable = known;
    }
    return known;
  }
}
