package io.kestra.upgrade.agent.driver.process;

import java.time.Duration;
import java.time.Instant;

/**
 * What the driver keeps on disk about the server it launched, to find it again after the agent
 * restarted and to know what to do at boot.
 *
 * @param pid the server's process id
 * @param version the version it runs (canonical form)
 * @param processStart the process's start time as the OS reports it: with the pid, it tells the
 *     same process from a later one that got the same pid; {@code null} when the OS did not say
 * @param gracePeriod the grace period a command asked it to apply ({@code -D}), when one did
 * @param runningGracePeriod the grace period it applies, by Kestra's precedence (its {@code -c}
 *     file wins over {@code -D}); {@code null} when unknown (a record from an older agent)
 * @param stopRequested whether a STOP was asked since: a stopped server stays stopped at boot
 */
record ServerRecord(
    long pid,
    String version,
    Instant processStart,
    Duration gracePeriod,
    Duration runningGracePeriod,
    boolean stopRequested) {

  ServerRecord withStopRequested() {
    return new ServerRecord(pid, version, processStart, gracePeriod, runningGracePeriod, true);
  }
}
