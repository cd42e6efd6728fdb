package io.kestra.upgrade.coordinator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.Heartbeat;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.Observed;
import io.kestra.upgrade.testsupport.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The V2 migration keeps what a V1 registry knew: an agent row of the first schema reads, after the
 * migration, as the heartbeat it was made of.
 */
class AgentTableMigrationIT {

  @Test
  void anAgentRecordedByTheFirstSchemaReadsAsItsHeartbeatAfterV2() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("agent_migration");
    Flyway.configure()
        .dataSource(db.jdbcUrl(), db.user(), db.password())
        .target("1")
        .load()
        .migrate();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "INSERT INTO agent (agent_id, cluster, kind, instance, agent_version, component_version,"
              + " component_state, ready, in_flight_tasks, driver, capabilities, current_command_id,"
              + " heartbeat_at, last_seen_at, first_seen_at) VALUES ('prod/worker/w1', 'prod',"
              + " 'WORKER', 'w1', '0.1.0', '0.21.4', 'RUNNING', true, 3, 'process',"
              + " '[\"BACKUP\"]', null, '2026-11-25T10:00:00.123Z', '2026-11-25T10:00:01Z',"
              + " '2026-11-25T09:00:00Z')");
    }

    Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).load().migrate();

    List<AgentRecord> agents;
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
      agents = new AgentStore(JsonCodec.create()).list(c, "prod");
    }
    assertThat(agents).hasSize(1);
    Heartbeat hb = agents.get(0).heartbeat();
    assertThat(hb.agentId()).isEqualTo("prod/worker/w1");
    assertThat(hb.kind()).isEqualTo(ComponentKind.WORKER);
    assertThat(hb.instance()).isEqualTo("w1");
    assertThat(hb.agentVersion()).isEqualTo("0.1.0");
    assertThat(hb.driver()).isEqualTo("process");
    assertThat(hb.capabilities()).isEqualTo(Set.of(Capability.BACKUP));
    assertThat(hb.component()).isEqualTo(new Observed("0.21.4", ComponentState.RUNNING, true, 3));
    assertThat(hb.gracePeriod()).isNull();
    assertThat(hb.at()).isEqualTo(Instant.parse("2026-11-25T10:00:00.123Z"));
    assertThat(agents.get(0).lastSeenAt()).isEqualTo(Instant.parse("2026-11-25T10:00:01Z"));
    assertThat(agents.get(0).firstSeenAt()).isEqualTo(Instant.parse("2026-11-25T09:00:00Z"));
  }
}
