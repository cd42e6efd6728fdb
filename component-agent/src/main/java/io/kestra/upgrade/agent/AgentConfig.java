package io.kestra.upgrade.agent;

import io.kestra.upgrade.common.Capability;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The agent's configuration ({@code agent.*}), from {@code application.properties}, system
 * properties ({@code -Dagent.cluster=prod}) or the environment ({@code AGENT_CLUSTER=prod}).
 * Durations are ISO-8601 ({@code PT2S}) or short ({@code 2s}).
 */
@ConfigMapping(prefix = "agent")
public interface AgentConfig {

  /** The installation this agent's server belongs to: first part of the agentId. */
  String cluster();

  /**
   * The kind of server driven: executor, worker, scheduler, webserver, indexer or standalone;
   * second part of the agentId.
   */
  String kind();

  /** The instance name, unique within cluster and kind: third part of the agentId. */
  String instance();

  /** The agent's own version, reported in heartbeats. */
  @WithDefault("${quarkus.application.version:unknown}")
  String version();

  /** Prefix of the product's Kafka topics. */
  @WithDefault("kestra.upgrade")
  String topicPrefix();

  /** How to create the topics, if the agent finds them missing. */
  TopicsConfig topics();

  /** Time between two heartbeats. */
  @WithDefault("PT2S")
  Duration heartbeatInterval();

  /** Time between two PROGRESS acks of a running command (the contract asks for at most 2 s). */
  @WithDefault("PT1S")
  Duration progressInterval();

  /** Where the command journal and the driver's state live; one agent per directory. */
  Path stateDir();

  /**
   * This agent's own key: 64 hex digits, as {@code kestra-upgrade agent-key <agentId>} prints it
   * from the coordinator's master key. With it the agent signs its acks and heartbeats and reads
   * only commands signed with it: any other record of the commands topic is dead-lettered,
   * unanswered. Required unless {@link #insecure()}; pass it by environment ({@code
   * AGENT_SIGNING_KEY}), not on a command line.
   */
  Optional<String> signingKey();

  /**
   * Runs without a key: commands are not verified, acks and heartbeats not signed, and the agent
   * says so in its log at start. For a test bench only; a coordinator with a master key refuses
   * what such an agent sends.
   */
  @WithDefault("false")
  boolean insecure();

  /**
   * What this agent advertises and accepts besides start and stop: BACKUP (BACKUP and RESTORE),
   * MIGRATE (exactly one agent of a cluster should have these two), CONFIG_FILE (an upgrade may
   * replace its server's {@code -c} file, and its rollback put it back: the process driver with a
   * configuration file), MAINTENANCE (an upgrade may switch Kestra Enterprise into maintenance mode
   * through it: with {@code agent.driver.maintenance.url}). Nothing when unset.
   */
  Optional<Set<Capability>> capabilities();

  /** The component driver. */
  DriverConfig driver();

  /** Topic creation, used only when the agent must create missing topics. */
  interface TopicsConfig {

    /** Partitions of the keyed topics. */
    @WithDefault("3")
    int partitions();

    /** Replication factor of every topic. */
    @WithDefault("1")
    short replicationFactor();
  }

  /** Which driver, and its settings. */
  interface DriverConfig {

    /** The driver: {@code process} (standalone installs) or {@code docker} (containers). */
    @WithDefault("process")
    String type();

    /** Settings of the {@code process} driver. */
    ProcessConfig process();

    /** Settings of the {@code docker} driver. */
    DockerConfig docker();

    /** Kestra Enterprise's maintenance API, whichever the driver. */
    MaintenanceConfig maintenance();
  }

  /**
   * Kestra Enterprise's instance maintenance API, as this agent reaches it: set on the agent of a
   * webserver (or standalone server) so that an upgrade with {@code maintenanceMode} can enter and
   * exit maintenance mode through it (the MAINTENANCE capability, granted in {@code
   * agent.capabilities}).
   */
  interface MaintenanceConfig {

    /** Kestra's API, e.g. {@code http://localhost:8080}; without it, no maintenance mode. */
    Optional<java.net.URI> url();

    /** The user sent as HTTP basic credentials (an instance admin); none when unset. */
    Optional<String> username();

    /** The password (rather from {@code AGENT_DRIVER_MAINTENANCE_PASSWORD}). */
    Optional<String> password();

    /** How long entering or exiting may take to be confirmed by the status. */
    @WithDefault("PT2M")
    Duration timeout();
  }

  /**
   * The {@code docker} driver: the server's container, found by name or by its Compose labels, on
   * the engine {@code DOCKER_HOST} names (default {@code unix:///var/run/docker.sock}).
   */
  interface DockerConfig {

    /** The container's name (or give the Compose project and service). */
    Optional<String> containerName();

    /** The Compose project ({@code com.docker.compose.project}). */
    Optional<String> composeProject();

    /** The Compose service ({@code com.docker.compose.service}). */
    Optional<String> composeService();

    /** The replica of the service ({@code com.docker.compose.container-number}). */
    @WithDefault("1")
    int containerNumber();

    /** How a version is written in the image tag; what follows it (a flavour) is kept. */
    @WithDefault("v{version}")
    String tagPattern();

    /**
     * The Compose file as this agent reads it, when not at the path Compose recorded in the
     * container's labels (an agent in a container with the project mounted elsewhere).
     */
    Optional<Path> composeFile();

    /**
     * The Compose command, space-separated: {@code docker-compose} (v1) or {@code docker compose}
     * (v2); asked for the config hash of a recreated container so that {@code up -d} leaves it.
     */
    @WithDefault("docker-compose")
    String composeCommand();

    /** The server's management port ({@code endpoints.all.port}). */
    @WithDefault("8081")
    int managementPort();

    /**
     * Where the management port is reached: unset for the loopback when the container uses the
     * host's network, else the container's name on the network it shares with the agent.
     */
    Optional<String> managementHost();

    /** Time between two observations of the container. */
    @WithDefault("PT1S")
    Duration probeInterval();

    /** How long a server may take to be ready, when the command does not say. */
    @WithDefault("PT2H")
    Duration readinessTimeout();

    /** Added to the grace period before the engine kills a stopping container. */
    @WithDefault("PT60S")
    Duration killMargin();

    /** How long a migration, dump or restore may run when the command does not say. */
    @WithDefault("PT1H")
    Duration toolTimeout();

    /** How long PREPARE may spend pulling an image. */
    @WithDefault("PT30M")
    Duration pullTimeout();

    /** Where dumps go; default {@code <state-dir>/backups}. */
    Optional<Path> backupDir();

    /** How many backups a BACKUP keeps (as the process driver's). */
    @WithDefault("3")
    int backupRetention();

    /** Kestra's database, for BACKUP and RESTORE, as the agent reaches it. */
    DatabaseConfig database();

    /** Where {@code pg_dump}, {@code pg_restore} and {@code psql} are; the PATH when unset. */
    Optional<Path> pgBinDir();
  }

  /** The {@code process} driver: {@code <install-dir>/kestra-<version> server <kind>}. */
  interface ProcessConfig {

    /** The folder of the {@code kestra-<version>} launchers (required by this driver). */
    Optional<Path> installDir();

    /** The version installed: autostarted when no server ran before, reported until one runs. */
    Optional<String> initialVersion();

    /**
     * Start a server at agent start, unless a running one is adopted or the last command stopped
     * it. Starts the version that ran last, else the initial version.
     */
    @WithDefault("false")
    boolean autostart();

    /** Arguments after {@code server <kind>}, comma-separated, e.g. {@code -t,4}. */
    Optional<List<String>> serverArgs();

    /** Kestra configuration file, passed as {@code -c FILE}. */
    Optional<Path> configFile();

    /** The server's {@code JAVA_OPTS}. */
    Optional<String> javaOpts();

    /**
     * Kestra's management port ({@code endpoints.all.port}), for readiness and metrics. The driver
     * passes it to the server ({@code -Dendpoints.all.port=}), so that the port probed is the port
     * bound; a server configuration file that sets another one is refused at START.
     */
    @WithDefault("8081")
    int managementPort();

    /**
     * The server's API port, passed as {@code --port N}. Every Kestra server binds one (8080 unless
     * told), so several servers on one host each need their own; unset, the server's configuration
     * decides.
     */
    OptionalInt apiPort();

    /**
     * How long a START waits for readiness when the command does not say (the coordinator sizes the
     * commands it sends). A server migrates its database before it opens its management port, and
     * Kestra's upgrade guide reports start-up migrations of hours on large databases: the default
     * matches the coordinator's migration deadline rather than a usual start-up, so that an agent
     * never declares a migrating server failed (and a rollback never starts) mid-migration.
     */
    @WithDefault("PT2H")
    Duration readinessTimeout();

    /**
     * Added to the grace period before SIGKILL, when the command does not say (Kestra's Helm chart:
     * 360 s of pod grace against Kestra's 5 min).
     */
    @WithDefault("PT60S")
    Duration killMargin();

    /** Time between two probes of readiness and running tasks. */
    @WithDefault("PT1S")
    Duration probeInterval();

    /** How long a migration, dump or restore may run when the command does not say. */
    @WithDefault("PT1H")
    Duration toolTimeout();

    /** The server's stdout and stderr, appended; default {@code <state-dir>/server.log}. */
    Optional<Path> logFile();

    /** Where dumps go; default {@code <state-dir>/backups}. */
    Optional<Path> backupDir();

    /**
     * How many backups a BACKUP leaves in the backup folder, the newest (default 3); older ones are
     * deleted, but never one the command names to keep.
     */
    @io.smallrye.config.WithDefault("3")
    int backupRetention();

    /** Kestra's database, for BACKUP and RESTORE. */
    DatabaseConfig database();

    /** Where {@code pg_dump}, {@code pg_restore} and {@code psql} are; the PATH when unset. */
    Optional<Path> pgBinDir();
  }

  /** Kestra's PostgreSQL database. */
  interface DatabaseConfig {

    /** {@code jdbc:postgresql://host[:port]/database}; BACKUP is possible only when set. */
    Optional<String> url();

    /** The database user. */
    Optional<String> username();

    /** The password (from the environment or a secret, never committed). */
    Optional<String> password();
  }
}
