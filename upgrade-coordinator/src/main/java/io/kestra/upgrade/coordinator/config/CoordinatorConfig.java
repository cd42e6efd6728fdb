package io.kestra.upgrade.coordinator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The coordinator's configuration, under {@code coordinator.*} (env {@code COORDINATOR_*}). */
@ConfigMapping(prefix = "coordinator")
public interface CoordinatorConfig {

  /**
   * Topic creation. The channels themselves are configured the Quarkus way, under {@code
   * mp.messaging.*} (see {@code application.properties}).
   */
  Kafka kafka();

  /** Fleet registry. */
  Fleet fleet();

  /** Defaults of the upgrade options a request leaves out. */
  Defaults defaults();

  /** Default step deadlines by command. */
  Timeouts timeouts();

  /** How often deadlines and lost agents are checked. */
  @WithDefault("PT1S")
  Duration sweepInterval();

  /** How often the gauges read from the database (agents, outbox backlog) are refreshed. */
  @WithDefault("PT15S")
  Duration metricsInterval();

  /** Keys: who may talk to whom. */
  Security security();

  /** The live event streams ({@code /api/v1/upgrades/{id}/stream}, {@code /api/v1/stream}). */
  Stream stream();

  /** Webhooks on the upgrades' transitions. */
  Webhooks webhooks();

  /**
   * Webhooks: every URL gets a Slack-compatible JSON message ({@code text}, and the CloudEvent as
   * {@code event}) when an upgrade starts, pauses, fails, rolls back, or ends; read from the events
   * topic by a consumer of its own, so a slow or failing receiver never holds an upgrade.
   */
  interface Webhooks {

    /** The receivers' URLs, comma-separated; none by default. */
    Optional<List<java.net.URI>> urls();

    /** How long one POST may take. */
    @WithDefault("PT10S")
    Duration timeout();
  }

  /** The live event streams. */
  interface Stream {

    /** How often a stream reads the events recorded since its last read. */
    @WithDefault("PT0.25S")
    Duration pollInterval();

    /** How often an idle stream sends a comment, so that proxies keep it open. */
    @WithDefault("PT15S")
    Duration heartbeatInterval();
  }

  /** The CloudEvents {@code source} of the events this coordinator publishes. */
  @WithDefault("/kestra-upgrade-coordinator")
  String eventSource();

  /** Outbox rows the relay reads and publishes at a time. */
  @WithDefault("200")
  int relayBatchSize();

  /**
   * The longest time between two {@code step.progress} events of a step whose agent keeps saying
   * the same thing; a change (of the in-flight task count, or of the wording of the agent's
   * message) is published at once. See {@code ProgressThrottle}.
   */
  @WithDefault("PT30S")
  Duration progressEventInterval();

  /** How long the tables that grow with traffic keep their rows. */
  Retention retention();

  /**
   * Retention, applied by a job that every coordinator instance runs (its deletes are idempotent),
   * in small batches, each its own transaction, so that no long lock is held.
   */
  interface Retention {
    /**
     * How long the message log ({@code processed_message}) remembers an ack it applied. An ack
     * older than this by its own {@code at}, less a margin of one hour for agents' clocks running
     * fast, is ignored (logged and counted): the log may have forgotten it, and a replay must not
     * apply again. Must exceed the margin.
     */
    @WithDefault("P7D")
    Duration messageLog();

    /** How long an outbox row is kept once published (the events and commands are on Kafka). */
    @WithDefault("PT1H")
    Duration outbox();

    /**
     * How long the {@code step.progress} events of an upgrade's history ({@code upgrade_event}) are
     * kept; its transitions are kept forever.
     */
    @WithDefault("P7D")
    Duration progressEvents();

    /** How often the job runs. */
    @WithDefault("PT10M")
    Duration interval();

    /** Rows deleted per transaction. */
    @WithDefault("1000")
    int batchSize();
  }

  /**
   * Longest wait of the relay between two tries while the broker refuses its rows for a reason that
   * may pass (unreachable, timing out): it starts at a tenth of this and doubles.
   */
  @WithDefault("PT5S")
  Duration relayMaxBackoff();

  /**
   * A release catalog file (JSON, the shape of the shipped {@code release-catalog.json}) whose
   * entries replace the shipped ones of the same version and add others: a Kestra release newer
   * than this coordinator, or a correction. Unreadable: the coordinator does not start.
   */
  Optional<Path> releaseCatalog();

  /**
   * This instance's name, unique among the instances sharing a database and a broker, and the same
   * across its restarts: the consumers' static group membership ({@code group.instance.id}) and the
   * leader's epoch row carry it. By default {@code <host name>-<quarkus.http.port>}, so that two
   * instances on one machine differ.
   */
  Optional<String> instanceId();

  /** Election of the one instance that runs the relay and the sweep. */
  Leader leader();

  /** Leader election: a PostgreSQL advisory lock held on a session of its own. */
  interface Leader {
    /** The advisory lock's key; every instance of one installation uses the same. */
    @WithDefault("4707142968245712993")
    long lockKey();

    /** How often the leader renews (and a follower tries the lock). */
    @WithDefault("PT1S")
    Duration renewInterval();

    /**
     * How long the lock's session may stay silent before the server ends it, which frees the lock
     * for another instance ({@code idle_session_timeout}); a leader that cannot reach the server
     * steps down after twice this.
     */
    @WithDefault("PT5S")
    Duration sessionTimeout();
  }

  /** Message keys. */
  interface Security {
    /**
     * The master key (at least 32 bytes; for example {@code openssl rand -hex 32}), from which the
     * key of every agent is derived ({@code kestra-upgrade agent-key <agentId>} prints one for an
     * installer): commands are signed with the addressed agent's key, and an agent's ack or
     * heartbeat that does not verify with its key is set aside on the dead-letter topic. Required,
     * unless {@link #insecure()}.
     */
    Optional<String> masterKey();

    /**
     * Run without keys: commands unsigned, agents' messages not checked. Only for a throw-away
     * sandbox or a test; a coordinator without a master key refuses to start unless this is set.
     */
    @WithDefault("false")
    boolean insecure();
  }

  /** Kafka settings. */
  interface Kafka {
    /**
     * Bootstrap servers; by default Quarkus' usual {@code kafka.bootstrap.servers} (env
     * KAFKA_BOOTSTRAP_SERVERS).
     */
    @WithDefault("${kafka.bootstrap.servers:localhost:9092}")
    String bootstrapServers();

    /** Prefix of every topic name. */
    @WithDefault("kestra.upgrade")
    String topicPrefix();

    /** Partitions of the topics the coordinator creates when missing. */
    @WithDefault("3")
    int partitions();

    /** Replication factor of the topics the coordinator creates when missing. */
    @WithDefault("1")
    short replicationFactor();

    /** How long start-up waits for the broker before giving up. */
    @WithDefault("PT60S")
    Duration startupTimeout();
  }

  /** Fleet registry settings. */
  interface Fleet {
    /** The agents' heartbeat interval. */
    @WithDefault("PT2S")
    Duration heartbeatInterval();

    /** An agent silent for this many intervals is LOST. */
    @WithDefault("5")
    int lostAfterIntervals();
  }

  /** Option defaults. */
  interface Defaults {
    /**
     * The grace period of a server whose agent does not report the one it is configured with:
     * Kestra's own default of {@code kestra.server.terminationGracePeriod}. A request's {@code
     * gracePeriod} overrides every server's.
     */
    @WithDefault("PT5M")
    Duration gracePeriod();

    /** Time after the grace period before a process is killed (Kestra's Helm chart: 60 s). */
    @WithDefault("PT60S")
    Duration killMargin();

    /** Longest silence of an agent working on a step (agents report at least every 2 s). */
    @WithDefault("PT30S")
    Duration progressDeadline();
  }

  /** Step deadlines. A STOP's is grace period + kill margin + {@code stop-slack}. */
  interface Timeouts {
    @WithDefault("PT30S")
    Duration ping();

    @WithDefault("PT5M")
    Duration prepare();

    /** START, and the start half of a RESTART: readiness can take Kestra a while. */
    @WithDefault("PT5M")
    Duration start();

    /** MIGRATE: a large database can take hours (the upgrade guide's 0.12 → 0.13 example). */
    @WithDefault("PT2H")
    Duration migrate();

    @WithDefault("PT1H")
    Duration backup();

    @WithDefault("PT30S")
    Duration stopSlack();
  }
}
