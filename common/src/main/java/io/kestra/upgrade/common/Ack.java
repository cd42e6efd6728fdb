package io.kestra.upgrade.common;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An agent's report on a command, published on {@link Topics#acks()} with the agentId as key.
 *
 * <p>A command gets ACCEPTED, then PROGRESS (at least every 2 s during long work), then one final
 * status: SUCCEEDED, FAILED or REJECTED.
 *
 * @param schemaVersion contract version, {@link Message#SCHEMA_VERSION}
 * @param messageId unique id of this message
 * @param commandId the command reported on
 * @param agentId the reporting agent
 * @param status where the command stands
 * @param reason why it failed or was rejected; {@code null} otherwise
 * @param message human details (for a failed migration: the tool's output)
 * @param observed the component as the agent saw it when it answered
 * @param result outputs of the command, e.g. {@code backupId}, {@code stopMode}
 * @param at when the agent answered
 * @param signature HMAC-SHA256 (hex) by the agent's own key over the canonical JSON of the ack
 *     without this field ({@link MessageSigner}); {@code null} from an agent that runs without keys
 */
public record Ack(
    int schemaVersion,
    String messageId,
    String commandId,
    String agentId,
    AckStatus status,
    FailureReason reason,
    String message,
    Observed observed,
    Map<String, String> result,
    Instant at,
    String signature)
    implements Signed<Ack> {

  /** Result key: the id of the backup taken (BACKUP). */
  public static final String RESULT_BACKUP_ID = "backupId";

  /** Result key: size in bytes of the backup taken (BACKUP). */
  public static final String RESULT_BACKUP_SIZE = "backupSizeBytes";

  /** Result key: SHA-256 of the backup taken (BACKUP). */
  public static final String RESULT_BACKUP_SHA256 = "backupSha256";

  /**
   * Result key: how many executions the RESTORE dropped: held by its {@code compareWith} backup,
   * not by the one restored (their first ids are in the ack's message).
   */
  public static final String RESULT_DROPPED_EXECUTIONS = "droppedExecutions";

  /** Result key: where the backup taken is, as its agent sees it (BACKUP). */
  public static final String RESULT_BACKUP_LOCATION = "backupLocation";

  /**
   * Result key: how a STOP ended: {@code graceful}, {@code forced} (Kestra forced its tasks),
   * {@code killed} (SIGKILL).
   */
  public static final String RESULT_STOP_MODE = "stopMode";

  /** Result key: task runs that were running when the STOP began. */
  public static final String RESULT_TASKS_AT_STOP = "tasksRunningAtStop";

  public Ack {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(commandId, "commandId");
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(at, "at");
    observed = observed == null ? Observed.unknown() : observed;
    result = result == null ? Map.of() : Map.copyOf(result);
  }

  /** An unsigned ack (see {@link MessageSigner#sign}). */
  public Ack(
      int schemaVersion,
      String messageId,
      String commandId,
      String agentId,
      AckStatus status,
      FailureReason reason,
      String message,
      Observed observed,
      Map<String, String> result,
      Instant at) {
    this(
        schemaVersion,
        messageId,
        commandId,
        agentId,
        status,
        reason,
        message,
        observed,
        result,
        at,
        null);
  }

  @Override
  public String key() {
    return agentId;
  }

  @Override
  public Ack withSignature(String newSignature) {
    return new Ack(
        schemaVersion,
        messageId,
        commandId,
        agentId,
        status,
        reason,
        message,
        observed,
        result,
        at,
        newSignature);
  }

  @Override
  public List<String> violations() {
    Violations v =
        new Violations()
            .require(schemaVersion >= 1, "schemaVersion: " + schemaVersion + " is not a version")
            .uuid("messageId", messageId)
            .uuid("commandId", commandId)
            .agentId("agentId", agentId)
            .text("message", message, Violations.MAX_MESSAGE, true)
            .map("result", result)
            .instant("at", at)
            .shortText("signature", signature);
    observed.check("observed", v);
    return v.list();
  }
}
