package io.kestra.upgrade.common;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies commands with HMAC-SHA256 over the canonical JSON of the command without its
 * signature, with a key shared by the coordinator and the agents. Once an agent has a key, it
 * rejects unsigned and wrongly signed commands.
 *
 * <p>The canonical form covers only the fields this version knows: a field added by a newer
 * coordinator would be dropped by an older agent and break the signature, which is the safe side.
 */
public final class CommandSigner {

  private static final String ALGORITHM = "HmacSHA256";
  private static final JsonCodec CANONICAL = JsonCodec.canonical();

  private final SecretKeySpec key;

  /**
   * @param sharedKey the shared secret; at least 16 characters
   */
  public CommandSigner(String sharedKey) {
    if (sharedKey == null || sharedKey.length() < 16) {
      throw new IllegalArgumentException(
          "the command signing key must have at least 16 characters");
    }
    this.key = new SecretKeySpec(sharedKey.getBytes(StandardCharsets.UTF_8), ALGORITHM);
  }

  /** The command with its signature set. */
  public Command sign(Command command) {
    return command.withSignature(signatureOf(command));
  }

  /** Whether the command carries the signature this key gives it. */
  public boolean verify(Command command) {
    if (command.signature() == null) {
      return false;
    }
    byte[] expected = signatureOf(command).getBytes(StandardCharsets.US_ASCII);
    byte[] actual = command.signature().getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, actual);
  }

  private String signatureOf(Command command) {
    byte[] canonical = CANONICAL.encode(command.withSignature(null));
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(canonical));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }
}
