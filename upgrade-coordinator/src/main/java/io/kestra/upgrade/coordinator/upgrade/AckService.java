package io.kestra.upgrade.coordinator.upgrade;

import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.coordinator.db.Tx;
import io.kestra.upgrade.coordinator.fleet.FleetService;
import io.kestra.upgrade.coordinator.messagelog.MessageLog;
import io.kestra.upgrade.coordinator.outbox.OutboxRelay;
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

  public AckService(
      Tx tx,
      MessageLog messages,
      StepStore steps,
      Transitions transitions,
      FleetService fleet,
      OutboxRelay relay,
      Clock clock) {
    this.tx = tx;
    this.messages = messages;
    this.steps = steps;
    this.transitions = transitions;
    this.fleet = fleet;
    this.relay = relay;
    this.clock = clock;
  }

  /** Applies an ack, once: a message already applied is recognised by its messageId. */
  public void apply(Ack ack) {
    Instant now = clock.instant();
    boolean changed =
        tx.run(
            c -> {
              if (!messages.firstDelivery(c, CONSUMER, ack.messageId(), now)) {
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
