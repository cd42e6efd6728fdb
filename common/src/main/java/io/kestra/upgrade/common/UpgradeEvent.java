package io.kestra.upgrade.common;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The data of an event on {@link Topics#events()}: a transition of an upgrade, of one of its
 * phases, or of one of its steps (also a step's progress). Published as a CloudEvent in binary mode
 * (see {@link CloudEvents}), keyed by upgradeId, in the order the transitions happened.
 *
 * @param schemaVersion contract version, {@link Message#SCHEMA_VERSION}
 * @param messageId unique id, also the CloudEvent's {@code ce_id}
 * @param type the CloudEvent type, {@code io.kestra.upgrade.<entity>.<transition>}, see {@link
 *     #typeOf}
 * @param upgradeId the upgrade
 * @param cluster the cluster upgraded
 * @param subject what changed: {@code upgrade}, {@code phase/<PHASE>} or {@code step/<stepId>}
 * @param state the new state (of the upgrade, the phase or the step)
 * @param phase the phase concerned; {@code null} for upgrade-level events outside a phase
 * @param stepId the step concerned, or {@code null}
 * @param agentId the agent of the step, or {@code null}
 * @param commandType the step's command, or {@code null}
 * @param fromVersion the version upgraded from
 * @param toVersion the version upgraded to
 * @param reason why something failed, or {@code null}
 * @param message human details, or {@code null}
 * @param inFlightTasks for a draining worker's progress, the task runs still running
 * @param at when the transition happened
 */
public record UpgradeEvent(
    int schemaVersion,
    String messageId,
    String type,
    String upgradeId,
    String cluster,
    String subject,
    String state,
    Phase phase,
    String stepId,
    String agentId,
    CommandType commandType,
    String fromVersion,
    String toVersion,
    FailureReason reason,
    String message,
    Integer inFlightTasks,
    Instant at)
    implements Message {

  /** Prefix of every event type. */
  public static final String TYPE_PREFIX = "io.kestra.upgrade.";

  /**
   * The type of a live event stream's first events (REST, not Kafka): the current state of each
   * upgrade concerned, its data the upgrade as {@code GET /api/v1/upgrades/{id}} shows it.
   */
  public static final String SNAPSHOT_TYPE = TYPE_PREFIX + "upgrade.snapshot";

  public UpgradeEvent {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(upgradeId, "upgradeId");
    Objects.requireNonNull(at, "at");
  }

  /** The entities whose transitions are published. */
  public enum Entity {
    UPGRADE,
    PHASE,
    STEP,
    /**
     * The rollback of an upgrade: {@code io.kestra.upgrade.rollback.requested} (by an operator),
     * {@code .started} (its plan in {@code message}: with or without a restore), {@code
     * .succeeded}, {@code .failed} (what each server runs and where both backups are, in {@code
     * message}).
     */
    ROLLBACK,
    /**
     * An operator's control of the upgrade: {@code io.kestra.upgrade.control.paused}, {@code
     * .resumed}, {@code .aborted}, who in {@code message}.
     */
    CONTROL,
    /**
     * A record of the coordinator's outbox: {@code io.kestra.upgrade.outbox.refused} says that the
     * broker refused an event of the upgrade for good (subject {@code outbox/<row id>}, the refused
     * event's type and the broker's reason in {@code message}).
     */
    OUTBOX
  }

  /**
   * The CloudEvent type of a transition, e.g. {@code io.kestra.upgrade.step.succeeded} or {@code
   * io.kestra.upgrade.upgrade.running}.
   */
  public static String typeOf(Entity entity, String transition) {
    return TYPE_PREFIX
        + entity.name().toLowerCase(java.util.Locale.ROOT)
        + "."
        + transition.toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public String key() {
    return upgradeId;
  }

  @Override
  public List<String> violations() {
    return new Violations()
        .require(schemaVersion >= 1, "schemaVersion: " + schemaVersion + " is not a version")
        .uuid("messageId", messageId)
        .shortText("type", type)
        .uuid("upgradeId", upgradeId)
        .optionalUuid("stepId", stepId)
        .text("message", message, Violations.MAX_MESSAGE, true)
        .instant("at", at)
        .list();
  }
}
