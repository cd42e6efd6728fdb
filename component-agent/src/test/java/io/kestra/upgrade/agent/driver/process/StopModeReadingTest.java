package io.kestra.upgrade.agent.driver.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.agent.driver.StopMode;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** How the process driver reads the end of a server it sent SIGTERM to. */
class StopModeReadingTest {

  @Test
  void after143Or0TheLogDecidesBetweenGracefulAndForced() {
    for (int code : new int[] {143, 0}) {
      assertThat(ServerStopper.mode(false, OptionalInt.of(code), false))
          .isEqualTo(StopMode.GRACEFUL);
      assertThat(ServerStopper.mode(false, OptionalInt.of(code), true)).isEqualTo(StopMode.FORCED);
    }
  }

  @Test
  void aSigkillOursOrAnothersIsKilled() {
    assertThat(ServerStopper.mode(true, OptionalInt.of(137), false)).isEqualTo(StopMode.KILLED);
    assertThat(ServerStopper.mode(false, OptionalInt.of(137), false)).isEqualTo(StopMode.KILLED);
  }

  @Test
  void anyOtherExitMeansKestraDidNotFinishItsShutdown() {
    assertThat(ServerStopper.mode(false, OptionalInt.of(1), true)).isEqualTo(StopMode.KILLED);
    assertThat(ServerStopper.mode(false, OptionalInt.of(130), false)).isEqualTo(StopMode.KILLED);
  }

  @Test
  void anAdoptedServersUnknownCodeLeavesTheLogToDecide() {
    assertThat(ServerStopper.mode(false, OptionalInt.empty(), false)).isEqualTo(StopMode.GRACEFUL);
    assertThat(ServerStopper.mode(false, OptionalInt.empty(), true)).isEqualTo(StopMode.FORCED);
  }

  @Test
  void exitCodesAreDescribedForHumans() {
    assertThat(ExitCodes.describe(143)).isEqualTo("143 (SIGTERM)");
    assertThat(ExitCodes.describe(137)).isEqualTo("137 (SIGKILL)");
    assertThat(ExitCodes.describe(0)).isEqualTo("0 (terminated itself)");
    assertThat(ExitCodes.describe(1)).isEqualTo("1 (failed)");
    assertThat(ExitCodes.describe(130)).isEqualTo("130 (signal 2)");
  }
}
