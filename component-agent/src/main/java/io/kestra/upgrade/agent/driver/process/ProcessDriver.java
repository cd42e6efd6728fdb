package io.kestra.upgrade.agent.driver.process;

import io.kestra.upgrade.agent.driver.BackupResult;
import io.kestra.upgrade.agent.driver.ComponentDriver;
import io.kestra.upgrade.agent.driver.DriverException;
import io.kestra.upgrade.agent.driver.MaintenanceApi;
import io.kestra.upgrade.agent.driver.Progress;
import io.kestra.upgrade.agent.driver.StartRequest;
import io.kestra.upgrade.agent.driver.StopOutcome;
import io.kestra.upgrade.agent.driver.StopRequest;
import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.common.Observed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code process} driver: a Kestra server of a standalone install, run as an OS process from
 * the {@code <installDir>/kestra-<version>} launchers, watched through its management port.
 *
 * <p>At boot it adopts the server an earlier run of the agent launched (same pid, same start time,
 * still {@code server <kind>}); otherwise, with autostart, it launches the last version that ran
 * (or the initial one), unless the last command stopped it. The server is never the agent's child
 * in spirit: closing the driver leaves it running.
 *
 * <p>An agent that is its container's pid 1 reaps the zombies among its children ({@link
 * ZombieReaper}): nobody else would.
 *
 * <p>MAINTENANCE_* commands go to Kestra Enterprise's maintenance API when one is configured.
 */
public final class ProcessDriver implements ComponentDriver {

  /** The driver's name in heartbeats and configuration. */
  public static final String NAME = "process";

  private static final Logger LOG = LoggerFactory.getLogger(ProcessDriver.class);
  private static final Duration REAP_INTERVAL = Duration.ofSeconds(1);

  private final ProcessDriverSettings settings;
  private final Optional<MaintenanceApi> maintenance;
  private final ServerTracker tracker;
  private final Prober prober;
  private final ServerStarter starter;
  private final ServerStopper stopper;
  private final DatabaseMigrator migrator;
  private final LocalBackups backups;
  private final Launchers launchers;
  private final ConfiguredGracePeriod configuredGrace;

  /** The server's {@code -c} file, which an upgrade may replace, if it has one. */
  private final Optional<ConfigSwap> config;

  private volatile Optional<Duration> reportedGrace = Optional.empty();
  private ZombieReaper reaper;

  public ProcessDriver(ProcessDriverSettings settings, Clock clock) {
    this(settings, clock, Optional.empty());
  }

  /**
   * @param maintenance Kestra Enterprise's maintenance API, for MAINTENANCE_* commands
   */
  public ProcessDriver(
      ProcessDriverSettings settings, Clock clock, Optional<MaintenanceApi> maintenance) {
    this.maintenance = maintenance;
    this.settings = settings;
    this.launchers = new Launchers(settings.installDir());
    this.tracker =
        new ServerTracker(
            new ServerRecordStore(settings.stateDir()), settings.boot().initialVersion());
    ManagementClient management = new ManagementClient(settings.probe().managementPort());
    ServerLog log = new ServerLog(settings.launch().logFile());
    this.configuredGrace =
        new ConfiguredGracePeriod(settings.launch().configFile(), settings.launch().javaOpts());
    this.config = settings.launch().configFile().map(ConfigSwap::new);
    this.prober = new Prober(tracker, management, settings.kind(), this::refreshGracePeriod);
    this.starter = new ServerStarter(settings, launchers, tracker, prober, log, clock);
    this.stopper = new ServerStopper(settings, tracker, prober, management, log, clock);
    ToolRunner tools =
        new ToolRunner(
            settings.stateDir().resolve("tool-logs"), clock, settings.probe().interval());
    this.migrator = new DatabaseMigrator(settings, launchers, tools);
    this.backups =
        new LocalBackups(tools, settings.database(), settings.limits().toolTimeout(), clock);
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * MIGRATE always (the launchers can), BACKUP when Kestra's database is configured, CONFIG_FILE
   * when the server has a {@code -c} file, MAINTENANCE with a maintenance API.
   */
  @Override
  public Set<Capability> capabilities() {
    Set<Capability> capabilities = EnumSet.of(Capability.MIGRATE);
    if (backups.configured()) {
      capabilities.add(Capability.BACKUP);
    }
    if (config.isPresent()) {
      capabilities.add(Capability.CONFIG_FILE);
    }
    if (maintenance.isPresent()) {
      capabilities.add(Capability.MAINTENANCE);
    }
    return capabilities;
  }

  @Override
  public Optional<MaintenanceApi> maintenanceApi() {
    return maintenance;
  }

  @Override
  public void installConfig(String content) throws DriverException {
    configSwap().install(content);
  }

  @Override
  public boolean restoreConfig() throws DriverException {
    return configSwap().restore();
  }

  private ConfigSwap configSwap() throws DriverException {
    return config.orElseThrow(
        () ->
            new DriverException(
                FailureReason.UNSUPPORTED_COMMAND,
                "the server has no configuration file (-c) for the agent to replace"));
  }

  /** Drops the configuration file an upgrade replaced: the upgrade or its rollback is over. */
  @Override
  public String finish(KestraVersion version, boolean recordVersion, Progress progress)
      throws DriverException, InterruptedException {
    String done = ComponentDriver.super.finish(version, recordVersion, progress);
    if (config.isEmpty()) {
      return done;
    }
    try {
      return config.get().drop()
          ? "dropped " + config.get().kept() + ", kept for a rollback; " + done
          : done;
    } catch (java.io.IOException e) {
      return "could not drop " + config.get().kept() + " (" + e + "); " + done;
    }
  }

  @Override
  public Observed observe() {
    return prober.cached();
  }

  /**
   * The grace period of the server running now, as computed when it was launched (its {@code -c}
   * file's {@code kestra.server.terminationGracePeriod}, else the {@code -D} one, else Kestra's 5
   * minutes); with no server running, the one its configuration gives a server launched without a
   * START's own. A volatile read: the value is refreshed at boot, after each command that starts or
   * stops the server, and by the probe thread (which reads the file only when it changed).
   */
  @Override
  public Optional<Duration> configuredGracePeriod() {
    return reportedGrace;
  }

  private void refreshGracePeriod() {
    configuredGrace.refresh();
    reportedGrace = tracker.runningGracePeriod().or(configuredGrace::current);
  }

  /** The exit code of the last server this agent launched, once it has exited (for tests). */
  OptionalInt lastExitCode() {
    return tracker.lastHandle().map(ServerHandle::exitCode).orElse(OptionalInt.empty());
  }

  @Override
  public void boot() {
    Optional<ServerRecord> last = tracker.load();
    Optional<ServerHandle> adopted = last.flatMap(r -> ServerHandle.adopt(r, settings.kind()));
    if (adopted.isPresent()) {
      tracker.adopted(adopted.get());
      LOG.info(
          "adopted the {} server on {} (pid {}) started by an earlier run of the agent",
          settings.kind().wireName(),
          last.get().version(),
          adopted.get().pid());
    } else if (last.isPresent() && last.get().stopRequested()) {
      LOG.info(
          "the {} server on {} was stopped by a command: leaving it stopped",
          settings.kind().wireName(),
          last.get().version());
    } else if (settings.boot().autostart()) {
      autostart(last);
    }
    if (ZombieReaper.needed()) {
      // a container's pid 1 without an init: the orphans of the server and the tools are ours
      LOG.info("the agent is pid 1: it reaps the zombie children it did not start");
      reaper = new ZombieReaper().start(REAP_INTERVAL);
    }
    refreshGracePeriod();
    prober.probeNow();
    prober.start(settings.probe().interval(), "probe-" + settings.kind().wireName());
  }

  private void autostart(Optional<ServerRecord> last) {
    Optional<KestraVersion> version =
        last.flatMap(r -> KestraVersion.tryParse(r.version()))
            .or(() -> settings.boot().initialVersion());
    if (version.isEmpty()) {
      LOG.warn("autostart is on but no initial version is configured: nothing started");
      return;
    }
    try {
      starter.launch(
          version.get(),
          last.map(r -> Optional.ofNullable(r.gracePeriod())).orElse(Optional.empty()));
    } catch (DriverException e) {
      // the agent still runs, reports the server as stopped and takes commands
      LOG.error("autostart of {} failed: {} {}", version.get(), e.reason(), e.getMessage());
    }
  }

  @Override
  public void prepare(KestraVersion version) throws DriverException {
    launchers.require(version);
  }

  @Override
  public void start(KestraVersion version, StartRequest request, Progress progress)
      throws DriverException, InterruptedException {
    try {
      starter.start(version, request.readinessTimeout(), request.gracePeriod(), progress);
    } finally {
      refreshGracePeriod();
    }
  }

  @Override
  public boolean isRunning(KestraVersion version) {
    return tracker.live().isPresent() && tracker.version().filter(version::equals).isPresent();
  }

  @Override
  public void awaitReady(
      KestraVersion version, Optional<Duration> timeout, Instant since, Progress progress)
      throws DriverException, InterruptedException {
    starter.awaitReady(version, timeout, since, progress);
  }

  @Override
  public StopOutcome stop(StopRequest request, Progress progress)
      throws DriverException, InterruptedException {
    try {
      return stopper.stop(request, progress);
    } finally {
      refreshGracePeriod();
    }
  }

  @Override
  public void migrate(KestraVersion version, Optional<Duration> timeout, Progress progress)
      throws DriverException, InterruptedException {
    migrator.migrate(version, timeout.orElse(settings.limits().toolTimeout()), progress);
  }

  @Override
  public BackupResult backup(Optional<Duration> timeout, Set<String> keep, Progress progress)
      throws DriverException, InterruptedException {
    return backups.backup(timeout, keep, progress);
  }

  @Override
  public Optional<List<String>> restore(
      String backupId, Optional<String> compareWith, Optional<Duration> timeout, Progress progress)
      throws DriverException, InterruptedException {
    return backups.restore(backupId, compareWith, timeout, progress);
  }

  @Override
  public void checkBackup(String backupId, Progress progress) throws DriverException {
    backups.check(backupId, progress);
  }

  /** The tools ({@code pg_dump}, a migration) the agent's earlier run left behind. */
  @Override
  public Optional<String> settleLeftBehind(Progress progress) throws InterruptedException {
    return backups.settleLeftBehind(progress);
  }

  @Override
  public void close() {
    prober.close();
    if (reaper != null) {
      reaper.close();
    }
  }
}
