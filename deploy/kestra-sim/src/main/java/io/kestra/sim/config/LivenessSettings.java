package io.kestra.sim.config;

import java.time.Duration;

/**
 * Kestra's {@code kestra.server.liveness.*} settings.
 *
 * @param timeout silence after which the coordinator marks a service DISCONNECTED (45s)
 * @param interval period of the liveness coordinator (5s)
 * @param heartbeatInterval period of a service's heartbeat (3s)
 * @param initialDelay age a service must reach before the coordinator probes it (0s here; real
 *     Kestra defaults to 45s, which this simulator does not, so that a killed worker's tasks come
 *     back after timeout + grace as the spec states)
 */
public record LivenessSettings(
    Duration timeout, Duration interval, Duration heartbeatInterval, Duration initialDelay) {

  static LivenessSettings from(SimConfig c) {
    return new LivenessSettings(
        c.duration("kestra.server.liveness.timeout", Duration.ofSeconds(45)),
        positive(c, "kestra.server.liveness.interval", Duration.ofSeconds(5)),
        positive(c, "kestra.server.liveness.heartbeatInterval", Duration.ofSeconds(3)),
        c.duration("kestra.server.liveness.initialDelay", Duration.ZERO));
  }

  static Duration positive(SimConfig c, String key, Duration fallback) {
    Duration d = c.duration(key, fallback);
    if (d.isZero() || d.isNegative()) {
      throw new ConfigException("Configuration property '" + key + "' must be positive: " + d);
    }
    return d;
  }
}
