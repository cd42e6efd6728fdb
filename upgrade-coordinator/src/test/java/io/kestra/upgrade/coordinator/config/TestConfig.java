package io.kestra.upgrade.coordinator.config;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;

/** The coordinator's real typed configuration, built without Quarkus for plain unit tests. */
public final class TestConfig {

  private TestConfig() {}

  /** {@link CoordinatorConfig} with its documented defaults, overridden by {@code properties}. */
  public static CoordinatorConfig coordinator(Map<String, String> properties) {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(CoordinatorConfig.class)
            .withDefaultValue("kafka.bootstrap.servers", "localhost:9092")
            .withSources(new PropertiesConfigSource(properties, "test", 500))
            .build();
    return config.getConfigMapping(CoordinatorConfig.class);
  }
}
