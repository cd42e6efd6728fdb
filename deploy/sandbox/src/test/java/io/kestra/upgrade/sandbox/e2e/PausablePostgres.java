package io.kestra.upgrade.sandbox.e2e;

import io.kestra.upgrade.testsupport.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A PostgreSQL server of one test's own (embedded binaries), which the test may pause: every one of
 * its processes SIGSTOPped, as a frozen host or a stalled disk would leave it — connections open,
 * nothing answered — and resumed later.
 */
final class PausablePostgres implements AutoCloseable {

  private final EmbeddedPostgres server;
  private ProcessHandle cachedPostmaster;

  private PausablePostgres(EmbeddedPostgres server) {
    this.server = server;
  }

  static PausablePostgres start() throws IOException {
    return new PausablePostgres(EmbeddedPostgres.builder().start());
  }

  /** A new database on it. */
  TestPostgres.Database newDatabase(String name) throws SQLException {
    try (Connection c = server.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return new TestPostgres.Database(
        server.getJdbcUrl("postgres", name),
        "postgres",
        "postgres",
        "localhost",
        server.getPort(),
        name);
  }

  /** SIGSTOP to the postmaster and every process it started. */
  void pause() throws IOException, InterruptedException, SQLException {
    signal("STOP");
  }

  /** SIGCONT to all of them. */
  void resume() throws IOException, InterruptedException, SQLException {
    signal("CONT");
  }

  private ProcessHandle postmaster() throws SQLException {
    try (Connection c = server.getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      // a backend is a child of the postmaster
      return ProcessHandle.of(rs.getLong(1)).orElseThrow().parent().orElseThrow();
    }
  }

  private void signal(String signal) throws IOException, InterruptedException, SQLException {
    if (cachedPostmaster == null) {
      cachedPostmaster = postmaster();
    }
    List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
    command.add(Long.toString(cachedPostmaster.pid()));
    cachedPostmaster.descendants().forEach(p -> command.add(Long.toString(p.pid())));
    Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
    kill.waitFor();
  }

  @Override
  public void close() throws IOException, InterruptedException, SQLException {
    if (cachedPostmaster != null) {
      resume();
    }
    server.close();
  }
}
