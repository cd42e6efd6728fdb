package io.kestra.upgrade.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.agent.core.ReconcilePolicy.Decision;
import io.kestra.upgrade.common.CommandType;
import org.junit.jupiter.api.Test;

class ReconcilePolicyTest {

  @Test
  void pureChecksMayRunAgain() {
    assertThat(ReconcilePolicy.decide(CommandType.PING)).isEqualTo(Decision.RUN_AGAIN);
    assertThat(ReconcilePolicy.decide(CommandType.PREPARE)).isEqualTo(Decision.RUN_AGAIN);
  }

  @Test
  void startsAreSettledByWhatRunsNeverByStartingAgain() {
    assertThat(ReconcilePolicy.decide(CommandType.START)).isEqualTo(Decision.AWAIT_TARGET_VERSION);
    assertThat(ReconcilePolicy.decide(CommandType.RESTART))
        .isEqualTo(Decision.AWAIT_TARGET_VERSION);
  }

  @Test
  void aStopKeepsWaitingForTheProcess() {
    assertThat(ReconcilePolicy.decide(CommandType.STOP)).isEqualTo(Decision.AWAIT_STOP);
  }

  @Test
  void databaseWorkWithAnUnobservableOutcomeFailsAsInterrupted() {
    assertThat(ReconcilePolicy.decide(CommandType.MIGRATE))
        .isEqualTo(Decision.FAIL_OUTCOME_UNKNOWN);
    assertThat(ReconcilePolicy.decide(CommandType.BACKUP)).isEqualTo(Decision.FAIL_OUTCOME_UNKNOWN);
    assertThat(ReconcilePolicy.decide(CommandType.RESTORE))
        .isEqualTo(Decision.FAIL_OUTCOME_UNKNOWN);
  }
}
