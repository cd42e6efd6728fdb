package io.kestra.upgrade.sandbox.stack;

import java.io.PrintStream;
import java.time.Duration;

/**
 * A PostgreSQL server the sandbox uses but does not own ({@code UPGRADE_DB_URL}): never started nor
 * stopped, only awaited, and given the databases it lacks.
 */
final class ExternalPostgresPart implements Part {

  private final Database db;

  ExternalPostgresPart(Database db) {
    this.db = db;
  }

  @Override
  public String name() {
    return "postgres";
  }

  @Override
  public void start(PrintStream out) throws InterruptedException {
    out.println("· using the PostgreSQL server at " + db.host() + ":" + db.port());
    Readiness.await(
        "PostgreSQL at " + db.host() + ":" + db.port(),
        "check UPGRADE_DB_URL, UPGRADE_DB_USER and UPGRADE_DB_PASSWORD",
        Duration.ofMinutes(1),
        db::isUp);
    db.ensureDatabases();
  }

  /** Always false: this part is not the sandbox's to run. */
  @Override
  public boolean running() {
    return false;
  }

  @Override
  public PartStatus status() {
    return new PartStatus(
        name(), db.isUp() ? "up" : "down", "-", db.url(Database.KESTRA) + " (external)");
  }

  @Override
  public void stop() {
    // the server is not the sandbox's: it stays up
  }
}
