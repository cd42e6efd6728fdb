package io.kestra.upgrade.coordinator.kafka;

/**
 * The coordinator's SmallRye Reactive Messaging channels, configured under {@code
 * mp.messaging.(incoming|outgoing).<channel>.*} in {@code application.properties}.
 *
 * <p>The two incoming channels are idempotent (every message is applied once, under the row lock of
 * what it changes) and may run on every coordinator instance of a group; the two outgoing ones are
 * fed only by the outbox relay, which runs where upgrades are driven.
 */
public final class Channels {

  /** Agents' acks, from {@code <prefix>.acks}; dead letters to {@code <prefix>.dead-letter}. */
  public static final String ACKS = "acks";

  /** Agents' heartbeats, from {@code <prefix>.heartbeats}; dead letters likewise. */
  public static final String HEARTBEATS = "heartbeats";

  /** Commands to agents, to {@code <prefix>.commands}, from the outbox. */
  public static final String COMMANDS = "commands";

  /** CloudEvents of upgrades, to {@code <prefix>.events}, from the outbox. */
  public static final String EVENTS = "events";

  private Channels() {}
}
