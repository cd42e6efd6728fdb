package io.kestra.upgrade.agent.driver.process;

import io.kestra.upgrade.common.KestraDurations;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What a Kestra server runs with for the properties the agent must know, as far as the agent can
 * see them: its {@code -c} file and the {@code -D} options of its {@code JAVA_OPTS}, in Kestra's
 * order. Kestra hands the {@code -c} file to Micronaut as the application context's own properties,
 * which rank above system properties: a key set in the file cannot be overridden by {@code -D}.
 * Lower sources ({@code KESTRA_CONFIGURATION}, environment variables) are not read: the agent sets
 * the keys it depends on with {@code -D}, which ranks above them.
 *
 * @param file the {@code -c} file's properties, normalized
 * @param systemProperties the {@code -D} properties, normalized
 */
record ServerConfigView(Map<String, String> file, Map<String, String> systemProperties) {

  /** Kestra's grace period property. */
  static final String GRACE_PERIOD = "kestra.server.terminationGracePeriod";

  /** Kestra's management port property. */
  static final String MANAGEMENT_PORT = "endpoints.all.port";

  /** Kestra's default grace period, when nothing sets it. */
  static final Duration KESTRA_DEFAULT_GRACE = Duration.ofMinutes(5);

  ServerConfigView {
    file = Map.copyOf(file);
    systemProperties = Map.copyOf(systemProperties);
  }

  /** The view of a file's properties and a {@code JAVA_OPTS} value. */
  static ServerConfigView of(Map<String, String> file, String javaOpts) {
    return new ServerConfigView(file, JavaOpts.systemProperties(javaOpts));
  }

  /** The value set in the {@code -c} file. */
  Optional<String> fromFile(String key) {
    return Optional.ofNullable(file.get(KestraConfigFile.normalize(key)));
  }

  /** The value the server runs with: the file's, else the {@code -D} one. */
  Optional<String> get(String key) {
    String normalized = KestraConfigFile.normalize(key);
    return Optional.ofNullable(file.get(normalized))
        .or(() -> Optional.ofNullable(systemProperties.get(normalized)));
  }

  /**
   * The grace period the server applies: the file's, else the {@code -D} one, else Kestra's 5
   * minutes.
   *
   * @throws IllegalArgumentException when the value set is no duration (Kestra would not start)
   */
  Duration gracePeriod() {
    return get(GRACE_PERIOD).map(KestraDurations::parse).orElse(KESTRA_DEFAULT_GRACE);
  }
}
