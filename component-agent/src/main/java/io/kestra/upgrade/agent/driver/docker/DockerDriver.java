package io.kestra.upgrade.agent.driver.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import io.kestra.upgrade.agent.driver.BackupResult;
import io.kestra.upgrade.agent.driver.ComponentDriver;
import io.kestra.upgrade.agent.driver.DriverException;
import io.kestra.upgrade.agent.driver.MaintenanceApi;
import io.kestra.upgrade.agent.driver.Progress;
import io.kestra.upgrade.agent.driver.StartRequest;
import io.kestra.upgrade.agent.driver.StopOutcome;
import io.kestra.upgrade.agent.driver.StopRequest;
import io.kestra.upgrade.agent.driver.process.LocalBackups;
import io.kestra.upgrade.agent.driver.process.ManagementClient;
import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.common.Observed;
import io.kestra.upgrade.common.Violations;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code docker} driver: a Kestra server run as a container (by {@code docker run} or Compose),
 * driven through the Docker Engine API (docker-java), so that Compose v1, Compose v2 and plain
 * containers are served alike.
 *
 * <ul>
 *   <li>STOP: the engine's stop (the container's stop signal, SIGTERM for Kestra) with a time-out
 *       of what is left of grace period plus kill margin, then the engine's SIGKILL; drain counts
 *       from the management port meanwhile; graceful / forced / killed from the exit code and the
 *       log.
 *   <li>START on another version: the container is created again from the same repository with the
 *       version's tag (flavour kept), with the same configuration ({@link ContainerSpec}); the old
 *       one is renamed and kept, stopped, so that a START back on its version (a rollback) brings
 *       it back as it was. A container this driver did not create or keep is never removed.
 *   <li>MIGRATE: {@code kestra sys database migrate} in a one-off container of the new image with
 *       the server's configuration, removed once its output is read.
 *   <li>PREPARE: the engine answers, the container is there, the target image is on the host or is
 *       pulled through the engine (with the registry credentials the engine has).
 *   <li>BACKUP/RESTORE: {@code pg_dump}/{@code pg_restore} beside the agent, as the process driver.
 * </ul>
 */
public final class DockerDriver implements ComponentDriver {

  /** The driver's name in heartbeats and configuration. */
  public static final String NAME = "docker";

  /** The label of the containers this driver created (servers and one-off migrations). */
  static final String CREATED_BY = "io.kestra.upgrade.created-by";

  private static final Logger LOG = LoggerFactory.getLogger(DockerDriver.class);
  private static final int TAIL_LINES = 30;
  private static final Duration KESTRA_DEFAULT_GRACE = Duration.ofMinutes(5);
  private static final String GRACE_PROPERTY = "kestra.server.terminationGracePeriod";

  private final DockerDriverSettings settings;
  private final Optional<MaintenanceApi> maintenance;
  private final DockerClient docker;
  private final Clock clock;
  private final TagPattern tags;
  private final DockerState state;
  private final LocalBackups backups;
  private final AtomicReference<Observed> last = new AtomicReference<>(Observed.unknown());
  private volatile Optional<Duration> grace = Optional.empty();
  private volatile boolean stopping;
  private ScheduledExecutorService prober;

  /** A driver without a maintenance API. */
  public DockerDriver(DockerDriverSettings settings, DockerClient docker, Clock clock) {
    this(settings, docker, clock, Optional.empty());
  }

  /**
   * @param maintenance Kestra Enterprise's maintenance API, for MAINTENANCE_* commands
   */
  public DockerDriver(
      DockerDriverSettings settings,
      DockerClient docker,
      Clock clock,
      Optional<MaintenanceApi> maintenance) {
    this.maintenance = maintenance;
    this.settings = settings;
    this.docker = docker;
    this.clock = clock;
    this.tags = new TagPattern(settings.tags());
    this.state = new DockerState(settings.stateDir());
    this.backups =
        new LocalBackups(
            settings.stateDir().resolve("tool-logs"),
            settings.database(),
            settings.limits().toolTimeout(),
            settings.management().interval(),
            clock);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    Set<Capability> capabilities = EnumSet.of(Capability.MIGRATE);
    if (backups.configured()) {
      capabilities.add(Capability.BACKUP);
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
  public Observed observe() {
    return last.get();
  }

  @Override
  public Optional<Duration> configuredGracePeriod() {
    return grace;
  }

  @Override
  public void boot() {
    try {
      Optional<InspectContainerResponse> found = find();
      if (found.isPresent()) {
        InspectContainerResponse c = found.get();
        if (state.managed().filter(c.getId()::equals).isEmpty()) {
          state.managed(c.getId(), c.getConfig().getImage());
        }
        LOG.info(
            "managing {} ({}, {}, {})",
            settings.container().describe(),
            shortId(c.getId()),
            c.getConfig().getImage(),
            running(c) ? "running" : "stopped");
      } else {
        LOG.warn("{} not found: nothing to manage yet", settings.container().describe());
      }
    } catch (DriverException e) {
      LOG.error("cannot find {}: {}", settings.container().describe(), e.getMessage());
    }
    probe();
    prober =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "probe-docker-" + settings.kind().wireName());
              t.setDaemon(true);
              return t;
            });
    prober.scheduleWithFixedDelay(
        this::probeQuietly,
        settings.management().interval().toMillis(),
        settings.management().interval().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void prepare(KestraVersion version) throws DriverException, InterruptedException {
    InspectContainerResponse c = requireManaged();
    String image = imageFor(c, version);
    if (imagePresent(image)) {
      return;
    }
    LOG.info("image {} is not on this host: pulling it through the engine", image);
    ImageRef ref = ImageRef.parse(image);
    try {
      boolean done =
          docker
              .pullImageCmd(ref.repository())
              .withTag(ref.tag().orElseThrow())
              .exec(new PullImageResultCallback())
              .awaitCompletion(settings.limits().pullTimeout().toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        throw new DriverException(
            FailureReason.LAUNCHER_MISSING,
            "pulling " + image + " did not end within " + settings.limits().pullTimeout());
      }
    } catch (DockerException | com.github.dockerjava.api.exception.DockerClientException e) {
      throw new DriverException(
          FailureReason.LAUNCHER_MISSING,
          "image "
              + image
              + " is not on this host and the engine cannot pull it: "
              + e.getMessage(),
          e);
    }
    if (!imagePresent(image)) {
      throw new DriverException(
          FailureReason.LAUNCHER_MISSING, "the engine pulled nothing for " + image);
    }
  }

  @Override
  public void start(KestraVersion version, StartRequest request, Progress progress)
      throws DriverException, InterruptedException {
    Instant since = clock.instant();
    try {
      InspectContainerResponse c = requireManaged();
      Optional<KestraVersion> runsOn = versionOf(c);
      if (running(c)) {
        if (runsOn.filter(version::equals).isEmpty()) {
          throw new DriverException(
              FailureReason.VERSION_MISMATCH,
              "the container runs "
                  + c.getConfig().getImage()
                  + ", not "
                  + version
                  + ": STOP it first, or send RESTART");
        }
      } else {
        state.stopRequested(false);
        Optional<DockerState.Kept> kept = state.kept();
        if (kept.isPresent() && kept.get().version().equals(version.toString())) {
          bringBackKept(c, kept.get(), progress);
        } else if (runsOn.filter(version::equals).isPresent() && request.gracePeriod().isEmpty()) {
          progress.report("starting container " + name(c));
          startContainer(c.getId());
        } else {
          recreate(c, version, request.gracePeriod(), progress);
        }
      }
      awaitReady(version, request.readinessTimeout(), since, progress);
    } finally {
      probe();
    }
  }

  /**
   * Removes the container kept for a rollback (it ran the version the upgrade left), and with
   * {@code recordVersion} writes {@code version} into the Compose project's files or {@code .env}
   * ({@link ComposeProject#record}). What cannot be done is said, not failed: the upgrade is over.
   */
  @Override
  public String finish(KestraVersion version, boolean recordVersion, Progress progress) {
    List<String> said = new ArrayList<>();
    Optional<DockerState.Kept> kept = state.kept();
    if (kept.isEmpty()) {
      said.add("no container was kept for a rollback");
    } else {
      try {
        docker.removeContainerCmd(kept.get().containerId()).withForce(true).exec();
        said.add(
            "removed the "
                + kept.get().version()
                + " container kept for a rollback ("
                + shortId(kept.get().containerId())
                + ")");
      } catch (NotFoundException e) {
        said.add("the container kept for a rollback is gone already");
      } catch (RuntimeException e) {
        said.add(
            "could not remove the container kept for a rollback ("
                + shortId(kept.get().containerId())
                + "): "
                + e.getMessage()
                + "; remove it by hand");
      }
      state.forgetKept();
    }
    if (recordVersion) {
      try {
        said.add(recordInCompose(requireManaged(), version));
      } catch (DriverException e) {
        said.add(version + " not recorded: " + e.getMessage());
      }
    }
    String text = String.join("; ", said);
    LOG.info("finished on {}: {}", version, text);
    return text;
  }

  private String recordInCompose(InspectContainerResponse c, KestraVersion version) {
    Optional<ComposeProject> project = ComposeProject.of(c, settings.compose().file());
    if (project.isEmpty()) {
      return "the container was not created by Compose: no file to record " + version + " in";
    }
    Optional<String> unreachable = project.get().unreachable();
    if (unreachable.isPresent()) {
      return version + " not recorded: " + unreachable.get();
    }
    try {
      return project
          .get()
          .record(ImageRef.parse(c.getConfig().getImage()).repository(), tags, version);
    } catch (IOException e) {
      return version + " not recorded in " + project.get().describe() + ": " + e;
    }
  }

  @Override
  public boolean isRunning(KestraVersion version) {
    try {
      Optional<InspectContainerResponse> c = managed();
      return c.isPresent()
          && running(c.get())
          && versionOf(c.get()).filter(version::equals).isPresent();
    } catch (DriverException e) {
      return false;
    }
  }

  @Override
  public void awaitReady(
      KestraVersion version, Optional<Duration> timeout, Instant since, Progress progress)
      throws DriverException, InterruptedException {
    Duration limit = timeout.orElse(settings.limits().readinessTimeout());
    Instant deadline = since.plus(limit);
    while (true) {
      InspectContainerResponse c = requireManaged();
      if (!running(c)) {
        Long code = c.getState().getExitCodeLong();
        throw new DriverException(
            FailureReason.START_FAILED,
            "container "
                + name(c)
                + " ("
                + c.getConfig().getImage()
                + ") exited while starting"
                + (code == null ? "" : " with code " + code)
                + ". Last lines of its log:\n"
                + ContainerLogs.tail(docker, c.getId(), since, TAIL_LINES));
      }
      if (versionOf(c).filter(version::equals).isEmpty()) {
        throw new DriverException(
            FailureReason.VERSION_MISMATCH,
            "container " + name(c) + " runs " + c.getConfig().getImage() + ", not " + version);
      }
      if (ready(c)) {
        LOG.info("{} ({}) is ready", name(c), c.getConfig().getImage());
        probe();
        return;
      }
      Instant now = clock.instant();
      if (!now.isBefore(deadline)) {
        throw new DriverException(
            FailureReason.READINESS_TIMEOUT,
            "container "
                + name(c)
                + " ("
                + c.getConfig().getImage()
                + ") was not ready within "
                + limit
                + "; it is left running. Last lines of its log:\n"
                + ContainerLogs.tail(docker, c.getId(), since, TAIL_LINES));
      }
      progress.report(
          "waiting for "
              + version
              + " to report ready ("
              + Duration.between(since, now).toSeconds()
              + " s of "
              + limit.toSeconds()
              + " s)");
      Thread.sleep(
          Math.max(
              1,
              Math.min(
                  settings.management().interval().toMillis(),
                  Duration.between(now, deadline).toMillis())));
    }
  }

  @Override
  public StopOutcome stop(StopRequest request, Progress progress)
      throws DriverException, InterruptedException {
    stopping = true;
    try {
      Optional<InspectContainerResponse> found = managed();
      state.stopRequested(true);
      if (found.isEmpty() || !running(found.get())) {
        return StopOutcome.nothingRunning();
      }
      return new ContainerStopper(docker, settings, clock)
          .stop(
              found.get(),
              request,
              effectiveGrace(found.get(), request),
              management(found.get()),
              last.get(),
              progress);
    } finally {
      stopping = false;
      probe();
    }
  }

  @Override
  public void migrate(KestraVersion version, Optional<Duration> timeout, Progress progress)
      throws DriverException, InterruptedException {
    InspectContainerResponse c = requireManaged();
    String image = imageFor(c, version);
    if (!imagePresent(image)) {
      throw new DriverException(
          FailureReason.LAUNCHER_MISSING, "image " + image + " is not on this host: run PREPARE");
    }
    new OneOffMigration(docker, state, clock, settings.management().interval())
        .run(
            ContainerSpec.of(docker, c),
            image,
            version,
            timeout.orElse(settings.limits().toolTimeout()),
            progress);
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

  @Override
  public Optional<String> settleLeftBehind(Progress progress) throws InterruptedException {
    return backups.settleLeftBehind(progress);
  }

  @Override
  public void close() {
    if (prober != null) {
      prober.shutdownNow();
    }
    try {
      docker.close();
    } catch (java.io.IOException e) {
      LOG.debug("closing the engine client", e);
    }
  }

  // --- the container ---------------------------------------------------------------------------

  /** The server's container: the one this driver manages, else the only one the selector finds. */
  private Optional<InspectContainerResponse> find() throws DriverException {
    try {
      Optional<String> kept = state.kept().map(DockerState.Kept::containerId);
      List<Container> candidates =
          (settings.container().name().isPresent()
                  ? docker
                      .listContainersCmd()
                      .withShowAll(true)
                      .withNameFilter(List.of(settings.container().name().get()))
                  : docker
                      .listContainersCmd()
                      .withShowAll(true)
                      .withLabelFilter(settings.container().labels()))
              .exec().stream()
                  .filter(k -> kept.filter(k.getId()::equals).isEmpty())
                  .filter(this::selected)
                  .toList();
      Optional<String> managed = state.managed();
      Optional<Container> chosen =
          candidates.stream()
              .filter(k -> managed.filter(k.getId()::equals).isPresent())
              .findFirst();
      if (chosen.isEmpty() && candidates.size() == 1) {
        chosen = Optional.of(candidates.get(0));
      }
      if (chosen.isEmpty() && candidates.size() > 1) {
        throw new DriverException(
            FailureReason.CONTAINER_CHANGED,
            candidates.size()
                + " containers match "
                + settings.container().describe()
                + ": "
                + candidates.stream().map(k -> k.getNames()[0]).toList());
      }
      return chosen.map(k -> docker.inspectContainerCmd(k.getId()).exec());
    } catch (DockerException | com.github.dockerjava.api.exception.DockerClientException e) {
      throw unavailable(e);
    } catch (RuntimeException e) {
      if (e.getCause() instanceof java.io.IOException) {
        throw unavailable(e);
      }
      throw e;
    }
  }

  private boolean selected(Container k) {
    // the engine's name filter matches substrings: only the exact name is the server
    return settings
        .container()
        .name()
        .map(n -> k.getNames() != null && List.of(k.getNames()).contains("/" + n))
        .orElse(true);
  }

  /**
   * The managed container, checked against what this driver last did to it: another id or image
   * means someone else replaced or changed it.
   */
  private Optional<InspectContainerResponse> managed() throws DriverException {
    Optional<InspectContainerResponse> found = find();
    if (found.isPresent() && state.managed().isPresent()) {
      InspectContainerResponse c = found.get();
      if (!c.getId().equals(state.managed().get())) {
        throw new DriverException(
            FailureReason.CONTAINER_CHANGED,
            settings.container().describe()
                + " is now container "
                + shortId(c.getId())
                + " ("
                + c.getConfig().getImage()
                + "), not "
                + shortId(state.managed().get())
                + " ("
                + state.managedImage().orElse("?")
                + ") that this agent manages: it was replaced by someone else");
      }
      if (state.managedImage().filter(c.getConfig().getImage()::equals).isEmpty()) {
        throw new DriverException(
            FailureReason.CONTAINER_CHANGED,
            "container "
                + name(c)
                + " runs image "
                + c.getConfig().getImage()
                + ", not "
                + state.managedImage().orElse("?")
                + " as this agent left it: it was changed by someone else");
      }
    }
    return found;
  }

  private InspectContainerResponse requireManaged() throws DriverException {
    return managed()
        .orElseThrow(
            () ->
                new DriverException(
                    FailureReason.CONTAINER_MISSING,
                    settings.container().describe() + " does not exist on this engine"));
  }

  private void recreate(
      InspectContainerResponse c,
      KestraVersion version,
      Optional<Duration> gracePeriod,
      Progress progress)
      throws DriverException {
    String image = imageFor(c, version);
    if (!imagePresent(image)) {
      throw new DriverException(
          FailureReason.LAUNCHER_MISSING, "image " + image + " is not on this host: run PREPARE");
    }
    ContainerSpec spec = ContainerSpec.of(docker, c);
    String name = spec.name();
    String oldVersion = versionOf(c).map(KestraVersion::toString).orElse("unknown");
    dropEarlierKept();
    String keptName = name + "-kestra-upgrade-" + oldVersion;
    progress.report(
        "recreating " + name + " on " + image + " (the old container is kept as " + keptName + ")");
    state.kept(c.getId(), oldVersion);
    docker.renameContainerCmd(c.getId()).withName(keptName).exec();
    String id;
    try {
      id =
          spec.create(
                  docker,
                  image,
                  name,
                  spec.command(),
                  JavaOptsEnv.withGrace(spec.env(), GRACE_PROPERTY, gracePeriod),
                  newLabels(c, version, progress))
              .exec()
              .getId();
    } catch (RuntimeException e) {
      // nothing new exists: the old container takes its name back, as it was
      docker.renameContainerCmd(c.getId()).withName(name).exec();
      state.forgetKept();
      throw new DriverException(
          FailureReason.START_FAILED,
          "cannot create " + name + " on " + image + ": " + e.getMessage(),
          e);
    }
    state.created(id);
    state.managed(id, image);
    spec.connectOtherNetworks(docker, id);
    LOG.info(
        "created {} ({}) on {}; the {} container is kept, stopped, as {}",
        name,
        shortId(id),
        image,
        oldVersion,
        keptName);
    startContainer(id);
  }

  /**
   * The labels a recreated container gets besides its own: the driver's mark, and for a Compose
   * container the config hash Compose will compute once its file names {@code version}, so that
   * {@code up -d} then leaves the container alone. Without that hash (no file this agent can read,
   * no Compose command) the container keeps the old hash, and the next {@code up -d} recreates it
   * once more: said in the progress and the log.
   */
  private Map<String, String> newLabels(
      InspectContainerResponse c, KestraVersion version, Progress progress) {
    Map<String, String> labels = new HashMap<>();
    labels.put(CREATED_BY, "kestra-upgrade-agent");
    Optional<ComposeProject> project = ComposeProject.of(c, settings.compose().file());
    if (project.isEmpty()) {
      return labels;
    }
    String why;
    Optional<String> unreachable = project.get().unreachable();
    if (unreachable.isEmpty()) {
      try {
        labels.put(
            ComposeProject.CONFIG_HASH,
            project
                .get()
                .configHash(
                    ImageRef.parse(c.getConfig().getImage()).repository(),
                    tags,
                    version,
                    settings.compose().command(),
                    settings.limits().toolTimeout()));
        return labels;
      } catch (IOException e) {
        why = e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        why = "interrupted";
      }
    } else {
      why = unreachable.get();
    }
    String said =
        "no Compose config hash for the new container ("
            + why
            + "): the next docker-compose up -d will recreate it once more";
    LOG.warn("{}", said);
    progress.report(said);
    return labels;
  }

  /** A rollback: the kept container takes its name back and starts as it was. */
  private void bringBackKept(
      InspectContainerResponse current, DockerState.Kept kept, Progress progress)
      throws DriverException {
    InspectContainerResponse old = docker.inspectContainerCmd(kept.containerId()).exec();
    String name = name(current);
    progress.report("bringing back the kept " + kept.version() + " container as " + name);
    if (!state.created().contains(current.getId())) {
      throw new DriverException(
          FailureReason.CONTAINER_CHANGED,
          "container "
              + name
              + " was not created by this agent: it will not remove it to bring back the kept "
              + kept.version()
              + " one");
    }
    docker.removeContainerCmd(current.getId()).withForce(true).exec();
    state.removed(current.getId());
    docker.renameContainerCmd(old.getId()).withName(name).exec();
    state.managed(old.getId(), old.getConfig().getImage());
    state.forgetKept();
    LOG.info("brought back the {} container {} ({})", kept.version(), name, shortId(old.getId()));
    startContainer(old.getId());
  }

  /** A container kept from an earlier, finished upgrade: removed before another is kept. */
  private void dropEarlierKept() {
    state
        .kept()
        .ifPresent(
            k -> {
              try {
                docker.removeContainerCmd(k.containerId()).withForce(true).exec();
                LOG.info(
                    "removed the container kept from the previous upgrade ({}, {})",
                    shortId(k.containerId()),
                    k.version());
              } catch (NotFoundException e) {
                LOG.info("the container kept from the previous upgrade is gone already");
              }
              state.forgetKept();
            });
  }

  private void startContainer(String id) throws DriverException {
    try {
      docker.startContainerCmd(id).exec();
    } catch (NotModifiedException e) {
      // already running
    } catch (DockerException e) {
      throw new DriverException(
          FailureReason.START_FAILED,
          "the engine cannot start container " + shortId(id) + ": " + e.getMessage(),
          e);
    }
  }

  private String imageFor(InspectContainerResponse c, KestraVersion version)
      throws DriverException {
    ImageRef ref = ImageRef.parse(c.getConfig().getImage());
    String flavour = ref.tag().flatMap(tags::parse).map(TagPattern.Parsed::flavour).orElse("");
    return ref.withTag(tags.tag(version, flavour));
  }

  private Optional<KestraVersion> versionOf(InspectContainerResponse c) {
    return ImageRef.parse(c.getConfig().getImage())
        .tag()
        .flatMap(tags::parse)
        .map(TagPattern.Parsed::version);
  }

  private boolean imagePresent(String image) throws DriverException {
    try {
      docker.inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    } catch (DockerException e) {
      throw unavailable(e);
    }
  }

  private ManagementClient management(InspectContainerResponse c) {
    String host =
        settings
            .management()
            .host()
            .orElseGet(
                () -> "host".equals(c.getHostConfig().getNetworkMode()) ? "127.0.0.1" : name(c));
    return new ManagementClient(host, settings.management().port());
  }

  private Duration effectiveGrace(InspectContainerResponse c, StopRequest request) {
    return request
        .gracePeriod()
        .or(() -> JavaOptsEnv.grace(List.of(c.getConfig().getEnv()), GRACE_PROPERTY))
        .orElse(KESTRA_DEFAULT_GRACE);
  }

  private boolean ready(InspectContainerResponse c) {
    return ready(c, management(c));
  }

  /**
   * Kestra's readiness on the management port when it answers; else the engine's own health check,
   * if the container has one (a port the agent cannot reach on the container's network).
   */
  private static boolean ready(InspectContainerResponse c, ManagementClient management) {
    return management.readiness().orElseGet(() -> engineHealthy(c));
  }

  private static boolean engineHealthy(InspectContainerResponse c) {
    return c.getState().getHealth() != null
        && "healthy".equals(c.getState().getHealth().getStatus());
  }

  private static boolean running(InspectContainerResponse c) {
    return Boolean.TRUE.equals(c.getState().getRunning());
  }

  private static String name(InspectContainerResponse c) {
    return c.getName().startsWith("/") ? c.getName().substring(1) : c.getName();
  }

  static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  private DriverException unavailable(Exception e) {
    return new DriverException(
        FailureReason.ENGINE_UNAVAILABLE,
        "the Docker engine does not answer: " + e.getMessage(),
        e);
  }

  // --- observation -----------------------------------------------------------------------------

  private void probeQuietly() {
    try {
      probe();
    } catch (RuntimeException e) {
      LOG.warn("probing the {} container failed", settings.kind().wireName(), e);
    }
  }

  private void probe() {
    Observed previous = last.get();
    try {
      Optional<InspectContainerResponse> found = find();
      if (found.isEmpty()) {
        last.set(
            new Observed(
                previous.version(),
                ComponentState.STOPPED,
                false,
                0,
                settings.container().describe() + " does not exist on this engine"));
        return;
      }
      InspectContainerResponse c = found.get();
      String version = versionOf(c).map(KestraVersion::toString).orElse(previous.version());
      grace =
          Optional.of(
              JavaOptsEnv.grace(List.of(c.getConfig().getEnv()), GRACE_PROPERTY)
                  .orElse(KESTRA_DEFAULT_GRACE));
      if (!running(c)) {
        Long code = c.getState().getExitCodeLong();
        boolean asked = state.stopRequested() || stopping;
        ComponentState s =
            asked || code == null || code == 0 ? ComponentState.STOPPED : ComponentState.FAILED;
        last.set(new Observed(version, s, false, 0));
        return;
      }
      ManagementClient management = management(c);
      boolean ready = ready(c, management);
      int tasks = management.runningTasks().orElse(previous.inFlightTasks());
      ComponentState s =
          stopping
              ? ComponentState.STOPPING
              : ready ? ComponentState.RUNNING : ComponentState.STARTING;
      last.set(new Observed(version, s, ready, tasks));
    } catch (DriverException e) {
      // said in every heartbeat, so that the operator and the preflight see why
      last.set(
          new Observed(
              previous.version(),
              ComponentState.UNKNOWN,
              false,
              previous.inFlightTasks(),
              Violations.clip(e.getMessage().replaceAll("\\s+", " "), Violations.MAX_SHORT)));
    }
  }
}
