package io.kestra.upgrade.sandbox.stack;

/**
 * The Kestra configuration file of one stand-in server, as an operator would write it: the shared
 * database, migration at start off (the coordinator migrates once, with {@code sys database
 * migrate}; on for the naive upgrade, see {@link Profile}), the grace period, the ports: each
 * server has its own API and management ports. The stand-in's own settings it leaves at their
 * defaults (the start-up delay, for one), so that a scenario may set them with {@code -D}.
 */
public final class KestraConfig {

  /**
   * Kestra's grace period in the sandbox. Its servers drain for it, whatever a command says: in
   * Kestra the {@code -c} file ranks above {@code -D} options, so an upgrade's {@code gracePeriod}
   * changes when the agent kills, not how long the server drains.
   */
  public static final String GRACE_PERIOD = "20s";

  /**
   * The user of the API's basic authentication ({@code kestra.server.basic-auth}), which the
   * stand-in asks for on maintenance mode's enter and exit; the password is the database's, one
   * secret less to keep in a local sandbox.
   */
  public static final String API_USER = "admin@kestra.sandbox";

  private KestraConfig() {}

  /**
   * The stand-in's load, and whether servers migrate the schema as they start.
   *
   * @param executionsPerSecond the scheduler's rate
   * @param minTask the shortest task run, in Kestra's notation
   * @param maxTask the longest
   * @param migrateAtStart Kestra's default ({@code true}), which the guide's {@code docker-compose
   *     up -d} relies on; the coordinator runs servers with it off and migrates once
   * @param migrationDuration how much longer a migration with work to do takes, in Kestra's
   *     notation, or {@code null} for the stand-in's default (none)
   */
  public record Profile(
      double executionsPerSecond,
      String minTask,
      String maxTask,
      boolean migrateAtStart,
      String migrationDuration) {

    /** The demo's: many short task runs. */
    public static final Profile DEMO = new Profile(4, "200ms", "3s", false, null);

    /**
     * {@code sandbox compare}'s: task runs longer than Compose's 10 s stop timeout and shorter than
     * the sandbox's 20 s grace period, so that some are always in flight.
     */
    public static final Profile LONG_TASKS = new Profile(0.5, "12s", "16s", false, null);

    /** The same, with Kestra's migration at start on or off. */
    public Profile migratingAtStart(boolean on) {
      return new Profile(executionsPerSecond, minTask, maxTask, on, migrationDuration);
    }

    /**
     * The same, each migration that has work to do taking {@code duration} more (the stand-in's
     * {@code kestra.sim.migration-duration}, Kestra's notation): a large database's long migration.
     */
    public Profile migrationTaking(String duration) {
      return new Profile(executionsPerSecond, minTask, maxTask, migrateAtStart, duration);
    }
  }

  /**
   * The file of server {@code s} on the sandbox's database, its fault switches in {@code faults}.
   */
  static String yaml(
      Database db,
      FleetSpec.Server s,
      java.nio.file.Path faults,
      java.nio.file.Path ledger,
      Profile profile) {
    return yaml(
        db.url(Database.KESTRA),
        db.user(),
        db.password(),
        GRACE_PERIOD,
        s,
        faults,
        ledger,
        profile);
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
    return yaml(jdbcUrl, user, password, grace, s, faults, ledger, Profile.DEMO);
  }

  private static String yaml(
      String jdbcUrl,
      String user,
      String password,
      String grace,
      FleetSpec.Server s,
      java.nio.file.Path faults,
      java.nio.file.Path ledger,
      Profile profile) {
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
        .append("      enabled: ")
        .append(profile.migrateAtStart())
        .append('\n')
        .append("kestra:\n")
        .append("  server:\n")
        .append("    terminationGracePeriod: ")
        .append(grace)
        .append('\n')
        .append("    basic-auth:\n")
        .append("      enabled: true\n")
        .append("      username: ")
        .append(API_USER)
        .append('\n')
        .append("      password: ")
        .append(password)
        .append('\n')
        .append("    liveness:\n")
        .append("      timeout: 10s\n")
        .append("      interval: 2s\n")
        .append("      heartbeatInterval: 2s\n")
        // probe services from their first heartbeat: with Kestra's 45 s a server killed in its
        // first 45 s would be disconnected only once that old
        .append("      initialDelay: 0s\n")
        .append("  sim:\n")
        // only when asked: the file ranks above -D options, which a test may use instead
        .append(
            profile.migrationDuration() == null
                ? ""
                : "    migration-duration: " + profile.migrationDuration() + "\n")
        .append(faults == null ? "" : "    faults: " + faults.toAbsolutePath() + "\n")
        .append(ledger == null ? "" : "    ledger: " + ledger.toAbsolutePath() + "\n")
        .append("    scheduler:\n")
        .append("      rate: ")
        .append(profile.executionsPerSecond())
        .append('\n')
        .append("    task:\n")
        .append("      min-duration: ")
        .append(profile.minTask())
        .append('\n')
        .append("      max-duration: ")
        .append(profile.maxTask())
        .append('\n')
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
