package io.kestra.upgrade.coordinator.it;

import java.nio.file.Files;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The condition of the tests that drive a real browser
 * ({@code @ExtendWith(BrowserRequired.class)}): without Debian's chromium and its chromedriver they
 * are skipped with a message naming the command that installs them — except in CI ({@code
 * CI=true}), where they fail: CI never skips them.
 */
final class BrowserRequired implements ExecutionCondition {

  static final String INSTALL = "apt-get install -y chromium chromium-driver (or bin/test)";

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<String> missing = missing();
    if (missing.isEmpty()) {
      return ConditionEvaluationResult.enabled("chromium and chromedriver are installed");
    }
    String reason = missing.get() + " is missing: " + INSTALL + " installs it";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException("CI=true, and the browser tests must run: " + reason);
    }
    return ConditionEvaluationResult.disabled(reason);
  }

  private static Optional<String> missing() {
    for (var path : new java.nio.file.Path[] {Browser.CHROMEDRIVER, Browser.CHROMIUM}) {
      if (!Files.isExecutable(path)) {
        return Optional.of(path.toString());
      }
    }
    return Optional.empty();
  }
}
