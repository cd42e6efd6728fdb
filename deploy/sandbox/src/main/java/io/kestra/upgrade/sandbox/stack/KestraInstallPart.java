package io.kestra.upgrade.sandbox.stack;

import io.kestra.sim.Install;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * The stand-in Kestra install, as an operator's first install leaves it: {@code kestra-<version>}
 * launchers in one folder, one configuration file per server, and Kestra's schema at the fleet's
 * version. Its servers are started by their agents, not by this part; they outlive their agents (an
 * agent adopts its server when it restarts), so this part is the one that stops them.
 */
final class KestraInstallPart implements Part {

  /**
   * The versions the stand-in install offers: 1.0.1 is a patch that keeps 1.0's schema, 1.0.2 one
   * that carries a migration 1.0.0 runs on.
   */
  static final List<String> VERSIONS =
      List.of("0.21.4", "0.22.0", "1.0.0", "1.0.1", "1.0.2", "1.0.3");

  private final Layout layout;
  private final Database db;
  private final FleetSpec fleet;
  private final String fleetVersion;

  KestraInstallPart(Layout layout, Database db, FleetSpec fleet, String fleetVersion) {
    this.layout = layout;
    this.db = db;
    this.fleet = fleet;
    this.fleetVersion = fleetVersion;
  }

  /** The version the servers run at first. */
  String fleetVersion() {
    return fleetVersion;
  }

  /** The configuration file of server {@code s}. */
  Path configFile(FleetSpec.Server s) {
    return layout.home().resolve("config/" + s.instance() + ".yml");
  }

  @Override
  public String name() {
    return "kestra install";
  }

  /** Writes the launchers and the files again (they are cheap), creates the schema if missing. */
  @Override
  public void start(PrintStream out) throws IOException, InterruptedException {
    Install.write(
        layout.kestraInstall(), VERSIONS, layout.simJar() + ":" + layout.simLibs() + "/*");
    for (FleetSpec.Server s : fleet.servers()) {
      Path file = configFile(s);
      Files.createDirectories(file.getParent());
      Files.writeString(
          file,
          KestraConfig.yaml(db, s, layout.faults(), layout.ledger(), fleet.profile()),
          StandardCharsets.UTF_8);
    }
    if (!schemaExists()) {
      // what an operator's first install does; from then on, servers start with migration off
      out.println("· creating Kestra's schema at " + fleetVersion);
      Tool.run(
          List.of(
              layout.kestraInstall().resolve("kestra-" + fleetVersion).toString(),
              "sys",
              "database",
              "migrate",
              "-c",
              configFile(fleet.servers().get(0)).toString()),
          layout.logs().resolve("kestra-install-migrate.log"));
    }
  }

  private boolean schemaExists() {
    try {
      return db.kestraSchemaExists();
    } catch (SQLException e) {
      throw new StartFailedException("cannot read Kestra's database: " + e.getMessage(), e);
    }
  }

  /** Whether the launchers are in place, or a server of this install still runs. */
  @Override
  public boolean running() {
    return Files.exists(layout.kestraInstall().resolve("kestra-" + fleetVersion))
        || !ManagedProcess.serversUnder(layout.home()).isEmpty();
  }

  @Override
  public PartStatus status() {
    int servers = ManagedProcess.serversUnder(layout.home()).size();
    boolean installed = Files.exists(layout.kestraInstall().resolve("kestra-" + fleetVersion));
    return new PartStatus(
        name(),
        installed ? "installed" : "absent",
        "-",
        layout.kestraInstall()
            + " ("
            + String.join(", ", VERSIONS)
            + "), "
            + servers
            + " server(s) running");
  }

  /** Stops the servers of this install; the install itself stays until the sandbox is purged. */
  @Override
  public void stop() {
    ManagedProcess.stopServersUnder(layout.home(), Duration.ofSeconds(10));
  }
}
