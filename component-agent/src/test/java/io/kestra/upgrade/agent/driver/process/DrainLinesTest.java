package io.kestra.upgrade.agent.driver.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DrainLinesTest {

  private static final String LINES_1X =
      String.join(
          "\n",
          "WARN Waiting for all worker threads to terminate (remaining: 3).",
          "WARN Waiting for all worker threads to terminate (remaining: 2).",
          "WARN Worker still has some pending threads after `terminationGracePeriod`. Forcing"
              + " shutdown now.");

  private static final String LINES_2X =
      String.join(
          "\n",
          "WARN Waiting for all worker job to terminate (remaining: 5).",
          "WARN Waiting for all worker job to terminate (remaining: 4).",
          "WARN Worker still has pending jobs after the termination grace period. Forcing"
              + " shutdown.");

  @Test
  void theForcedLineOfEitherWorkerGenerationIsRecognised() {
    assertThat(DrainLines.FORCED).anyMatch(LINES_1X::contains);
    assertThat(DrainLines.FORCED).anyMatch(LINES_2X::contains);
    assertThat(DrainLines.FORCED)
        .noneMatch("INFO All working threads are terminated."::contains)
        .noneMatch("INFO All worker jobs are terminated"::contains);
  }

  @Test
  void theLastWaitingLineOfEitherGenerationGivesTheRemainingCount() {
    assertThat(DrainLines.lastRemaining(LINES_1X)).hasValue(2);
    assertThat(DrainLines.lastRemaining(LINES_2X)).hasValue(4);
    assertThat(DrainLines.lastRemaining("INFO Executor started")).isEmpty();
  }
}
