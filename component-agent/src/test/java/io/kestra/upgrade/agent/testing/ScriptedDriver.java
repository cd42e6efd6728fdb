package io.kestra.upgrade.agent.testing;

import io.kestra.upgrade.agent.driver.BackupResult;
import io.kestra.upgrade.agent.driver.ComponentDriver;
import io.kestra.upgrade.agent.driver.DriverException;
import io.kestra.upgrade.agent.driver.Progress;
import io.kestra.upgrade.agent.driver.StartRequest;
import io.kestra.upgrade.agent.driver.StopMode;
import io.kestra.upgrade.agent.driver.StopOutcome;
import io.kestra.upgrade.agent.driver.StopRequest;
import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.common.Observed;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A driver for testing the agent's core without a server: it keeps a pretend server state, records
 * every call, takes the time it is told to, can hold an operation until the test releases it, and
 * fails the operations it is told to.
 */
public final class ScriptedDriver implements ComponentDriver {

  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final Map<String, Exception> failures = new ConcurrentHashMap<>();
  private final List<StopRequest> stopRequests = new CopyOnWriteArrayList<>();
  private final List<StartRequest> startRequests = new CopyOnWriteArrayList<>();
  private volatile StopMode stopMode = StopMode.GRACEFUL;
  private volatile Observed observed;
  private volatile Duration workTime = Duration.ZERO;
  private volatile Duration bootTime = Duration.ZERO;
  private volatile CountDownLatch hold = new CountDownLatch(0);
  private volatile int tasksAtStop;
  private volatile String leftBehind;
  private volatile boolean closed;
  private volatile int readyObservations = -1;
  private volatile String config = "original";
  private volatile String keptConfig;

  /** A driver whose server runs {@code version}, ready; or is stopped when null. */
  public ScriptedDriver(String version) {
    observed =
        version == null
            ? new Observed(null, ComponentState.STOPPED, false, 0)
            : new Observed(version, ComponentState.RUNNING, true, 0);
  }

  /**
   * A server started by this driver answers ready to {@code observations} observations, then
   * crashes (its version stays, not ready): a server that fails soon after its start.
   */
  public ScriptedDriver crashesAfterStart(int observations) {
    this.readyObservations = observations;
    return this;
  }

  /** Each operation takes this long (interruptibly). */
  public ScriptedDriver workTime(Duration time) {
    this.workTime = time;
    return this;
  }

  /** {@link #boot()} takes this long, as the adoption of a server that answers slowly. */
  public ScriptedDriver bootTime(Duration time) {
    this.bootTime = time;
    return this;
  }

  /** Operations wait (interruptibly) until {@link #release()}. */
  public ScriptedDriver holdOperations() {
    hold = new CountDownLatch(1);
    return this;
  }

  public void release() {
    hold.countDown();
  }

  /** Task runs the pretend worker has when a STOP begins; they finish during the stop. */
  /** What {@link #settleLeftBehind} finds: a tool an earlier run of the agent left running. */
  public ScriptedDriver leftBehind(String description) {
    this.leftBehind = description;
    return this;
  }

  @Override
  public Optional<String> settleLeftBehind(Progress progress) {
    calls.add("settleLeftBehind");
    return Optional.ofNullable(leftBehind);
  }

  public ScriptedDriver tasksAtStop(int tasks) {
    this.tasksAtStop = tasks;
    return this;
  }

  /** How a STOP of a running server ends: GRACEFUL unless told otherwise. */
  public ScriptedDriver stopMode(StopMode mode) {
    this.stopMode = mode;
    return this;
  }

  /**
   * Every call of {@code operation} (a method name) throws {@code failure}, a {@link
   * DriverException} or an unexpected {@link RuntimeException}.
   */
  public ScriptedDriver failing(String operation, Exception failure) {
    if (!(failure instanceof DriverException || failure instanceof RuntimeException)) {
      throw new IllegalArgumentException("a driver throws DriverException or unchecked exceptions");
    }
    failures.put(operation, failure);
    return this;
  }

  public int calls(String operation) {
    return (int) calls.stream().filter(c -> c.equals(operation)).count();
  }

  /** The operations called, in order. */
  public List<String> calls() {
    return List.copyOf(calls);
  }

  public List<StopRequest> stopRequests() {
    return List.copyOf(stopRequests);
  }

  public List<StartRequest> startRequests() {
    return List.copyOf(startRequests);
  }

  public boolean closed() {
    return closed;
  }

  @Override
  public String name() {
    return "scripted";
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.BACKUP, Capability.MIGRATE);
  }

  @Override
  public boolean supports(CommandType type) {
    return type != CommandType.MAINTENANCE_ENTER && type != CommandType.MAINTENANCE_EXIT;
  }

  /** The configuration file's content: {@code original} until one is installed. */
  public String config() {
    return config;
  }

  @Override
  public void installConfig(String content) {
    count("installConfig");
    if (keptConfig == null) {
      keptConfig = config;
    }
    config = content;
  }

  @Override
  public boolean restoreConfig() {
    count("restoreConfig");
    if (keptConfig == null) {
      return false;
    }
    config = keptConfig;
    keptConfig = null;
    return true;
  }

  @Override
  public Observed observe() {
    failUnchecked("observe");
    Observed now = observed;
    if (readyObservations == 0 && now.ready()) {
      observed = new Observed(now.version(), ComponentState.FAILED, false, 0, "crashed");
    } else if (readyObservations > 0 && now.ready() && calls("start") > 0) {
      readyObservations--;
    }
    return observed;
  }

  @Override
  public void boot() {
    count("boot");
    try {
      Thread.sleep(bootTime.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void prepare(KestraVersion version) throws DriverException {
    count("prepare");
    fail("prepare");
    if (version.toString().startsWith("9.")) {
      throw new DriverException(FailureReason.LAUNCHER_MISSING, "no launcher for " + version);
    }
  }

  @Override
  public void start(KestraVersion version, StartRequest request, Progress progress)
      throws DriverException, InterruptedException {
    count("start");
    startRequests.add(request);
    observed = new Observed(version.toString(), ComponentState.STARTING, false, 0);
    work("start", progress, "starting " + version);
    observed = new Observed(version.toString(), ComponentState.RUNNING, true, 0);
  }

  @Override
  public boolean isRunning(KestraVersion version) {
    failUnchecked("isRunning");
    return observed.state() == ComponentState.RUNNING
        && version.toString().equals(observed.version());
  }

  @Override
  public void awaitReady(
      KestraVersion version, Optional<Duration> timeout, Instant since, Progress progress)
      throws DriverException {
    count("awaitReady");
    fail("awaitReady");
    if (!isRunning(version) || !observed.ready()) {
      throw new DriverException(FailureReason.READINESS_TIMEOUT, version + " is not ready");
    }
  }

  @Override
  public StopOutcome stop(StopRequest request, Progress progress)
      throws DriverException, InterruptedException {
    count("stop");
    stopRequests.add(request);
    fail("stop");
    if (observed.state() == ComponentState.STOPPED) {
      return StopOutcome.nothingRunning();
    }
    int atStop = tasksAtStop;
    String version = observed.version();
    long steps = Math.max(1, workTime.toMillis() / 100);
    for (long i = 0; i < steps; i++) {
      int left = (int) (atStop - atStop * i / steps);
      observed = new Observed(version, ComponentState.STOPPING, false, left);
      progress.report("stopping: " + left + " task run(s) still running");
      Thread.sleep(workTime.toMillis() / steps);
    }
    hold.await();
    observed = new Observed(version, ComponentState.STOPPED, false, 0);
    return new StopOutcome(stopMode, atStop);
  }

  @Override
  public void migrate(KestraVersion version, Optional<Duration> timeout, Progress progress)
      throws DriverException, InterruptedException {
    count("migrate");
    work("migrate", progress, "migrating with " + version);
  }

  @Override
  public BackupResult backup(Optional<Duration> timeout, Set<String> keep, Progress progress)
      throws DriverException, InterruptedException {
    count("backup");
    work("backup", progress, "dumping");
    return new BackupResult("backup-test", 42, "ab".repeat(32), "/backups/backup-test.dump");
  }

  @Override
  public Optional<List<String>> restore(
      String backupId, Optional<String> compareWith, Optional<Duration> timeout, Progress progress)
      throws DriverException, InterruptedException {
    count("restore");
    work("restore", progress, "restoring " + backupId);
    return compareWith.map(later -> List.of("execution-written-after-" + backupId));
  }

  @Override
  public void checkBackup(String backupId, Progress progress)
      throws DriverException, InterruptedException {
    count("checkBackup");
    work("checkBackup", progress, "checking " + backupId);
  }

  @Override
  public void close() {
    closed = true;
  }

  private void work(String operation, Progress progress, String status)
      throws DriverException, InterruptedException {
    fail(operation);
    progress.report(status);
    Thread.sleep(workTime.toMillis());
    hold.await();
  }

  private void count(String operation) {
    calls.add(operation);
  }

  private void fail(String operation) throws DriverException {
    if (failures.get(operation) instanceof DriverException scripted) {
      throw scripted;
    }
    failUnchecked(operation);
  }

  private void failUnchecked(String operation) {
    if (failures.get(operation) instanceof RuntimeException unexpected) {
      throw unexpected;
    }
  }
}
