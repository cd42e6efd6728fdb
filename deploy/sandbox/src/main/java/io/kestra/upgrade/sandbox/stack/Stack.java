package io.kestra.upgrade.sandbox.stack;

import io.kestra.upgrade.sandbox.support.Http;
import io.kestra.upgrade.sandbox.support.Trees;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The sandbox: its parts, started in order and each only if it is not running yet (so {@code up} is
 * idempotent), stopped in the reverse order.
 *
 * <ol>
 *   <li>The credentials: the key pair the coordinator verifies tokens with and the agents' master
 *       key, made once; fresh operator and viewer tokens at each start.
 *   <li>PostgreSQL (embedded binaries, or {@code UPGRADE_DB_URL}), with Kestra's and the
 *       coordinator's databases.
 *   <li>Kafka: Apache Kafka's own jars, KRaft combined mode, formatted at the first start.
 *   <li>The coordinator, {@code quarkus-run.jar}, on 8090.
 *   <li>The stand-in Kestra install: {@code kestra-<version>} launchers, one config file per
 *       server, and Kestra's schema at the fleet's version.
 *   <li>The agents, which start their servers on the fleet's version; then the stack waits until
 *       the coordinator sees every agent ready.
 * </ol>
 *
 * <p>On {@link Platform#COMPOSE} the servers are the services of a Compose project instead ({@link
 * ComposeFleetPart}, started after the install has created the schema), and each agent drives its
 * container with the docker driver; the agents and everything else stay processes.
 */
public final class Stack {

  private final Platform platform;
  private final String fleetVersion;
  private final KestraInstallPart install;
  private final Optional<ComposeFleetPart> compose;
  private final Layout layout;
  private final Database db;
  private final FleetSpec fleet;
  private final Credentials credentials;
  private final CoordinatorPart coordinator;
  private final FleetView fleetView;
  private final List<Part> parts = new ArrayList<>();

  /**
   * The stack of {@code fleet}, whose servers run {@code fleetVersion} at first.
   *
   * @param layout where everything lives
   * @param db the PostgreSQL server
   * @param fleet the stand-in Kestra servers
   * @param fleetVersion their version at first
   */
  public Stack(Layout layout, Database db, FleetSpec fleet, String fleetVersion) {
    this(layout, db, fleet, fleetVersion, Platform.PROCESS);
  }

  /**
   * The stack of {@code fleet} on {@code platform}.
   *
   * @throws IllegalArgumentException for {@link Platform#KUBERNETES}, which has none yet
   */
  public Stack(
      Layout layout, Database db, FleetSpec fleet, String fleetVersion, Platform platform) {
    if (platform == Platform.KUBERNETES) {
      throw new IllegalArgumentException("the sandbox has no Kubernetes stack yet");
    }
    this.platform = platform;
    this.fleetVersion = fleetVersion;
    this.layout = layout;
    this.db = db;
    this.fleet = fleet;
    this.credentials = new Credentials(layout);
    this.coordinator = new CoordinatorPart(layout, db, credentials);
    this.fleetView = new FleetView(coordinator.url(), fleet, coordinatorClient());
    this.install = new KestraInstallPart(layout, db, fleet, fleetVersion);
    parts.add(credentials);
    parts.add(db.external() ? new ExternalPostgresPart(db) : new PostgresPart(layout, db));
    parts.add(new KafkaPart(layout));
    parts.add(coordinator);
    parts.add(install);
    ComposeFleetPart compose = null;
    if (platform == Platform.COMPOSE) {
      compose = new ComposeFleetPart(layout, db, fleet, fleetVersion);
      parts.add(compose);
    }
    this.compose = Optional.ofNullable(compose);
    for (FleetSpec.Server s : fleet.servers()) {
      parts.add(
          compose == null
              ? AgentPart.process(layout, db, install, fleet.cluster(), s, credentials)
              : AgentPart.docker(
                  layout, db, fleet.cluster(), s, credentials, ComposeFleetPart.PROJECT));
    }
  }

  /** The same stack with its fleet under {@code profile}. */
  public Stack withProfile(KestraConfig.Profile profile) {
    return new Stack(layout, db, fleet.withProfile(profile), fleetVersion, platform);
  }

  /** The configuration file of server {@code s} of the process platform. */
  public Path configFile(FleetSpec.Server s) {
    return install.configFile(s);
  }

  /** The launcher {@code kestra-<version>} of the stand-in install. */
  public Path launcher(String version) {
    return layout.kestraInstall().resolve("kestra-" + version);
  }

  /**
   * Stops every agent, their servers left running: what the upgrade guide's own ways start from (no
   * coordinator nor agent acts).
   */
  public void stopAgents() {
    parts.stream().filter(AgentPart.class::isInstance).forEach(Part::stop);
  }

  /**
   * Restarts every agent, one at a time, as an operator rolls out a new agent build: each stopped
   * (SIGTERM), started again on {@code agentJar} or the sandbox's own build, and awaited until the
   * coordinator hears it again with its server ready, before the next. The Kestra servers are not
   * restarted: each agent adopts its running server (the process driver by the server's record, the
   * docker driver by its container).
   *
   * @return whether every Kestra server is the one that ran before (same processes, or same
   *     containers)
   * @throws IllegalStateException while an upgrade of the cluster is in flight: its commands are
   *     the agents' to carry out
   * @throws StartFailedException when an agent is not back in time
   */
  public boolean restartAgents(PrintStream out, Optional<Path> agentJar)
      throws IOException, InterruptedException {
    Optional<String> upgrade = fleetView.upgradeInFlight();
    if (upgrade.isPresent()) {
      throw new IllegalStateException(
          "upgrade "
              + upgrade.get()
              + " is in flight: restart the agents once it is over (sandbox status follows it)");
    }
    List<String> before = serverIds();
    for (Part part : parts) {
      if (part instanceof AgentPart agent) {
        java.time.Instant restartedAt = java.time.Instant.now();
        agent.restart(out, agentJar);
        Readiness.await(
            agent.agentId() + " reporting again",
            "see its log in " + layout.logs(),
            Duration.ofMinutes(1),
            () -> fleetView.reportsSince(agent.agentId(), restartedAt));
        out.println("✓ " + agent.agentId() + " back, its server adopted");
      }
    }
    return before.equals(serverIds());
  }

  /** The Kestra servers' processes (process platform) or containers (Compose), sorted. */
  private List<String> serverIds() {
    if (compose.isPresent()) {
      return compose.get().containerIds();
    }
    return ManagedProcess.serversUnder(layout.home()).stream()
        .map(h -> Long.toString(h.pid()))
        .sorted()
        .toList();
  }

  /** Where the fleet runs. */
  public Platform platform() {
    return platform;
  }

  /** The Compose project of the fleet, on {@link Platform#COMPOSE}. */
  public Optional<ComposeFleetPart> compose() {
    return compose;
  }

  public Layout layout() {
    return layout;
  }

  public FleetSpec fleet() {
    return fleet;
  }

  public String coordinatorUrl() {
    return coordinator.url();
  }

  /** The sandbox's credentials: tokens, keys. */
  public Credentials credentials() {
    return credentials;
  }

  /** A client of the coordinator's REST API, with the operator's token. */
  public Http coordinatorClient() {
    return new Http(() -> credentials.running() ? credentials.operator() : null);
  }

  /** The API users call: the webserver's. */
  public String webserverUrl() {
    return "http://localhost:" + fleet.apiServer().apiPort();
  }

  /**
   * The APIs of every webserver (or standalone server), the first one first: what a load balancer
   * in front of them would send to.
   */
  public List<String> apiUrls() {
    return fleet.apiServers().stream().map(s -> "http://localhost:" + s.apiPort()).toList();
  }

  /**
   * Starts whatever part is not running, then waits until every agent reports its server ready, or,
   * while an upgrade of the cluster is in flight, only until every agent reports (the upgrade
   * stopped some servers on purpose and starts them again itself).
   *
   * @throws StartFailedException when a part does not start, or the fleet is not ready in time
   */
  public void up(PrintStream out) throws IOException, InterruptedException {
    Files.createDirectories(layout.logs());
    for (Part part : parts) {
      part.start(out);
    }
    Optional<String> upgrade = fleetView.upgradeInFlight();
    if (upgrade.isPresent()) {
      // the servers it stopped on purpose are its business: it starts them again itself
      out.println(
          "· upgrade "
              + upgrade.get()
              + " in flight: waiting only for every agent to report, not for the servers it"
              + " stopped …");
      Readiness.await(
          "every agent reporting",
          "see the agents' logs in " + layout.logs(),
          Duration.ofMinutes(3),
          fleetView::reporting);
      out.println("✓ every agent reporting; the upgrade goes on (sandbox status to follow it)");
      return;
    }
    out.println("· waiting for the fleet to register and be ready …");
    Readiness.await(
        "every agent ready",
        "see the agents' logs in " + layout.logs(),
        Duration.ofMinutes(3),
        fleetView::ready);
    out.println("✓ fleet ready: " + fleet.servers().size() + " servers, " + fleetView.versions());
  }

  /** One line per part, then per Kestra server, then the logs folder. */
  public List<String> status() {
    List<String> lines = new ArrayList<>();
    parts.forEach(p -> lines.add(p.status().line()));
    lines.addAll(fleetView.lines());
    lines.add("logs: " + layout.logs());
    return lines;
  }

  /**
   * Stops every part, the Kestra servers included, then removes everything but the logs, so that
   * the next {@code up} starts from nothing. No process is left and the ports are free.
   */
  public void down(PrintStream out) throws IOException {
    List<Part> reversed = new ArrayList<>(parts);
    Collections.reverse(reversed);
    reversed.forEach(Part::stop);
    Trees.deleteAllBut(layout.home(), layout.logs());
    out.println("✓ sandbox stopped; its logs stay in " + layout.logs());
  }

  /**
   * The names of the parts {@link #kill} can kill: coordinator, kafka, postgres, agent-<instance>.
   */
  public List<String> killable() {
    return parts.stream().flatMap(p -> p.process().stream()).map(ManagedProcess::name).toList();
  }

  /**
   * Kills one part's process with SIGKILL, as a crash would (a zombie counts as dead); {@link #up}
   * starts it again.
   *
   * @return whether it was running
   * @throws IllegalArgumentException for a name that is not one of {@link #killable()}
   */
  public boolean kill(String name) {
    return parts.stream()
        .flatMap(p -> p.process().stream())
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no part named '" + name + "': one of " + String.join(", ", killable())))
        .kill();
  }

  /** Whether any part is running. */
  public boolean anyRunning() {
    return parts.stream().anyMatch(Part::running);
  }

  /**
   * Removes all an earlier run left, logs included, and on an external server its two databases: a
   * demo starts from nothing.
   */
  public void wipe() throws IOException {
    Trees.delete(layout.home());
    if (db.external()) {
      try {
        db.dropDatabases();
      } catch (SQLException e) {
        throw new StartFailedException(
            "cannot reset the databases on " + db.host() + ":" + db.port(), e);
      }
    }
  }
}
