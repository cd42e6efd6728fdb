package io.kestra.upgrade.sandbox.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code UPGRADE_DB_URL} as the PostgreSQL driver itself reads it. */
class DatabaseTest {

  @Test
  void withoutUrlTheSandboxRunsItsOwnServer() {
    assertThat(Database.fromEnvironment(Map.of())).isEqualTo(Database.embedded());
    assertThat(Database.embedded().external()).isFalse();
    assertThat(Database.embedded().port()).isEqualTo(Ports.POSTGRES);
  }

  @Test
  void hostPortAndCredentialsComeFromTheEnvironment() {
    Database db =
        Database.fromEnvironment(
            Map.of(
                "UPGRADE_DB_URL", "jdbc:postgresql://db.example:5433/kestra?sslmode=require",
                "UPGRADE_DB_USER", "kestra",
                "UPGRADE_DB_PASSWORD", "s3cret"));

    assertThat(db).isEqualTo(new Database("db.example", 5433, "kestra", "s3cret", true));
    assertThat(db.url(Database.COORDINATOR))
        .isEqualTo("jdbc:postgresql://db.example:5433/kestra_upgrade");
  }

  @Test
  void credentialsInTheUrlAreUsedWhenTheEnvironmentHasNone() {
    Database db =
        Database.fromEnvironment(
            Map.of("UPGRADE_DB_URL", "jdbc:postgresql://pg/postgres?user=bob&password=pw"));

    assertThat(db).isEqualTo(new Database("pg", 5432, "bob", "pw", true));
  }

  @Test
  void defaultPortAndIpv6HostAreTheDriversReading() {
    assertThat(Database.external("jdbc:postgresql://pg/", null, null).port()).isEqualTo(5432);
    Database v6 = Database.external("jdbc:postgresql://[::1]:6543/x", "u", "p");
    assertThat(v6.host()).isEqualTo("[::1]");
    assertThat(v6.url("kestra")).isEqualTo("jdbc:postgresql://[::1]:6543/kestra");
  }

  @Test
  void urlThatIsNotPostgresIsRefused() {
    assertThatThrownBy(() -> Database.external("jdbc:mysql://db:3306/kestra", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a PostgreSQL JDBC URL");
    assertThatThrownBy(() -> Database.external("jdbc:postgresql://db:port/kestra", null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void urlOfSeveralServersIsRefused() {
    assertThatThrownBy(() -> Database.external("jdbc:postgresql://a:1,b:2/kestra", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("several servers");
  }
}
