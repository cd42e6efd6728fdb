package io.kestra.upgrade.sandbox.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sandbox's own PostgreSQL: real PostgreSQL binaries run by {@link PostgresMain} in a process
 * of its own, on {@link Ports#POSTGRES}, with Kestra's and the coordinator's databases.
 */
final class PostgresPart implements Part {

  private final Layout layout;
  private final Database db;
  private final ManagedProcess process;

  PostgresPart(Layout layout, Database db) {
    this.layout = layout;
    this.db = db;
    this.process = ManagedProcess.of(layout, "postgres");
  }

  @Override
  public String name() {
    return "postgres";
  }

  @Override
  public void start(PrintStream out) throws IOException, InterruptedException {
    if (!process.isRunning()) {
      out.println("· starting PostgreSQL on " + Ports.POSTGRES);
      process.start(
          List.of(
              ManagedProcess.javaExecutable(),
              "-Xmx128m",
              "-cp",
              layout.sandboxJar() + ":" + layout.sandboxLibs() + "/*",
              PostgresMain.class.getName(),
              layout.data("postgres").toString(),
              Integer.toString(Ports.POSTGRES)),
          Map.of(),
          layout.home());
    }
    Readiness.await("PostgreSQL", "see " + process.logFile(), Duration.ofMinutes(2), db::isUp);
    db.ensureDatabases();
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
    return PartStatus.of(name(), process, db.url(Database.KESTRA));
  }

  @Override
  public void stop() {
    process.stop(Duration.ofSeconds(15));
  }
}
