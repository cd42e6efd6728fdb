package io.kestra.sim.management;

import java.util.Map;

/** One of Micronaut's health indicators, as it appears in an aggregate health body. */
interface HealthIndicator {

  /** The indicator's key in {@code details} ({@code service}, {@code jdbc}, {@code diskSpace}). */
  String name();

  /** Whether it is UP now. */
  boolean isUp();

  /** Its own details (numbers or text), empty when it has none. */
  default Map<String, Object> details() {
    return Map.of();
  }
}
