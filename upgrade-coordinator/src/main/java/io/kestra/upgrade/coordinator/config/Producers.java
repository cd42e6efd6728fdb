package io.kestra.upgrade.coordinator.config;

import io.kestra.upgrade.common.CommandSigner;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeMachine;
import io.kestra.upgrade.coordinator.upgrade.plan.Planner;
import io.kestra.upgrade.coordinator.upgrade.plan.StepTimeouts;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/** The plain-Java collaborators, built once from the typed configuration. */
public class Producers {

  @Produces
  @Singleton
  JsonCodec codec() {
    return JsonCodec.create();
  }

  @Produces
  @Singleton
  Topics topics(CoordinatorConfig config) {
    return new Topics(config.kafka().topicPrefix());
  }

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  @Singleton
  Optional<CommandSigner> signer(CoordinatorConfig config) {
    return config.signingKey().filter(k -> !k.isBlank()).map(CommandSigner::new);
  }

  @Produces
  @Singleton
  Planner planner(CoordinatorConfig config) {
    CoordinatorConfig.Timeouts t = config.timeouts();
    return new Planner(
        new StepTimeouts(t.ping(), t.prepare(), t.start(), t.migrate(), t.backup(), t.stopSlack()),
        config.defaults().gracePeriod());
  }

  @Produces
  @Singleton
  UpgradeMachine machine() {
    return new UpgradeMachine(() -> UUID.randomUUID().toString());
  }
}
