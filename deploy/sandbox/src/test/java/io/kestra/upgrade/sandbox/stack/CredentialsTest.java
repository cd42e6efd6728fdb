package io.kestra.upgrade.sandbox.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.common.AgentKeys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {

  @TempDir Path home;
  private final PrintStream out = new PrintStream(new ByteArrayOutputStream());

  private JwtClaims verify(String token, Path publicKeyPem) throws Exception {
    String body =
        Files.readString(publicKeyPem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PublicKey key =
        KeyFactory.getInstance("RSA")
            .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
    return new JwtConsumerBuilder()
        .setVerificationKey(key)
        .setExpectedIssuer(Credentials.ISSUER)
        .setRequireExpirationTime()
        .build()
        .processToClaims(token);
  }

  @Test
  void tokensOfEachRoleVerifyWithThePublicKeyAndLastAtLeastThirtyDays() throws Exception {
    Credentials credentials = new Credentials(home);
    credentials.start(out);

    JwtClaims operator = verify(credentials.operator(), credentials.publicKey());
    JwtClaims viewer = verify(credentials.viewer(), credentials.publicKey());

    assertThat(operator.getStringListClaimValue("groups")).containsExactly("operator");
    assertThat(viewer.getStringListClaimValue("groups")).containsExactly("viewer");
    Instant expiry = Instant.ofEpochSecond(operator.getExpirationTime().getValue());
    assertThat(expiry).isAfter(Instant.now().plus(Duration.ofDays(30)));
    assertThat(Files.getPosixFilePermissions(home.resolve("secrets/master-key")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(credentials.operatorToken()))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void aSecondStartKeepsTheKeysAndRenewsTheTokens() throws Exception {
    Credentials credentials = new Credentials(home);
    credentials.start(out);
    String key = Files.readString(credentials.publicKey());
    String master = credentials.masterKey();
    Files.writeString(credentials.operatorToken(), "stale");

    credentials.start(out);

    assertThat(Files.readString(credentials.publicKey())).isEqualTo(key);
    assertThat(credentials.masterKey()).isEqualTo(master);
    assertThat(verify(credentials.operator(), credentials.publicKey()).getSubject())
        .isEqualTo("sandbox-operator");
  }

  @Test
  void anAgentsKeyIsTheOneTheCoordinatorDerives() throws Exception {
    Credentials credentials = new Credentials(home);
    credentials.start(out);
    assertThat(credentials.agentKey("sandbox/worker/worker-1"))
        .isEqualTo(AgentKeys.deriveText(credentials.masterKey(), "sandbox/worker/worker-1"))
        .isNotEqualTo(credentials.agentKey("sandbox/worker/worker-2"));
  }
}
