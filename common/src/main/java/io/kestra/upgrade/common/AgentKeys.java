package io.kestra.upgrade.common;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-agent keys. The coordinator holds one master key; each agent's key is derived from it and the
 * agent's id with HKDF-SHA256 (RFC 5869), and an agent is given only its own. So an agent can sign
 * only its own acks and heartbeats and verify only its own commands: it can neither forge another
 * agent's messages nor derive another's key, nor the master key.
 *
 * <p>An agent key travels as 64 lower-case hex digits (32 bytes), the form {@code kestra-upgrade
 * agent-key <agentId>} prints for installers. HKDF is written out here on the JDK's HMAC because
 * Java 17 has no HKDF of its own; {@code AgentKeysTest} checks it against RFC 5869's test vectors.
 */
public final class AgentKeys {

  /** Shortest master key accepted, in bytes of its UTF-8 form. */
  public static final int MIN_MASTER_KEY_BYTES = 32;

  /** Length of an agent key, in bytes. */
  public static final int KEY_BYTES = 32;

  private static final String HMAC = "HmacSHA256";
  private static final byte[] SALT = "kestra-upgrade/agent-key/v1".getBytes(StandardCharsets.UTF_8);

  private AgentKeys() {}

  /**
   * The key of {@code agentId} under {@code masterKey}.
   *
   * @throws IllegalArgumentException when the master key is shorter than {@link
   *     #MIN_MASTER_KEY_BYTES} or the agent id is not one
   */
  public static byte[] derive(String masterKey, String agentId) {
    requireMasterKey(masterKey);
    AgentId.parse(agentId);
    byte[] prk = hmac(SALT, masterKey.getBytes(StandardCharsets.UTF_8));
    return expand(prk, ("agent:" + agentId).getBytes(StandardCharsets.UTF_8), KEY_BYTES);
  }

  /** {@link #derive} as the text an installer gives the agent. */
  public static String deriveText(String masterKey, String agentId) {
    return HexFormat.of().formatHex(derive(masterKey, agentId));
  }

  /**
   * An agent key from its text form.
   *
   * @throws IllegalArgumentException when it is not 64 hex digits
   */
  public static byte[] parse(String text) {
    String trimmed = text == null ? "" : text.trim();
    if (trimmed.length() != 2 * KEY_BYTES) {
      throw new IllegalArgumentException(
          "an agent key is "
              + 2 * KEY_BYTES
              + " hex digits (as `kestra-upgrade agent-key <agentId>` prints it), not "
              + trimmed.length()
              + " characters");
    }
    try {
      return HexFormat.of().parseHex(trimmed.toLowerCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("an agent key holds only hex digits (0-9, a-f)", e);
    }
  }

  /**
   * @throws IllegalArgumentException when {@code masterKey} is too short to be a key
   */
  public static void requireMasterKey(String masterKey) {
    if (masterKey == null
        || masterKey.getBytes(StandardCharsets.UTF_8).length < MIN_MASTER_KEY_BYTES) {
      throw new IllegalArgumentException(
          "the master key must be at least "
              + MIN_MASTER_KEY_BYTES
              + " bytes long (for example 64 hex digits from `openssl rand -hex 32`)");
    }
  }

  /** HKDF-Extract (RFC 5869 §2.2). */
  static byte[] extract(byte[] salt, byte[] ikm) {
    return hmac(salt, ikm);
  }

  /** HKDF-Expand (RFC 5869 §2.3). */
  static byte[] expand(byte[] prk, byte[] info, int length) {
    if (length > 255 * 32) {
      throw new IllegalArgumentException("HKDF-SHA256 gives at most 8160 bytes");
    }
    byte[] out = new byte[length];
    byte[] t = new byte[0];
    int done = 0;
    for (int i = 1; done < length; i++) {
      byte[] input = new byte[t.length + info.length + 1];
      System.arraycopy(t, 0, input, 0, t.length);
      System.arraycopy(info, 0, input, t.length, info.length);
      input[input.length - 1] = (byte) i;
      t = hmac(prk, input);
      int n = Math.min(t.length, length - done);
      System.arraycopy(t, 0, out, done, n);
      done += n;
    }
    Arrays.fill(t, (byte) 0);
    return out;
  }

  static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      // HMAC takes a key of any length; an empty salt stands for zeros (RFC 5869 §2.2)
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[32] : key, HMAC));
      return mac.doFinal(data);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }
}
