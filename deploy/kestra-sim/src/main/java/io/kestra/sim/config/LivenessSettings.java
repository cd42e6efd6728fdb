package io.kestra.sim.config;

import java.time.Duration;

/**
 * Kestra's {@code kestra.server.liveness.*} settings ({@code ServerConfig.Liveness}), with Kestra's
 * defaults.
 *
 * @param enabled whether the server heartbeats and (on an executor) coordinates liveness (true);
 *     false, as in Kestra, starts neither and logs Kestra's warning, and the coordinator of another
 *     server never disconnects a service that published false
 * @param timeout silence after which the coordinator marks a service DISCONNECTED (45s)
 * @param interval period of the liveness coordinator (5s)
 * @param heartbeatInterval period of a service's heartbeat (3s)
 * @param initialDelay age a service must reach before the coordinator probes it (45s)
 */
public record LivenessSettings(
    boolean enabled,
    Duration timeout,
    Duration interval,
    Duration heartbeatInterval,
    Duration initialDelay) {

  /** Kestra's warning when liveness is off, logged by each task that therefore does not start. */
  public static final String DISABLED_WARNING =
      "Server liveness is disabled (kestra.server.liveness.enabled=false) If you are running in"
          + " production environment, please ensure this property is configured to 'true'.";

  static LivenessSettings from(SimConfig c) {
    return new LivenessSettings(
        c.bool("kestra.server.liveness.enabled", true),
        c.duration("kestra.server.liveness.timeout", Duration.ofSeconds(45)),
        positive(c, "kestra.server.liveness.interval", Duration.ofSeconds(5)),
        positive(c, "kestra.server.liveness.heartbeatInterval", Duration.ofSeconds(3)),
        c.duration("kestra.server.liveness.initialDelay", Duration.ofSeconds(45)));
  }

  static Duration positive(SimConfig c, String key, Duration fallback) {
    Duration d = c.duration(key, fallback);
    if (d.isZero() || d.isNegative()) {
      throw new ConfigException("Configuration property '" + key + "' must be positive: " + d);
    }
    return d;
  }
}
