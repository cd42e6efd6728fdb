package io.kestra.upgrade.sandbox.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The agent of one Kestra server: {@code component-agent}'s {@code quarkus-run.jar} as a process,
 * which starts its server on the fleet's version as it would start a real one. Its readiness is the
 * fleet's: the {@link Stack} waits until the coordinator sees every agent ready.
 */
final class AgentPart implements Part {

  private final FleetSpec.Server server;
  private final AgentProperties properties;
  private final Path agentJar;
  private final String databasePassword;
  private final ManagedProcess process;
  private final Credentials credentials;
  private final String agentId;

  /**
   * The agent of {@code server} of the sandbox's fleet.
   *
   * @param layout where its state, logs and pid file go
   * @param db Kestra's database, for BACKUP and RESTORE
   * @param install the install whose servers it starts
   * @param cluster its cluster
   * @param server its server
   * @param credentials where its key comes from
   */
  static AgentPart process(
      Layout layout,
      Database db,
      KestraInstallPart install,
      String cluster,
      FleetSpec.Server server,
      Credentials credentials) {
    return new AgentPart(
        layout,
        db,
        server,
        credentials,
        cluster,
        AgentProperties.of(cluster, server, "localhost:" + Ports.KAFKA)
            .install(layout.kestraInstall(), install.fleetVersion(), install.configFile(server)));
  }

  /**
   * The agent of {@code server} run as service {@code server.instance()} of Compose project {@code
   * project}: the docker driver.
   */
  static AgentPart docker(
      Layout layout,
      Database db,
      String cluster,
      FleetSpec.Server server,
      Credentials credentials,
      String project) {
    return new AgentPart(
        layout,
        db,
        server,
        credentials,
        cluster,
        AgentProperties.docker(cluster, server, "localhost:" + Ports.KAFKA, project));
  }

  private AgentPart(
      Layout layout,
      Database db,
      FleetSpec.Server server,
      Credentials credentials,
      String cluster,
      AgentProperties properties) {
    this.server = server;
    this.credentials = credentials;
    this.agentId = cluster + "/" + server.kind() + "/" + server.instance();
    this.properties =
        properties
            .stateDir(layout.agentState(server.instance()))
            .files(
                layout.logs().resolve("kestra-" + server.instance() + ".log"),
                layout.home().resolve("backups"))
            .database(db.url(Database.KESTRA), db.user());
    if (server.servesUsers()) {
      // the sandbox's Kestra is an Enterprise one as far as maintenance mode goes
      this.properties.maintenance("http://localhost:" + server.apiPort(), KestraConfig.API_USER);
    }
    this.agentJar = layout.agentJar();
    this.databasePassword = db.password();
    this.process = ManagedProcess.of(layout, "agent-" + server.instance());
  }

  @Override
  public String name() {
    return "agent " + server.instance();
  }

  @Override
  public void start(PrintStream out) throws IOException {
    if (!process.isRunning()) {
      out.println("· starting the agent of " + server.kind() + " " + server.instance());
      // its own key only, derived when it starts: the credentials exist by then
      properties
          .signingKey(credentials.agentKey(agentId))
          .start(process, agentJar, databasePassword);
    }
  }

  /**
   * Stops the agent (SIGTERM: it finishes what it is doing and leaves its server running) and
   * starts it again, on {@code jar} (another build) or on the sandbox's own.
   */
  void restart(PrintStream out, Optional<Path> jar) throws IOException {
    process.stop(Duration.ofSeconds(10));
    out.println(
        "· restarting the agent of "
            + server.kind()
            + " "
            + server.instance()
            + jar.map(j -> " on " + j).orElse(""));
    properties
        .signingKey(credentials.agentKey(agentId))
        .start(process, jar.orElse(agentJar), databasePassword);
  }

  /** The agent's id, {@code <cluster>/<kind>/<instance>}. */
  String agentId() {
    return agentId;
  }

  @Override
  public Optional<ManagedProcess> process() {
    return Optional.of(process);
  }

  @Override
  public boolean running() {
    return process.isRunning();
  }

  @Override
  public PartStatus status() {
    return PartStatus.of(
        name(),
        process,
        "API http://localhost:"
            + server.apiPort()
            + ", management http://localhost:"
            + server.managementPort());
  }

  @Override
  public void stop() {
    process.stop(Duration.ofSeconds(10));
  }
}
