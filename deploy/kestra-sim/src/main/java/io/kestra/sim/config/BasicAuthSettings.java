package io.kestra.sim.config;

import java.util.Optional;

/**
 * Kestra's {@code kestra.server.basic-auth.*}: the credentials the API asks for when enabled. The
 * stand-in asks for them only on the instance maintenance endpoints that change something.
 *
 * @param enabled whether credentials are required (false)
 * @param username the user, required when enabled
 * @param password the password, required when enabled
 */
public record BasicAuthSettings(boolean enabled, String username, String password) {

  static BasicAuthSettings from(SimConfig c) {
    boolean enabled = c.bool("kestra.server.basic-auth.enabled", false);
    if (!enabled) {
      return new BasicAuthSettings(false, null, null);
    }
    return new BasicAuthSettings(
        true,
        c.required("kestra.server.basic-auth.username"),
        c.required("kestra.server.basic-auth.password"));
  }

  /** The credentials, when required. */
  public Optional<BasicAuthSettings> required() {
    return enabled ? Optional.of(this) : Optional.empty();
  }
}
