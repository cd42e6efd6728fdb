package io.kestra.upgrade.sandbox.stack;

import io.kestra.upgrade.common.AgentKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * The sandbox's own credentials, made at its first start and kept in {@code <home>/secrets}: the
 * key pair whose public half the coordinator verifies bearer tokens with, and the master key every
 * agent's key is derived from. Each start also issues fresh long-lived tokens (valid {@link
 * #TOKEN_LIFETIME}): operator to {@code <home>/api-token}, viewer to {@code
 * <home>/api-token.viewer}. Nothing is anonymous, not even here; the files are readable by their
 * owner only.
 */
public final class Credentials implements Part {

  /** How long the tokens {@code up} writes stay valid. */
  public static final Duration TOKEN_LIFETIME = Duration.ofDays(90);

  /** The tokens' issuer, as the coordinator is configured to expect it. */
  public static final String ISSUER = "kestra-upgrade";

  private final Path home;

  public Credentials(Layout layout) {
    this(layout.home());
  }

  /** The credentials kept under {@code home}. */
  public Credentials(Path home) {
    this.home = home;
  }

  @Override
  public String name() {
    return "credentials";
  }

  /** Makes the keys if they are missing, then issues fresh tokens. */
  @Override
  public void start(PrintStream out) throws IOException {
    try {
      if (!Files.exists(privateKey())) {
        out.println("· making the sandbox's keys in " + secrets());
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        writeSecret(publicKey(), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        writeSecret(privateKey(), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        writeSecret(masterKeyFile(), HexFormat.of().formatHex(master));
      }
      PrivateKey signer = readPrivateKey();
      Instant until = Instant.now().plus(TOKEN_LIFETIME);
      writeSecret(operatorToken(), token(signer, "sandbox-operator", "operator", until));
      writeSecret(viewerToken(), token(signer, "sandbox-viewer", "viewer", until));
    } catch (GeneralSecurityException | JoseException e) {
      throw new StartFailedException("cannot make the sandbox's credentials", e);
    }
  }

  @Override
  public boolean running() {
    return Files.exists(operatorToken()) && Files.exists(publicKey());
  }

  @Override
  public PartStatus status() {
    return new PartStatus(
        name(),
        running() ? "ready" : "missing",
        "-",
        "curl -H \"Authorization: Bearer $(cat "
            + operatorToken()
            + ")\" … (operator; viewer: "
            + viewerToken()
            + ")");
  }

  /** Kept: the next {@code up} uses the same keys (a {@code down} removes them with the rest). */
  @Override
  public void stop() {}

  /** The PEM file of the public key the coordinator verifies tokens with. */
  public Path publicKey() {
    return secrets().resolve("jwt-public.pem");
  }

  /** The operator's token file. */
  public Path operatorToken() {
    return home.resolve("api-token");
  }

  /** The viewer's token file. */
  public Path viewerToken() {
    return home.resolve("api-token.viewer");
  }

  /** The operator's token. */
  public String operator() {
    return read(operatorToken());
  }

  /** The viewer's token. */
  public String viewer() {
    return read(viewerToken());
  }

  /** The coordinator's master key. */
  public String masterKey() {
    return read(masterKeyFile());
  }

  /** The key of one agent, derived from the master key as the coordinator derives it. */
  public String agentKey(String agentId) {
    return AgentKeys.deriveText(masterKey(), agentId);
  }

  /**
   * A token of {@code role} for {@code subject}, valid until {@code until}, signed with this
   * sandbox's key.
   */
  public String token(String subject, String role, Instant until) {
    try {
      return token(readPrivateKey(), subject, role, until);
    } catch (GeneralSecurityException | IOException | JoseException e) {
      throw new IllegalStateException("cannot sign a token with " + privateKey(), e);
    }
  }

  private static String token(PrivateKey key, String subject, String role, Instant until)
      throws JoseException {
    JwtClaims claims = new JwtClaims();
    claims.setIssuer(ISSUER);
    claims.setSubject(subject);
    claims.setClaim("upn", subject);
    claims.setStringListClaim("groups", List.of(role));
    claims.setIssuedAtToNow();
    claims.setExpirationTime(NumericDate.fromSeconds(until.getEpochSecond()));
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setKey(key);
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
    jws.setHeader("typ", "JWT");
    return jws.getCompactSerialization();
  }

  private Path secrets() {
    return home.resolve("secrets");
  }

  private Path privateKey() {
    return secrets().resolve("jwt-private.pem");
  }

  private Path masterKeyFile() {
    return secrets().resolve("master-key");
  }

  private PrivateKey readPrivateKey() throws IOException, GeneralSecurityException {
    String pem = Files.readString(privateKey(), StandardCharsets.US_ASCII);
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("RSA")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static void writeSecret(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, content, StandardCharsets.US_ASCII);
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new IllegalStateException("no " + file + ": start the sandbox first (`sandbox up`)", e);
    }
  }
}
