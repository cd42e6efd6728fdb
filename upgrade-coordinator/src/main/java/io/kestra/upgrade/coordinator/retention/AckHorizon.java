package io.kestra.upgrade.coordinator.retention;

import io.kestra.upgrade.common.Ack;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Refuses the acks the message log may have forgotten ({@link RetentionPolicy#oldestAppliedAck}):
 * such an ack could be a replay, and is never applied; it is logged and counted ({@code
 * coordinator.acks.ignored}, tag {@code reason=older-than-message-log}).
 */
@ApplicationScoped
public class AckHorizon {

  private static final Logger LOG = Logger.getLogger(AckHorizon.class);

  private final RetentionPolicy policy;
  private final Counter ignored;

  public AckHorizon(RetentionPolicy policy, MeterRegistry registry) {
    this.policy = policy;
    this.ignored =
        Counter.builder("coordinator.acks.ignored")
            .description("acks received but not applied")
            .tag("reason", "older-than-message-log")
            .register(registry);
  }

  /** Whether {@code ack} is recent enough to be applied at {@code now}; if not, says so. */
  public boolean admits(Ack ack, Instant now) {
    if (!policy.isTooOldToApply(ack.at(), now)) {
      return true;
    }
    ignored.increment();
    LOG.warnf(
        "ack %s (%s) of command %s from %s ignored: sent at %s, before %s, the oldest the message"
            + " log still recognises (a replay, or an agent whose clock is far behind)",
        ack.messageId(),
        ack.status(),
        ack.commandId(),
        ack.agentId(),
        ack.at(),
        policy.oldestAppliedAck(now));
    return false;
  }
}
