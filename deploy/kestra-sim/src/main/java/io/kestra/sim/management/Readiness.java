package io.kestra.sim.management;

import io.kestra.sim.fault.Fault;
import io.kestra.sim.fault.Faults;
import io.kestra.upgrade.common.KestraVersion;
import java.time.Instant;

/**
 * Whether the server is ready: started, at least {@code kestra.sim.startup-delay} after the process
 * started, not shutting down, and not held DOWN by the {@code readiness.never-up} fault (read at
 * each probe, so a test can lift it).
 */
public final class Readiness {

  private final Instant upNotBefore;
  private final Faults faults;
  private final String kind;
  private final KestraVersion version;
  private volatile boolean started;
  private volatile boolean stopping;

  /** Readiness for a server of that kind and version, UP no earlier than {@code upNotBefore}. */
  public Readiness(Instant upNotBefore, Faults faults, String kind, KestraVersion version) {
    this.upNotBefore = upNotBefore;
    this.faults = faults;
    this.kind = kind;
    this.version = version;
  }

  /** Start-up is complete. */
  public void markStarted() {
    started = true;
  }

  /** Shutdown began: readiness is DOWN for good. */
  public void markStopping() {
    stopping = true;
  }

  /** Whether shutdown began. */
  public boolean isStopping() {
    return stopping;
  }

  /** When readiness may turn UP at the earliest. */
  public Instant upNotBefore() {
    return upNotBefore;
  }

  /** Whether the readiness probe answers UP now. */
  public boolean isReady() {
    return started
        && !stopping
        && !Instant.now().isBefore(upNotBefore)
        && !faults.isOn(Fault.READINESS_NEVER_UP, kind, version);
  }
}
