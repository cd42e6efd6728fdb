package io.kestra.upgrade.sandbox.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kestra.upgrade.testsupport.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Every value the stand-in writes into the tables that hold Kestra's JSON ({@code
 * service_instance}, {@code task_runs}: the worker tasks it emits, {@code worker_job_running}),
 * each insert and each change, in order: triggers on Kestra's database append them to {@code
 * judge_audit}. A test's own table, created after the initial migration, before any server starts.
 */
final class KestraAudit {

  static final String INSTALL =
      "CREATE TABLE judge_audit (seq BIGSERIAL PRIMARY KEY, tbl TEXT NOT NULL, value JSONB NOT NULL);"
          + " CREATE FUNCTION judge_audit_row() RETURNS trigger LANGUAGE plpgsql AS $$"
          + " BEGIN"
          + "   IF TG_OP = 'INSERT' OR OLD.value IS DISTINCT FROM NEW.value THEN"
          + "     INSERT INTO judge_audit (tbl, value) VALUES (TG_TABLE_NAME, NEW.value);"
          + "   END IF;"
          + "   RETURN NULL;"
          + " END $$;"
          + trigger("service_instance")
          + trigger("task_runs")
          + trigger("worker_job_running");

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One value written.
   *
   * @param table the table it was written to
   * @param value the JSON written
   */
  record Written(String table, JsonNode value) {}

  private KestraAudit() {}

  private static String trigger(String table) {
    return " CREATE TRIGGER judge_audit AFTER INSERT OR UPDATE ON "
        + table
        + " FOR EACH ROW EXECUTE FUNCTION judge_audit_row();";
  }

  /** Everything written so far, in order. */
  static List<Written> read(TestPostgres.Database db) throws SQLException {
    List<Written> all = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT tbl, value::text FROM judge_audit ORDER BY seq")) {
      while (rs.next()) {
        try {
          all.add(new Written(rs.getString(1), JSON.readTree(rs.getString(2))));
        } catch (java.io.IOException e) {
          throw new SQLException("unreadable audit value", e);
        }
      }
    }
    return all;
  }
}
