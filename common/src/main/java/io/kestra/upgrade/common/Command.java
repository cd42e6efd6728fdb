package io.kestra.upgrade.common;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An order from the coordinator to one agent, published on {@link Topics#commands()} with the
 * agentId as key.
 *
 * <p>A redelivered command keeps its {@code commandId}: agents answer it from their record and
 * never run it twice.
 *
 * @param schemaVersion contract version, {@link Message#SCHEMA_VERSION}
 * @param messageId unique id of this message
 * @param commandId id of the command; the acks refer to it
 * @param upgradeId the upgrade the command belongs to
 * @param stepId the step of that upgrade that the command carries out
 * @param agentId the addressed agent, {@code <cluster>/<kind>/<instance>}
 * @param type what to do
 * @param targetVersion the Kestra version to prepare, start or migrate to; may be {@code null} for
 *     PING, STOP, BACKUP and RESTORE
 * @param params further parameters, see the {@code PARAM_*} constants
 * @param issuedAt when the coordinator issued it
 * @param expiresAt after this instant the agent rejects it ({@link FailureReason#COMMAND_EXPIRED})
 * @param signature HMAC-SHA256 (hex) by the addressed agent's key over the canonical JSON of the
 *     command without this field; {@code null} when the coordinator runs without keys, see {@link
 *     MessageSigner}
 */
public record Command(
    int schemaVersion,
    String messageId,
    String commandId,
    String upgradeId,
    String stepId,
    String agentId,
    CommandType type,
    String targetVersion,
    Map<String, String> params,
    Instant issuedAt,
    Instant expiresAt,
    String signature)
    implements Signed<Command> {

  /** ISO-8601 duration the component gets to finish its work before it is forced. */
  public static final String PARAM_GRACE_PERIOD = "gracePeriod";

  /** ISO-8601 duration added to the grace period before the agent kills the process. */
  public static final String PARAM_KILL_MARGIN = "killMargin";

  /** ISO-8601 duration the agent may spend on the command (for example waiting for readiness). */
  public static final String PARAM_TIMEOUT = "timeout";

  /** The backup to restore (RESTORE). */
  public static final String PARAM_BACKUP_ID = "backupId";

  /**
   * {@code true}: a RESTORE only checks that its backup is there and its checksum matches, and
   * restores nothing (a rollback checks its backup before it stops anything).
   */
  public static final String PARAM_CHECK_ONLY = "checkOnly";

  /**
   * Backups a BACKUP's retention must keep whatever their age, comma-separated (a rollback's second
   * backup keeps the first, which it then restores).
   */
  public static final String PARAM_KEEP_BACKUPS = "keepBackups";

  /**
   * A RESTORE's second backup (taken just before it, of the database it replaces): the agent counts
   * the executions it holds that the restored one does not, which the restore drops.
   */
  public static final String PARAM_COMPARE_WITH = "compareWith";

  /**
   * {@code true}: this agent's FINALIZE also records the version in the deployment's file (one
   * agent per upgrade, as several may share that file).
   */
  public static final String PARAM_RECORD_VERSION = "recordVersion";

  /**
   * ISO-8601 duration a RESTART's server must stay ready on its new version before the agent
   * answers SUCCEEDED (Kubernetes' {@code minReadySeconds}, Nomad's {@code min_healthy_time}): a
   * server that fails soon after its start fails the step, before the next one is touched.
   */
  public static final String PARAM_MIN_HEALTHY = "minHealthy";

  /**
   * A START's or RESTART's new configuration file for its server (the YAML of Kestra's {@code -c}
   * file, as text), installed before the server starts; the file it replaces is kept once, to be
   * put back ({@link #PARAM_RESTORE_CONFIG}).
   */
  public static final String PARAM_CONFIG_FILE = "configFile";

  /**
   * The longest {@link #PARAM_CONFIG_FILE}, in characters: the one parameter that is not a short
   * one-line value.
   */
  public static final int MAX_CONFIG_FILE = 64 * 1024;

  /**
   * {@code true}: a rollback's START or RESTART first puts back the configuration file an earlier
   * {@link #PARAM_CONFIG_FILE} replaced (nothing when none did).
   */
  public static final String PARAM_RESTORE_CONFIG = "restoreConfig";

  public Command {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(commandId, "commandId");
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    params = params == null ? Map.of() : Map.copyOf(params);
  }

  @Override
  public String key() {
    return agentId;
  }

  @Override
  public List<String> violations() {
    Violations v =
        new Violations()
            .require(schemaVersion >= 1, "schemaVersion: " + schemaVersion + " is not a version")
            .uuid("messageId", messageId)
            .uuid("commandId", commandId)
            .optionalUuid("upgradeId", upgradeId)
            .optionalUuid("stepId", stepId)
            .agentId("agentId", agentId)
            .shortText("targetVersion", targetVersion)
            .map("params", withoutConfigFile(params))
            .text(
                "params." + PARAM_CONFIG_FILE,
                params == null ? null : params.get(PARAM_CONFIG_FILE),
                MAX_CONFIG_FILE,
                true)
            .instant("issuedAt", issuedAt)
            .instant("expiresAt", expiresAt)
            .shortText("signature", signature);
    if (issuedAt != null && expiresAt != null) {
      v.require(!expiresAt.isBefore(issuedAt), "expiresAt: before issuedAt");
    }
    return v.list();
  }

  private static Map<String, String> withoutConfigFile(Map<String, String> params) {
    if (params == null || !params.containsKey(PARAM_CONFIG_FILE)) {
      return params;
    }
    Map<String, String> rest = new java.util.HashMap<>(params);
    rest.remove(PARAM_CONFIG_FILE);
    return rest;
  }

  @Override
  public Command withSignature(String newSignature) {
    return new Command(
        schemaVersion,
        messageId,
        commandId,
        upgradeId,
        stepId,
        agentId,
        type,
        targetVersion,
        params,
        issuedAt,
        expiresAt,
        newSignature);
  }

  /** Whether the command's expiry time has passed at {@code now}. */
  public boolean isExpiredAt(Instant now) {
    return now.isAfter(expiresAt);
  }

  /**
   * A duration parameter.
   *
   * @throws IllegalArgumentException when present but not an ISO-8601 duration
   */
  public Optional<Duration> durationParam(String name) {
    String value = params.get(name);
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.parse(value));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "parameter " + name + "='" + value + "' is not an ISO-8601 duration such as PT5M", e);
    }
  }
}
