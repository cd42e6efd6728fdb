package io.kestra.upgrade.coordinator.inbox;

import io.kestra.upgrade.coordinator.outage.DatabaseUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Counts the records set aside on the dead-letter topic: {@code
 * kestra_upgrade_dead_lettered_total{channel, cause}}, cause {@code poison} (it does not decode, or
 * is refused), {@code database} (still out after the retries) or {@code error}.
 */
@ApplicationScoped
public class DeadLetters {

  private final MeterRegistry registry;

  public DeadLetters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Runs {@code work}; what escapes it is counted and thrown on, to the dead-letter strategy. */
  void counting(String channel, Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      Counter.builder("kestra.upgrade.dead.lettered")
          .description("Records set aside on the dead-letter topic")
          .tag("channel", channel)
          .tag("cause", cause(e))
          .register(registry)
          .increment();
      throw e;
    }
  }

  private static String cause(RuntimeException e) {
    if (e instanceof PoisonMessageException) {
      return "poison";
    }
    return e instanceof DatabaseUnavailableException ? "database" : "error";
  }
}
