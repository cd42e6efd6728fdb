package io.kestra.upgrade.agent.driver.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PgTargetTest {

  @Test
  void readsHostPortAndDatabase() {
    assertThat(PgTarget.parse("jdbc:postgresql://db.internal:5433/kestra?sslmode=require"))
        .isEqualTo(new PgTarget("db.internal", 5433, "kestra", "public"));
    assertThat(PgTarget.parse("jdbc:postgresql://localhost/kestra"))
        .isEqualTo(new PgTarget("localhost", 5432, "kestra", "public"));
    assertThat(PgTarget.parse("jdbc:postgresql://[::1]:5432/kestra"))
        .isEqualTo(new PgTarget("::1", 5432, "kestra", "public"));
  }

  @Test
  void readsWhatThePostgresqlDriverReads() {
    // forms a hand-written pattern got wrong: no host at all, an encoded name, a trailing slash
    assertThat(PgTarget.parse("jdbc:postgresql:kestra"))
        .isEqualTo(new PgTarget("localhost", 5432, "kestra", "public"));
    assertThat(PgTarget.parse("jdbc:postgresql://db/kes%74ra"))
        .isEqualTo(new PgTarget("db", 5432, "kestra", "public"));
    assertThat(PgTarget.parse("jdbc:postgresql://db:6432/kestra?user=k&password=p"))
        .isEqualTo(new PgTarget("db", 6432, "kestra", "public"));
  }

  @Test
  void readsTheSchemaKestraUsesFromCurrentSchema() {
    assertThat(PgTarget.parse("jdbc:postgresql://db/kestra?currentSchema=kestra_prod").schema())
        .isEqualTo("kestra_prod");
    assertThatThrownBy(() -> PgTarget.parse("jdbc:postgresql://db/kestra?currentSchema=a,b"))
        .hasMessageContaining("currentSchema must be one plain schema name");
  }

  @Test
  void refusesWhatTheToolsCouldNotBeGivenSafely() {
    for (String url :
        new String[] {
          "jdbc:postgresql://a:5432,b:5432/kestra",
          "jdbc:postgresql://host/",
          "jdbc:mysql://host/kestra",
          "jdbc:postgresql://host/kestra;drop",
          "jdbc:postgresql://host:99999/kestra",
          "jdbc:postgresql://host/dbname=x%20host=evil"
        }) {
      assertThatThrownBy(() -> PgTarget.parse(url))
          .as(url)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
