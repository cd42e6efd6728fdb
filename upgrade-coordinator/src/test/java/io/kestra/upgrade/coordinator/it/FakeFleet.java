package io.kestra.upgrade.coordinator.it;

import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.AckStatus;
import io.kestra.upgrade.common.AgentKeys;
import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.Decoded;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.Heartbeat;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.Message;
import io.kestra.upgrade.common.MessageSigner;
import io.kestra.upgrade.common.Observed;
import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.messaging.KafkaClients;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Plays the agents of a cluster through the real broker: heartbeats, and an answer to every command
 * addressed to them, as a real agent would give it. Each agent can be told to fail or to stay
 * silent on a command type.
 */
final class FakeFleet implements AutoCloseable {

  enum Behaviour {
    SUCCEED,
    FAIL,
    SILENT,
    /** ACCEPTED at once, the final answer only after {@link FakeFleet#release()}. */
    HOLD
  }

  private final class Agent {
    final String id;
    final ComponentKind kind;
    final String instance;
    final Set<Capability> capabilities;
    volatile String version = "0.21.4";
    volatile ComponentState state = ComponentState.RUNNING;
    volatile boolean ready = true;
    volatile boolean heartbeating = true;
    volatile Duration clockOffset = Duration.ZERO;
    volatile int schemaVersion = Message.SCHEMA_VERSION;
    volatile String signedAs;
    final Map<CommandType, Behaviour> behaviours = new ConcurrentHashMap<>();

    Agent(ComponentKind kind, String instance, Set<Capability> capabilities) {
      this.id = cluster + "/" + kind.wireName() + "/" + instance;
      this.kind = kind;
      this.instance = instance;
      this.capabilities = capabilities;
    }
  }

  private final String cluster;
  private final Topics topics;
  private final JsonCodec codec = JsonCodec.create();
  private final Map<String, Agent> agents = new LinkedHashMap<>();
  private final List<Command> received = new CopyOnWriteArrayList<>();
  private final List<String> redelivered = new CopyOnWriteArrayList<>();
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<String, byte[]> consumer;
  private volatile boolean running = true;
  private volatile boolean duplicateAcks;
  private volatile boolean released;
  private final List<Map.Entry<Agent, Command>> held = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final Optional<String> masterKey =
      ConfigProvider.getConfig().getOptionalValue("coordinator.security.master-key", String.class);

  FakeFleet(String bootstrap, Topics topics, String cluster) {
    this.cluster = cluster;
    this.topics = topics;
    this.producer = KafkaClients.reliableProducer(bootstrap, "fake-fleet-" + cluster);
    String group = "fake-fleet-" + cluster + "-" + UUID.randomUUID();
    this.consumer = KafkaClients.consumer(bootstrap, group, group, "earliest");
  }

  FakeFleet agent(ComponentKind kind, String instance, Capability... capabilities) {
    Agent a = new Agent(kind, instance, Set.of(capabilities));
    agents.put(a.id, a);
    return this;
  }

  FakeFleet on(String agentId, CommandType type, Behaviour behaviour) {
    agents.get(agentId).behaviours.put(type, behaviour);
    return this;
  }

  FakeFleet notReady(String agentId) {
    agents.get(agentId).ready = false;
    return this;
  }

  FakeFleet version(String agentId, String version) {
    agents.get(agentId).version = version;
    return this;
  }

  /** Every final ack is published twice (same messageId), then once more as a new message. */
  FakeFleet duplicateAcks() {
    duplicateAcks = true;
    return this;
  }

  /** The agent's clock is {@code offset} off the coordinator's. */
  FakeFleet clockOffset(String agentId, Duration offset) {
    agents.get(agentId).clockOffset = offset;
    return this;
  }

  /** The agent writes an older (or newer) contract version. */
  FakeFleet schemaVersion(String agentId, int version) {
    agents.get(agentId).schemaVersion = version;
    return this;
  }

  /** The agent signs with the key of another agent id (a wrong key). */
  FakeFleet signedAs(String agentId, String otherAgentId) {
    agents.get(agentId).signedAs = otherAgentId;
    return this;
  }

  void silence(String agentId) {
    agents.get(agentId).heartbeating = false;
  }

  void resume(String agentId) {
    agents.get(agentId).heartbeating = true;
  }

  /** Commands held ({@link Behaviour#HOLD}) so far and from now on get their final answer. */
  void release() {
    released = true;
  }

  /** Commands held and not answered yet. */
  List<Command> held() {
    return held.stream().map(Map.Entry::getValue).toList();
  }

  String id(ComponentKind kind, String instance) {
    return cluster + "/" + kind.wireName() + "/" + instance;
  }

  String cluster() {
    return cluster;
  }

  int size() {
    return agents.size();
  }

  List<Command> received() {
    return List.copyOf(received);
  }

  /** Command ids that arrived more than once. */
  List<String> redelivered() {
    return List.copyOf(redelivered);
  }

  FakeFleet start() {
    consumer.subscribe(List.of(topics.commands()));
    threads.add(daemon("fake-fleet-commands", this::consume));
    threads.add(daemon("fake-fleet-heartbeats", this::heartbeat));
    return this;
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void heartbeat() {
    while (running) {
      for (Agent a : agents.values()) {
        if (a.heartbeating) {
          Heartbeat hb =
              new Heartbeat(
                  a.schemaVersion,
                  UUID.randomUUID().toString(),
                  a.id,
                  cluster,
                  a.kind,
                  a.instance,
                  "test",
                  "fake",
                  a.capabilities,
                  new Observed(a.version, a.state, a.ready, 0),
                  null,
                  null,
                  Instant.now().plus(a.clockOffset));
          producer.send(new ProducerRecord<>(topics.heartbeats(), a.id, codec.encode(sign(a, hb))));
        }
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void consume() {
    Set<String> seen = new HashSet<>();
    while (running) {
      if (released) {
        for (Map.Entry<Agent, Command> h : held) {
          held.remove(h);
          finish(h.getKey(), h.getValue());
        }
      }
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
        Agent agent = agents.get(r.key());
        if (agent == null) {
          continue;
        }
        if (!(codec.decode(r.value(), Command.class) instanceof Decoded.Ok<Command> ok)) {
          throw new AssertionError("the coordinator sent a malformed command");
        }
        Command command = ok.value();
        if (masterKey.isPresent() && !signer(agent.id).verify(r.value())) {
          throw new AssertionError("a command not signed with the key of " + agent.id);
        }
        if (!seen.add(command.commandId())) {
          // as a real agent does: not run again, answered again from its record
          send(ack(agent, command, AckStatus.SUCCEEDED, null, null, Map.of()));
          redelivered.add(command.commandId());
          continue;
        }
        received.add(command);
        answer(agent, command);
      }
    }
  }

  private void answer(Agent a, Command c) {
    Behaviour b = a.behaviours.getOrDefault(c.type(), Behaviour.SUCCEED);
    if (b == Behaviour.SILENT) {
      return;
    }
    send(ack(a, c, AckStatus.ACCEPTED, null, null, Map.of()));
    if (b == Behaviour.HOLD && !released) {
      held.add(Map.entry(a, c));
      return;
    }
    if (b == Behaviour.FAIL) {
      sendFinal(
          ack(
              a,
              c,
              AckStatus.FAILED,
              FailureReason.MIGRATION_FAILED,
              "Validate failed: checksum mismatch for migration version 5",
              Map.of()));
      return;
    }
    finish(a, c);
  }

  private void finish(Agent a, Command c) {
    Map<String, String> result = new HashMap<>();
    switch (c.type()) {
      case STOP -> {
        a.state = ComponentState.STOPPED;
        a.ready = false;
        result.put(Ack.RESULT_STOP_MODE, "graceful");
      }
      case START, RESTART -> {
        a.version = c.targetVersion();
        a.state = ComponentState.RUNNING;
        a.ready = true;
      }
      case BACKUP -> result.put(Ack.RESULT_BACKUP_ID, "backup-" + cluster);
      default -> {}
    }
    sendFinal(ack(a, c, AckStatus.SUCCEEDED, null, null, result));
  }

  private Ack ack(
      Agent a,
      Command c,
      AckStatus status,
      FailureReason reason,
      String message,
      Map<String, String> result) {
    return new Ack(
        a.schemaVersion,
        UUID.randomUUID().toString(),
        c.commandId(),
        a.id,
        status,
        reason,
        message,
        new Observed(a.version, a.state, a.ready, 0),
        result,
        Instant.now().plus(a.clockOffset));
  }

  /**
   * Publishes, as the agent of {@code command} would, an ack of it saying {@code status}, with that
   * many task runs in flight and that message, sent at {@code at} by the agent's clock.
   *
   * @return the ack, as signed and sent (for {@link #replay})
   */
  Ack report(Command command, AckStatus status, int inFlightTasks, String message, Instant at) {
    Agent a = agents.get(command.agentId());
    Ack ack =
        new Ack(
            Message.SCHEMA_VERSION,
            UUID.randomUUID().toString(),
            command.commandId(),
            a.id,
            status,
            null,
            message,
            new Observed(a.version, a.state, a.ready, inFlightTasks),
            Map.of(),
            at);
    send(ack);
    return ack;
  }

  /** Publishes an ack again, byte for byte (its signature is deterministic). */
  void replay(Ack ack) {
    send(ack);
  }

  private void sendFinal(Ack ack) {
    send(ack);
    if (duplicateAcks) {
      send(ack);
      send(
          new Ack(
              Message.SCHEMA_VERSION,
              UUID.randomUUID().toString(),
              ack.commandId(),
              ack.agentId(),
              ack.status(),
              ack.reason(),
              ack.message(),
              ack.observed(),
              ack.result(),
              Instant.now().plus(agents.get(ack.agentId()).clockOffset)));
    }
  }

  /** Publishes an ack, trying again while the broker is out, as a real agent does. */
  private void send(Ack ack) {
    Agent a = agents.get(ack.agentId());
    Ack signed =
        masterKey.isPresent() ? signer(a.signedAs == null ? a.id : a.signedAs).sign(ack) : ack;
    while (true) {
      try {
        producer
            .send(new ProducerRecord<>(topics.acks(), ack.agentId(), codec.encode(signed)))
            .get();
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("fake agent interrupted publishing its ack", e);
      } catch (Exception e) {
        if (!running) {
          throw new IllegalStateException("fake agent cannot publish its ack", e);
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("fake agent interrupted publishing its ack", ie);
        }
      }
    }
  }

  private MessageSigner signer(String agentId) {
    return new MessageSigner(AgentKeys.derive(masterKey.orElseThrow(), agentId));
  }

  private Heartbeat sign(Agent a, Heartbeat hb) {
    return masterKey.isPresent() ? signer(a.signedAs == null ? a.id : a.signedAs).sign(hb) : hb;
  }

  @Override
  public void close() {
    running = false;
    for (Thread t : threads) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    consumer.close();
    producer.close();
  }
}
