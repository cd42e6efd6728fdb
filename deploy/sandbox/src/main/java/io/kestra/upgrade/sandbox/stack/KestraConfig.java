package io.kestra.upgrade.sandbox.stack;

/**
 * The Kestra configuration file of one stand-in server, as an operator would write it: the shared
 * database, migration at start off (the coordinator migrates once, with {@code sys database
 * migrate}), the grace period, the ports: each server has its own API and management ports. The
 * stand-in's own settings it leaves at their defaults (the start-up delay, for one), so that a
 * scenario may set them with {@code -D}.
 */
public final class KestraConfig {

  /**
   * Kestra's grace period in the sandbox. Its servers drain for it, whatever a command says: in
   * Kestra the {@code -c} file ranks above {@code -D} options, so an upgrade's {@code gracePeriod}
   * changes when the agent kills, not how long the server drains.
   */
  public static final String GRACE_PERIOD = "20s";

  private KestraConfig() {}

  /**
   * The file of server {@code s} on the sandbox's database, its fault switches in {@code faults}.
   */
  static String yaml(
      Database db, FleetSpec.Server s, java.nio.file.Path faults, java.nio.file.Path ledger) {
    return yaml(db.url(Database.KESTRA), db.user(), db.password(), GRACE_PERIOD, s, faults, ledger);
  }

  /**
   * The file of server {@code s}.
   *
   * @param jdbcUrl Kestra's database
   * @param user its user
   * @param password its password
   * @param grace Kestra's grace period, in Kestra's notation ({@code 20s})
   * @param s the server
   */
  public static String yaml(
      String jdbcUrl, String user, String password, String grace, FleetSpec.Server s) {
    return yaml(jdbcUrl, user, password, grace, s, null, null);
  }

  /**
   * The file of server {@code s}, recording the executions it creates in {@code ledger} (or none
   * when {@code null}), its fault switches in {@code faults} (or none).
   */
  public static String yaml(
      String jdbcUrl,
      String user,
      String password,
      String grace,
      FleetSpec.Server s,
      java.nio.file.Path faults,
      java.nio.file.Path ledger) {
    StringBuilder y = new StringBuilder();
    y.append("datasources:\n")
        .append("  postgres:\n")
        .append("    url: ")
        .append(jdbcUrl)
        .append('\n')
        .append("    username: ")
        .append(user)
        .append('\n')
        .append("    password: ")
        .append(password)
        .append('\n')
        .append("flyway:\n")
        .append("  datasources:\n")
        .append("    postgres:\n")
        .append("      enabled: false\n")
        .append("kestra:\n")
        .append("  server:\n")
        .append("    terminationGracePeriod: ")
        .append(grace)
        .append('\n')
        .append("    liveness:\n")
        .append("      timeout: 10s\n")
        .append("      interval: 2s\n")
        .append("      heartbeatInterval: 2s\n")
        .append("  sim:\n")
        .append(faults == null ? "" : "    faults: " + faults.toAbsolutePath() + "\n")
        .append(ledger == null ? "" : "    ledger: " + ledger.toAbsolutePath() + "\n")
        .append("    scheduler:\n")
        .append("      rate: 4\n")
        .append("    task:\n")
        .append("      min-duration: 200ms\n")
        .append("      max-duration: 3s\n")
        .append("endpoints:\n")
        .append("  all:\n")
        .append("    port: ")
        .append(s.managementPort())
        .append('\n')
        // every Kestra server binds its API port, 8080 unless told: one per server on one machine
        .append("micronaut:\n")
        .append("  server:\n")
        .append("    port: ")
        .append(s.apiPort())
        .append('\n');
    return y.toString();
  }
}
