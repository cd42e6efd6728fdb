package io.kestra.upgrade.coordinator.upgrade;

import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.AckStatus;
import io.kestra.upgrade.coordinator.db.Tx;
import io.kestra.upgrade.coordinator.fleet.FleetService;
import io.kestra.upgrade.coordinator.messagelog.MessageLog;
import io.kestra.upgrade.coordinator.outbox.OutboxRelay;
import io.kestra.upgrade.coordinator.retention.AckHorizon;
import io.kestra.upgrade.coordinator.upgrade.store.StepStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Applies an agent's ack once, in one transaction: recorded in the message log (a redelivered ack
 * changes nothing), what it observed given to the fleet registry, and the transition it causes
 * applied to the upgrade that sent the command.
 *
 * <p>The rules that keep a replayed ack from changing anything, while the message log stays
 * bounded:
 *
 * <ol>
 *   <li>An ack older, by its own {@code at}, than the message-log retention less a margin of one
 *       hour for agents' clocks ({@code coordinator.retention.message-log}, P7D by default: older
 *       than 6 days 23 hours) is ignored, logged and counted ({@link AckHorizon}): the log may have
 *       forgotten it.
 *   <li>ACCEPTED and final acks (SUCCEEDED, FAILED, REJECTED) are recorded in the message log: one
 *       seen before is ignored.
 *   <li>PROGRESS acks are not recorded (one every 2 s of every long step would fill the log): a
 *       PROGRESS ack only pushes its step's progress deadline and refreshes what the agent
 *       observed, and a step ignores one no newer than the last it applied ({@code
 *       UpgradeMachine#onAck}).
 * </ol>
 */
@ApplicationScoped
public class AckService {

  private static final Logger LOG = Logger.getLogger(AckService.class);

  /** The consumer name of acks in the message log. */
  static final String CONSUMER = "acks";

  private final Tx tx;
  private final MessageLog messages;
  private final StepStore steps;
  private final Transitions transitions;
  private final FleetService fleet;
  private final OutboxRelay relay;
  private final Clock clock;
  private final AckHorizon horizon;

  public AckService(
      Tx tx,
      MessageLog messages,
      StepStore steps,
      Transitions transitions,
      FleetService fleet,
      OutboxRelay relay,
      Clock clock,
      AckHorizon horizon) {
    this.tx = tx;
    this.messages = messages;
    this.steps = steps;
    this.transitions = transitions;
    this.fleet = fleet;
    this.relay = relay;
    this.clock = clock;
    this.horizon = horizon;
  }

  /** Applies an ack, once: a message already applied is recognised by its messageId. */
  public void apply(Ack ack) {
    Instant now = clock.instant();
    if (!horizon.admits(ack, now)) {
      return;
    }
    boolean changed =
        tx.run(
            c -> {
              if (ack.status() != AckStatus.PROGRESS
                  && !messages.firstDelivery(c, CONSUMER, ack.messageId(), now)) {
                return false;
              }
              fleet.observe(c, ack, now);
              Optional<String> upgradeId = steps.upgradeOfCommand(c, ack.commandId());
              if (upgradeId.isEmpty()) {
                LOG.debugf(
                    "ack %s for unknown command %s from %s ignored",
                    ack.messageId(), ack.commandId(), ack.agentId());
                return false;
              }
              return transitions.onAck(c, upgradeId.get(), ack, now);
            });
    if (changed) {
      relay.wake();
    }
  }
}
