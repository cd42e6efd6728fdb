package io.kestra.upgrade.coordinator.notify;

import io.kestra.upgrade.common.Phase;
import io.kestra.upgrade.common.UpgradeEvent;
import java.util.Map;
import java.util.Optional;

/**
 * Which upgrade transitions are worth a webhook, and the Slack-compatible text of each: started
 * (its preflight passed), paused, rolling back, and every end. Pure.
 */
final class WebhookMessage {

  private static final String UPGRADE = UpgradeEvent.TYPE_PREFIX + "upgrade.";

  /** The upgrade states notified, with the emoji that opens their line. */
  private static final Map<String, String> STATES =
      Map.of(
          "paused", ":double_vertical_bar:",
          "rolling_back", ":leftwards_arrow_with_hook:",
          "succeeded", ":white_check_mark:",
          "failed", ":x:",
          "rolled_back", ":leftwards_arrow_with_hook:",
          "rollback_failed", ":rotating_light:",
          "aborted", ":octagonal_sign:");

  private WebhookMessage() {}

  /** The text for {@code event}, or empty when it is not notified. */
  static Optional<String> textOf(UpgradeEvent event) {
    String what;
    String emoji;
    if (event.type().equals(UpgradeEvent.typeOf(UpgradeEvent.Entity.PHASE, "succeeded"))
        && event.phase() == Phase.PREFLIGHT) {
      what = "started";
      emoji = ":rocket:";
    } else if (event.type().startsWith(UPGRADE)
        && STATES.containsKey(event.type().substring(UPGRADE.length()))) {
      what = event.state();
      emoji = STATES.get(event.type().substring(UPGRADE.length()));
    } else {
      return Optional.empty();
    }
    return Optional.of(
        emoji
            + " Kestra upgrade of *"
            + event.cluster()
            + "* "
            + event.fromVersion()
            + " → "
            + event.toVersion()
            + ": "
            + what
            + (event.message() == null ? "" : " — " + event.message())
            + " (upgrade "
            + event.upgradeId()
            + ")");
  }
}
