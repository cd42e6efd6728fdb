package io.kestra.upgrade.coordinator.upgrade.plan.release;

import io.kestra.upgrade.common.KestraVersion;
import java.util.List;
import java.util.Objects;

/**
 * What the release catalog knows of a Kestra release line ({@code 0.13}: every release of it, as
 * its first one, {@code 0.13.0}, brings it) or of one release ({@code 1.0.1}).
 *
 * @param version {@code major.minor} for a line, {@code major.minor.patch} for one release
 * @param changesSchema whether upgrading into it runs database migrations
 * @param previousRunsOnNewSchema whether the release before it keeps running on the schema it
 *     migrates to (what a rolling upgrade and a migration ahead of the downtime need)
 * @param breakingChanges what its release notes list under Breaking Changes
 * @param longMigration why its migration can take long on a large database, or {@code null}
 * @param minimumFrom the oldest version it can be upgraded from directly, or {@code null}
 * @param migrationGuide the migration guide's address, or {@code null}
 */
public record Release(
    String version,
    boolean changesSchema,
    boolean previousRunsOnNewSchema,
    List<BreakingChange> breakingChanges,
    String longMigration,
    String minimumFrom,
    String migrationGuide) {

  public Release {
    Objects.requireNonNull(version, "version");
    breakingChanges = breakingChanges == null ? List.of() : List.copyOf(breakingChanges);
    if (!version.matches("\\d+\\.\\d+(\\.\\d+)?")) {
      throw new IllegalArgumentException(
          "release version '" + version + "' is neither major.minor nor major.minor.patch");
    }
    if (minimumFrom != null) {
      KestraVersion.parse(minimumFrom);
    }
  }

  /** Whether the entry stands for a whole release line. */
  public boolean isLine() {
    return version.chars().filter(c -> c == '.').count() == 1;
  }

  /** The first release the entry covers: {@code x.y.0} for a line. */
  public KestraVersion first() {
    return KestraVersion.parse(isLine() ? version + ".0" : version);
  }

  /** Whether {@code v} (flavour and release candidate aside) is this release or of this line. */
  public boolean covers(KestraVersion v) {
    return isLine()
        ? v.major() == first().major() && v.minor() == first().minor()
        : v.major() == first().major()
            && v.minor() == first().minor()
            && v.patch() == first().patch();
  }

  /**
   * A breaking change.
   *
   * @param summary what changes for the operator
   * @param link where it is explained, or {@code null}
   */
  public record BreakingChange(String summary, String link) {

    public BreakingChange {
      Objects.requireNonNull(summary, "summary");
    }

    @Override
    public String toString() {
      return link == null ? summary : summary + " (" + link + ")";
    }
  }
}
