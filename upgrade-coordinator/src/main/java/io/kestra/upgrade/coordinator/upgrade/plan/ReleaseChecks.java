package io.kestra.upgrade.coordinator.upgrade.plan;

import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.coordinator.upgrade.plan.release.Release;
import io.kestra.upgrade.coordinator.upgrade.plan.release.ReleaseCatalog;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Preflight's checks of the releases an upgrade crosses, against the release catalog:
 *
 * <ul>
 *   <li>a target the catalog does not know is allowed, with a warning (a release newer than the
 *       coordinator's catalog: the operator vouches for it);
 *   <li>a target that cannot be reached from the current version directly is refused, naming the
 *       version to upgrade to first;
 *   <li>crossing releases with breaking changes needs {@code acknowledgeBreakingChanges}; refused
 *       otherwise, listing them with their migration guides;
 *   <li>crossing a release with a long migration is warned of.
 * </ul>
 */
final class ReleaseChecks {

  private ReleaseChecks() {}

  static void check(
      ReleaseCatalog catalog,
      KestraVersion from,
      KestraVersion to,
      UpgradeOptions options,
      List<Finding> findings) {
    Optional<Release> target = catalog.find(to);
    if (target.isEmpty()) {
      findings.add(
          Finding.warning(
              "RELEASE_UNKNOWN",
              to
                  + " is not in the coordinator's release catalog: its schema changes and breaking"
                  + " changes cannot be checked; read its release notes"));
    }
    if (to.isOlderThan(from)) {
      return;
    }
    target
        .map(Release::minimumFrom)
        .map(KestraVersion::parse)
        .filter(min -> from.isOlderThan(min))
        .ifPresent(
            min ->
                findings.add(
                    Finding.error(
                        "UPGRADE_PATH",
                        to
                            + " can only be reached from "
                            + min
                            + " or newer: upgrade to "
                            + min
                            + " first")));
    List<Release> crossed = catalog.crossed(from, to);
    List<Release> breaking = crossed.stream().filter(r -> !r.breakingChanges().isEmpty()).toList();
    if (!breaking.isEmpty()) {
      String list =
          breaking.stream().map(ReleaseChecks::describe).collect(Collectors.joining("; "));
      findings.add(
          options.acknowledgeBreakingChanges()
              ? Finding.info("BREAKING_CHANGES", "acknowledged: " + list)
              : Finding.error(
                  "BREAKING_CHANGES",
                  from
                      + " → "
                      + to
                      + " crosses breaking changes; read them and set"
                      + " acknowledgeBreakingChanges=true: "
                      + list));
    }
    for (Release r : crossed) {
      if (r.longMigration() != null) {
        findings.add(
            Finding.warning(
                "LONG_MIGRATION",
                r.version()
                    + "'s migration can take long on a large database: "
                    + r.longMigration()
                    + "; plan the downtime, or migrate ahead of it"));
      }
    }
  }

  private static String describe(Release r) {
    return r.version()
        + ": "
        + r.breakingChanges().stream().map(Object::toString).collect(Collectors.joining(", "))
        + (r.migrationGuide() == null ? "" : " — migration guide " + r.migrationGuide());
  }
}
