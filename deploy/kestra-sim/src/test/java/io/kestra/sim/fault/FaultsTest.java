package io.kestra.sim.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.common.KestraVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultsTest {

  private static final KestraVersion V0214 = KestraVersion.parse("0.21.4");

  @TempDir Path dir;

  @Test
  void fileIsReadAtEachQuestionSoATestCanFlipAFaultAtRunTime() throws Exception {
    Path file = dir.resolve("faults.properties");
    Faults faults = new Faults(Optional.of(file));
    assertThat(faults.isOn(Fault.SHUTDOWN_HANG, "worker", V0214)).as("no file yet").isFalse();

    Files.writeString(file, "shutdown.hang=executor, worker@0.21.4\n");
    assertThat(faults.isOn(Fault.SHUTDOWN_HANG, "worker", V0214)).isTrue();
    assertThat(faults.isOn(Fault.SHUTDOWN_HANG, "scheduler", V0214)).isFalse();
    assertThat(faults.isOn(Fault.STARTUP_CRASH, "worker", V0214)).isFalse();

    Files.writeString(file, "shutdown.hang=\n");
    assertThat(faults.isOn(Fault.SHUTDOWN_HANG, "worker", V0214)).isFalse();
  }

  @Test
  void anInvalidSelectorIsSkippedNotFatal() throws Exception {
    Path file = dir.resolve("faults.properties");
    Files.writeString(file, "startup.crash=bogus@x,*\n");
    assertThat(new Faults(Optional.of(file)).isOn(Fault.STARTUP_CRASH, "worker", V0214)).isTrue();
  }

  @Test
  void noFileNamedMeansNoFault() {
    assertThat(Faults.none().isOn(Fault.READINESS_NEVER_UP, "worker", V0214)).isFalse();
  }
}
