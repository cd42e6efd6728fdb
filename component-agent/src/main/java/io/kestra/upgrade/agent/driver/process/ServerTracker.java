package io.kestra.upgrade.agent.driver.process;

import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.KestraVersion;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the driver knows of its server, shared by the command thread and the probe thread: the
 * process, the version it runs, whether a stop is under way, whether it was ever ready. Every
 * change that must survive an agent restart goes to the {@link ServerRecordStore} at once.
 */
final class ServerTracker {

  private static final Logger LOG = LoggerFactory.getLogger(ServerTracker.class);

  private final ServerRecordStore store;
  private final Optional<KestraVersion> initialVersion;
  private ServerHandle handle;
  private ServerRecord record;
  private boolean stopping;
  private boolean everReady;
  private boolean exitNoticed;
  private long runLogOffset;

  ServerTracker(ServerRecordStore store, Optional<KestraVersion> initialVersion) {
    this.store = store;
    this.initialVersion = initialVersion;
  }

  /** The record of the last server, as found on disk at boot. */
  synchronized Optional<ServerRecord> load() {
    record = store.read().orElse(null);
    return Optional.ofNullable(record);
  }

  synchronized void adopted(ServerHandle adopted) {
    handle = adopted;
    everReady = false;
    exitNoticed = false;
    runLogOffset = 0;
  }

  /**
   * Records a server just launched on {@code version}; on disk before this returns.
   *
   * @param requestedGrace the grace period a command asked for
   * @param runningGrace the grace period the server applies
   */
  synchronized void launched(
      ServerHandle launched,
      KestraVersion version,
      Optional<Duration> requestedGrace,
      Optional<Duration> runningGrace,
      long logOffset) {
    handle = launched;
    record =
        new ServerRecord(
            launched.pid(),
            version.toString(),
            launched.startInstant().orElse(null),
            requestedGrace.orElse(null),
            runningGrace.orElse(null),
            false);
    store.write(record);
    stopping = false;
    everReady = false;
    exitNoticed = false;
    runLogOffset = logOffset;
  }

  /** The running server, if any. */
  synchronized Optional<ServerHandle> live() {
    return handle != null && handle.isAlive() ? Optional.of(handle) : Optional.empty();
  }

  /** The last server handled, alive or not. */
  synchronized Optional<ServerHandle> lastHandle() {
    return Optional.ofNullable(handle);
  }

  /** The version running, or that ran last, or the initial one. */
  synchronized Optional<KestraVersion> version() {
    if (record != null) {
      return KestraVersion.tryParse(record.version());
    }
    return initialVersion;
  }

  /** The grace period a command asked the last server to apply, when one did. */
  synchronized Optional<Duration> requestedGracePeriod() {
    return record == null ? Optional.empty() : Optional.ofNullable(record.gracePeriod());
  }

  /**
   * The grace period the last server applies: as computed at its launch, else (a record of an older
   * agent) the one a command asked for.
   */
  synchronized Optional<Duration> gracePeriod() {
    if (record == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(record.runningGracePeriod())
        .or(() -> Optional.ofNullable(record.gracePeriod()));
  }

  /** The grace period of the server running now, when one runs and it is known. */
  synchronized Optional<Duration> runningGracePeriod() {
    return handle != null && handle.isAlive() ? gracePeriod() : Optional.empty();
  }

  /** Where the current run's output begins in the log (0 when adopted: unknown). */
  synchronized long runLogOffset() {
    return runLogOffset;
  }

  /** A stop begins: remembered on disk, so the server is not started again at the next boot. */
  synchronized void stopBegins() {
    stopping = true;
    if (record != null && !record.stopRequested()) {
      record = record.withStopRequested();
      store.write(record);
    }
  }

  synchronized void stopEnded() {
    stopping = false;
  }

  synchronized void markReady() {
    everReady = true;
  }

  /**
   * The state of the server, given whether its readiness answered UP just now.
   *
   * <p>A process that ended without being asked terminated itself when it exited with 0 (Kestra's
   * {@code App} exits 0 after, for instance, an eviction by the liveness coordinator): STOPPED; it
   * failed with any other code (143 included: someone else stopped it): FAILED. For an adopted
   * process the code is unknown, and an exit nobody asked for counts as a failure too.
   */
  synchronized ComponentState state(boolean ready) {
    if (handle == null) {
      return ComponentState.STOPPED;
    }
    if (!handle.isAlive()) {
      if (stopping || (record != null && record.stopRequested())) {
        return ComponentState.STOPPED;
      }
      OptionalInt code = handle.exitCode();
      boolean terminatedItself = code.isPresent() && ExitCodes.terminatedItself(code.getAsInt());
      noticeUnaskedExit(code, terminatedItself);
      return terminatedItself ? ComponentState.STOPPED : ComponentState.FAILED;
    }
    if (stopping) {
      return ComponentState.STOPPING;
    }
    return ready || everReady ? ComponentState.RUNNING : ComponentState.STARTING;
  }

  private void noticeUnaskedExit(OptionalInt code, boolean terminatedItself) {
    if (exitNoticed) {
      return;
    }
    exitNoticed = true;
    if (terminatedItself) {
      LOG.warn(
          "the server (pid {}) exited by itself with 0: it terminated itself (evicted by Kestra's"
              + " liveness coordinator, for instance)",
          handle.pid());
    } else {
      LOG.error(
          "the server (pid {}) exited by itself{}: it failed",
          handle.pid(),
          code.isPresent() ? " with " + ExitCodes.describe(code.getAsInt()) : "");
    }
  }

  /** Whether the server's kind runs tasks, and so has a running-task count worth reading. */
  static boolean runsTasks(ComponentKind kind) {
    return kind == ComponentKind.WORKER || kind == ComponentKind.STANDALONE;
  }
}
