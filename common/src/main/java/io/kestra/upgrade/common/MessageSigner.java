package io.kestra.upgrade.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * Signs and verifies messages with HMAC-SHA256 under one agent's key ({@link AgentKeys}).
 *
 * <p>What is signed is the canonical form of the message's JSON without its {@code signature}:
 * every object's properties sorted by name, no whitespace. A verifier computes it from the JSON
 * tree it received, not from the fields it knows, so a message of a newer writer, with fields this
 * version does not know, still verifies; and no field can be added or changed without breaking the
 * signature.
 */
public final class MessageSigner {

  private static final ObjectMapper TREE = JsonMapper.builder().build();
  private static final JsonCodec CODEC = JsonCodec.create();

  private final byte[] key;

  /**
   * @param key the agent's key, {@link AgentKeys#KEY_BYTES} bytes
   */
  public MessageSigner(byte[] key) {
    if (key == null || key.length != AgentKeys.KEY_BYTES) {
      throw new IllegalArgumentException("an agent key is " + AgentKeys.KEY_BYTES + " bytes");
    }
    this.key = key.clone();
  }

  /** The signer of an agent key given as text (64 hex digits). */
  public static MessageSigner ofText(String agentKey) {
    return new MessageSigner(AgentKeys.parse(agentKey));
  }

  /** The message with its signature set. */
  public <T extends Signed<T>> T sign(T message) {
    // the tree of the bytes that will be published, as a verifier will read them back
    JsonNode tree;
    try {
      tree = TREE.readTree(CODEC.encode(message.withSignature(null)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read back a message just written", e);
    }
    return message.withSignature(signatureOf(tree));
  }

  /**
   * Whether {@code json}, a record's value as received, carries the signature this key gives it.
   * Never throws: a value that is not a JSON object does not verify.
   */
  public boolean verify(byte[] json) {
    JsonNode tree;
    try {
      tree = json == null ? null : TREE.readTree(json);
    } catch (IOException e) {
      return false;
    }
    if (!(tree instanceof ObjectNode object) || !object.path(Signed.SIGNATURE_FIELD).isTextual()) {
      return false;
    }
    String claimed = object.get(Signed.SIGNATURE_FIELD).textValue();
    String expected = signatureOf(object);
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII), claimed.getBytes(StandardCharsets.US_ASCII));
  }

  /** Whether {@code message} carries the signature this key gives it. */
  public <T extends Signed<T>> boolean verify(T message) {
    return message.signature() != null && verify(CODEC.encode(message));
  }

  /** The signature of a message's JSON tree (its own {@code signature} left out). */
  String signatureOf(JsonNode message) {
    StringBuilder canonical = new StringBuilder();
    write(message, canonical, true);
    return HexFormat.of()
        .formatHex(AgentKeys.hmac(key, canonical.toString().getBytes(StandardCharsets.UTF_8)));
  }

  /** The canonical JSON of {@code node}: sorted properties, no whitespace, signature left out. */
  private static void write(JsonNode node, StringBuilder out, boolean top) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!(top && name.equals(Signed.SIGNATURE_FIELD))) {
          names.add(name);
        }
      }
      Collections.sort(names);
      out.append('{');
      for (int i = 0; i < names.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        out.append(json(names.get(i))).append(':');
        write(node.get(names.get(i)), out, false);
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(node.get(i), out, false);
      }
      out.append(']');
    } else {
      out.append(json(node));
    }
  }

  /** Jackson's own JSON text of a scalar or a property name. */
  private static String json(Object value) {
    try {
      return TREE.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + value, e);
    }
  }
}
