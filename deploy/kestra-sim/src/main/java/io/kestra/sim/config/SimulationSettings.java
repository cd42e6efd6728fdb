package io.kestra.sim.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings that exist only in the simulator ({@code kestra.sim.*}).
 *
 * @param schedulerRate executions a scheduler creates per second (2; 0 disables it)
 * @param taskMinDuration shortest random task duration (200ms)
 * @param taskMaxDuration longest random task duration (2s)
 * @param startupDelay time from process start to readiness UP (1s)
 * @param migrationDuration extra time a migration that has work to do takes (0s), as a large
 *     database's does (the upgrade guide's 0.12 → 0.13 index rebuild)
 * @param faultsFile the fault switch file, when one is named
 * @param ledgerFile the file every execution created is recorded in ({@code kestra.sim.ledger}),
 *     when one is named
 */
public record SimulationSettings(
    double schedulerRate,
    Duration taskMinDuration,
    Duration taskMaxDuration,
    Duration startupDelay,
    Duration migrationDuration,
    Optional<Path> faultsFile,
    Optional<Path> ledgerFile) {

  static SimulationSettings from(SimConfig c, String faultsFromEnvironment) {
    double rate = c.decimal("kestra.sim.scheduler.rate", 2);
    if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
      throw new ConfigException("Configuration property 'kestra.sim.scheduler.rate' must be >= 0");
    }
    Duration min = c.duration("kestra.sim.task.min-duration", Duration.ofMillis(200));
    Duration max = c.duration("kestra.sim.task.max-duration", Duration.ofSeconds(2));
    if (min.isNegative() || max.compareTo(min) < 0) {
      throw new ConfigException(
          "kestra.sim.task.min-duration ("
              + min
              + ") must be >= 0 and <= max-duration ("
              + max
              + ")");
    }
    Optional<Path> faults =
        c.get("kestra.sim.faults")
            .or(() -> Optional.ofNullable(faultsFromEnvironment))
            .filter(s -> !s.isBlank())
            .map(Path::of);
    return new SimulationSettings(
        rate,
        min,
        max,
        c.duration("kestra.sim.startup-delay", Duration.ofSeconds(1)),
        c.duration("kestra.sim.migration-duration", Duration.ZERO),
        faults,
        c.get("kestra.sim.ledger").filter(s -> !s.isBlank()).map(Path::of));
  }
}
