package io.kestra.sim.config;

import io.kestra.upgrade.common.KestraDurations;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Flattened configuration properties ({@code kestra.server.terminationGracePeriod=5m}) with
 * Micronaut's relaxed names: {@code termination-grace-period}, {@code terminationGracePeriod} and
 * {@code termination_grace_period} name the same property. Typed getters name the key in their
 * error messages, so a wrong value fails the start with a message an operator can act on.
 */
public final class SimConfig {

  private final Map<String, String> values;

  private SimConfig(Map<String, String> values) {
    this.values = values;
  }

  /** Builds a configuration from layers, the later overriding the earlier. */
  @SafeVarargs
  public static SimConfig of(Map<String, String>... layers) {
    return of(Arrays.asList(layers));
  }

  /** Builds a configuration from layers, the later overriding the earlier. */
  public static SimConfig of(List<Map<String, String>> layers) {
    Map<String, String> merged = new HashMap<>();
    for (Map<String, String> layer : layers) {
      layer.forEach((k, v) -> merged.put(normalize(k), v));
    }
    return new SimConfig(merged);
  }

  /** The raw value of a key, if set. */
  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(normalize(key)));
  }

  /** The value of a key, or the fallback. */
  public String get(String key, String fallback) {
    return get(key).orElse(fallback);
  }

  /** A duration property (ISO-8601 or {@code 5m}). */
  public Duration duration(String key, Duration fallback) {
    return get(key).map(v -> parse(key, v, KestraDurations::parse)).orElse(fallback);
  }

  /** An integer property. */
  public int integer(String key, int fallback) {
    return get(key).map(v -> parse(key, v, s -> Integer.parseInt(s.trim()))).orElse(fallback);
  }

  /** A decimal property. */
  public double decimal(String key, double fallback) {
    return get(key).map(v -> parse(key, v, s -> Double.parseDouble(s.trim()))).orElse(fallback);
  }

  /** A boolean property: {@code true} or {@code false}, any case. */
  public boolean bool(String key, boolean fallback) {
    return get(key).map(v -> parse(key, v, SimConfig::parseBoolean)).orElse(fallback);
  }

  /** An enum property, by constant name, any case. */
  public <E extends Enum<E>> E enumeration(String key, Class<E> type, E fallback) {
    return get(key)
        .map(v -> parse(key, v, s -> Enum.valueOf(type, s.trim().toUpperCase(Locale.ROOT))))
        .orElse(fallback);
  }

  /** A property that must be set. */
  public String required(String key) {
    return get(key)
        .filter(v -> !v.isBlank())
        .orElseThrow(() -> new ConfigException("Missing configuration property '" + key + "'"));
  }

  static String normalize(String key) {
    return key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
  }

  private static boolean parseBoolean(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (!t.equals("true") && !t.equals("false")) {
      throw new IllegalArgumentException("expected true or false");
    }
    return Boolean.parseBoolean(t);
  }

  private static <T> T parse(String key, String value, java.util.function.Function<String, T> fn) {
    try {
      return fn.apply(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "Invalid value '"
              + value
              + "' for configuration property '"
              + key
              + "': "
              + e.getMessage(),
          e);
    }
  }
}
