package io.kestra.upgrade.agent.core;

import io.kestra.upgrade.agent.driver.ComponentDriver;
import io.kestra.upgrade.common.AgentId;
import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.MessageSigner;
import io.kestra.upgrade.messaging.DeadLetters;
import io.kestra.upgrade.messaging.KafkaClients;
import io.kestra.upgrade.messaging.RecordLoop;
import io.kestra.upgrade.messaging.TopicAdmin;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent: consumes its commands from Kafka, carries them out through its {@link
 * ComponentDriver}, and publishes acks and heartbeats. Plain Java, with no static state, so that
 * several agents can run side by side in one JVM.
 *
 * <ol>
 *   <li>{@link #start()} locks the state directory, opens the command journal, creates missing
 *       topics, boots the driver (adopting a running server or starting one), and starts consuming
 *       {@code <prefix>.commands} in the group {@code agent-<agentId>}, keeping only records keyed
 *       with its agentId.
 *   <li>Heartbeats start once the consumer has its partitions: an agent that is heard of can
 *       receive commands.
 *   <li>Commands run one at a time, in order, on one thread (see {@link CommandProcessor}); a
 *       command's record is committed only once its final ack is published.
 *   <li>{@link #close()} stops consuming and interrupts a running command, which then gets no final
 *       ack: the next agent on the same state directory settles it from the journal. The managed
 *       server keeps running.
 * </ol>
 */
public final class AgentCore implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AgentCore.class);

  private final AgentSettings settings;
  private final ComponentDriver driver;
  private final Clock clock;
  private final JsonCodec codec = JsonCodec.create();

  private StateDirLock lock;
  private CommandJournal journal;
  private KafkaProducer<String, byte[]> producer;
  private ExecutorService commandThread;
  private ScheduledExecutorService ticks;
  private RecordLoop<CommandReader.Result> loop;
  private boolean started;
  private boolean closed;

  /**
   * @param driver the component's driver; the agent boots it at start and closes it at close
   * @param clock the time of expiry checks, journal records and messages
   * @throws IllegalArgumentException when the settings advertise a capability the driver lacks
   */
  public AgentCore(AgentSettings settings, ComponentDriver driver, Clock clock) {
    Set<Capability> missing = EnumSet.noneOf(Capability.class);
    missing.addAll(settings.capabilities());
    missing.removeAll(driver.capabilities());
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "agent "
              + settings.agentId()
              + " is configured to advertise "
              + missing
              + " but its "
              + driver.name()
              + " driver cannot do that (it can: "
              + driver.capabilities()
              + ")");
    }
    this.settings = settings;
    this.driver = driver;
    this.clock = clock;
  }

  /** The agent's identity. */
  public AgentId agentId() {
    return settings.agentId();
  }

  /**
   * Starts the agent; returns once the consumer thread runs (see {@link #awaitAssignment}).
   *
   * @throws IllegalStateException when the state directory is in use or the broker unreachable
   */
  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("agent " + agentId() + " was started already");
    }
    started = true;
    try {
      doStart();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private void doStart() {
    AgentId id = settings.agentId();
    KafkaSettings kafka = settings.kafka();
    lock = StateDirLock.acquire(settings.stateDir());
    journal = CommandJournal.open(settings.stateDir(), codec);
    TopicAdmin.ensureTopics(
        kafka.bootstrapServers(), kafka.topics(), kafka.partitions(), kafka.replicationFactor());
    String clientId = "agent-" + id.toString().replace('/', '.');
    producer = KafkaClients.reliableProducer(kafka.bootstrapServers(), clientId);
    driver.boot();
    Optional<MessageSigner> signer = settings.signingKey().map(MessageSigner::ofText);

    commandThread = Executors.newSingleThreadExecutor(named("agent-command-" + id));
    ticks = Executors.newSingleThreadScheduledExecutor(named("agent-ticks-" + id));
    AckPublisher acks =
        new AckPublisher(
            producer, kafka.topics().acks(), id, codec, clock, driver::observe, signer);
    CommandProcessor processor =
        new CommandProcessor(
            new CommandGate(id, driver, settings.capabilities()),
            journal,
            new CommandExecutor(driver, clock),
            acks,
            clock,
            ticks,
            settings.progressInterval());
    HeartbeatPublisher heartbeats =
        new HeartbeatPublisher(
            producer, settings, driver, codec, clock, processor::currentCommandId, signer);

    String group = "agent-" + id;
    loop =
        RecordLoop.builder(kafka.topics().commands(), new CommandReader(codec, signer)::read)
            // "latest" plus positions committed at assignment: a brand-new agent does not replay
            // history, and a known one gets what was published while it was down
            .consumer(KafkaClients.consumer(kafka.bootstrapServers(), group, clientId, "latest"))
            .deadLetters(new DeadLetters(producer, kafka.topics().deadLetter()))
            .filter(record -> id.toString().equals(record.key()))
            .commitPositionsOnAssign(true)
            .onFirstAssignment(
                () -> {
                  long ms = settings.heartbeatInterval().toMillis();
                  ticks.scheduleAtFixedRate(heartbeats::publish, 0, ms, TimeUnit.MILLISECONDS);
                  LOG.info("agent {} is consuming its commands; heartbeats started", id);
                })
            .handler(
                (record, read) ->
                    CompletableFuture.runAsync(() -> run(processor, read), commandThread))
            .build();
    loop.start("agent-commands-" + id);
    LOG.info("agent {} started (driver {}, state {})", id, driver.name(), settings.stateDir());
  }

  /**
   * Waits until the command consumer has its partitions (and heartbeats have begun).
   *
   * @return false on time-out
   */
  public boolean awaitAssignment(Duration timeout) throws InterruptedException {
    RecordLoop<CommandReader.Result> l;
    synchronized (this) {
      l = loop;
    }
    return l != null && l.awaitAssignment(timeout);
  }

  private void run(CommandProcessor processor, CommandReader.Result read) {
    try {
      processor.process(read);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.info(
          "command {} of agent {} interrupted by the agent's close: no final ack; the next start"
              + " settles it from the journal",
          read.commandId(),
          agentId());
    }
  }

  /**
   * Stops consuming, interrupts a running command (it gets no final ack), stops heartbeats, closes
   * the driver (the server keeps running) and releases the state directory.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (loop != null) {
      loop.close();
    }
    if (commandThread != null) {
      commandThread.shutdownNow();
      awaitTermination(commandThread);
    }
    if (ticks != null) {
      ticks.shutdownNow();
      awaitTermination(ticks);
    }
    if (started) {
      driver.close();
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(10));
    }
    if (journal != null) {
      journal.close();
    }
    if (lock != null) {
      lock.close();
    }
    LOG.info("agent {} closed", agentId());
  }

  private void awaitTermination(ExecutorService executor) {
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("agent {}: a thread did not end within 30 s of the close", agentId());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory named(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
