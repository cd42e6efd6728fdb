package io.kestra.upgrade.coordinator.security;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses to start a coordinator whose REST API could verify no token: without a public key every
 * call would be refused (no anonymous access, not even in a sandbox), which an operator should
 * learn at start, not at the first call.
 */
@ApplicationScoped
public class ApiCredentialsCheck {

  private final Optional<String> keyLocation;
  private final Optional<String> key;

  public ApiCredentialsCheck(
      @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> keyLocation,
      @ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> key) {
    this.keyLocation = keyLocation;
    this.key = key;
  }

  void check(@Observes StartupEvent event) {
    if (keyLocation.filter(s -> !s.isBlank()).isEmpty()
        && key.filter(s -> !s.isBlank()).isEmpty()) {
      throw new IllegalStateException(
          "the REST API has no key to verify bearer tokens with: set"
              + " mp.jwt.verify.publickey.location (env MP_JWT_VERIFY_PUBLICKEY_LOCATION) to the PEM"
              + " file of the public key whose private key signs your tokens (RS256, issuer"
              + " mp.jwt.verify.issuer, roles in the 'groups' claim: viewer, operator)");
    }
  }
}
