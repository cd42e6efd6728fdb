package io.kestra.upgrade.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Gives a Quarkus test a fresh database on the real PostgreSQL of {@link TestPostgres}. */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    TestPostgres.Database db = TestPostgres.newDatabase("quarkus_test");
    return Map.of(
        "quarkus.datasource.jdbc.url", db.jdbcUrl(),
        "quarkus.datasource.username", db.user(),
        "quarkus.datasource.password", db.password());
  }

  @Override
  public void stop() {
    // the server is shared by every test of the JVM; stopped by TestPostgres's shutdown hook
  }
}
