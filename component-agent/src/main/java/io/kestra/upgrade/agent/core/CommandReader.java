package io.kestra.upgrade.agent.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.Decoded;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.MessageSigner;
import io.kestra.upgrade.messaging.MalformedRecordException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads a record of the commands topic. Besides a valid command, it recognises a command that is
 * well formed except for a type this agent does not know (sent by a newer coordinator): that one
 * deserves an answer (REJECTED, UNSUPPORTED_COMMAND), not the dead-letter topic, or the coordinator
 * would wait for it until its deadline.
 *
 * <p>With a key, a record is read only if its raw bytes carry the signature of that key. A record
 * that does not is not a command of this agent's coordinator: it goes to the dead-letter topic and
 * gets no answer, since a REJECTED ack for a forged record naming a real command's id would fail
 * that real command's step.
 */
final class CommandReader {

  /** What a record holds. */
  sealed interface Result permits Valid, UnknownType {
    /** The id of the command in the record. */
    String commandId();
  }

  /** A command this agent can judge. */
  record Valid(Command command) implements Result {
    @Override
    public String commandId() {
      return command.commandId();
    }
  }

  /** A well-formed command of a type this agent does not know. */
  record UnknownType(String commandId, String type) implements Result {}

  private final JsonCodec codec;
  private final Optional<MessageSigner> signer;

  /**
   * @param signer the agent's key; empty only when the agent runs insecure
   */
  CommandReader(JsonCodec codec, Optional<MessageSigner> signer) {
    this.codec = codec;
    this.signer = signer;
  }

  /**
   * @throws MalformedRecordException for anything else, with the decoding error: the record goes to
   *     the dead-letter topic; also for a record that this agent's key did not sign
   */
  Result read(byte[] value) {
    if (signer.isPresent() && !signer.get().verify(value)) {
      throw new MalformedRecordException(
          "the record is not signed with this agent's key (unsigned, forged, or meant for another"
              + " agent): not a command of this agent's coordinator");
    }
    Decoded<Command> decoded = codec.decode(value, Command.class);
    if (decoded instanceof Decoded.Ok<Command> ok) {
      return new Valid(ok.value());
    }
    String error = ((Decoded.Malformed<Command>) decoded).error();
    if (codec.decode(value, JsonNode.class) instanceof Decoded.Ok<JsonNode> json
        && json.value() instanceof ObjectNode node
        && node.path("commandId").isTextual()
        && node.path("type").isTextual()
        && !isKnown(node.path("type").textValue())) {
      String type = node.path("type").textValue();
      ObjectNode known = node.deepCopy();
      known.put("type", CommandType.PING.name());
      // only the type is wrong if the command reads well with a known one
      if (codec.decode(codec.encode(known), Command.class) instanceof Decoded.Ok<Command>) {
        return new UnknownType(node.path("commandId").textValue(), type);
      }
    }
    throw new MalformedRecordException(error);
  }

  private static boolean isKnown(String type) {
    return Arrays.stream(CommandType.values()).anyMatch(t -> t.name().equals(type));
  }
}
