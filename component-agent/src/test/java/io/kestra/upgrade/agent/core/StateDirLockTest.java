package io.kestra.upgrade.agent.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirLockTest {

  @TempDir Path dir;

  @Test
  void aSecondAgentCannotTakeAStateDirInUseButCanOnceReleased() {
    StateDirLock first = StateDirLock.acquire(dir);
    assertThatThrownBy(() -> StateDirLock.acquire(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("in use by another running agent");
    first.close();
    StateDirLock.acquire(dir).close();
  }
}
