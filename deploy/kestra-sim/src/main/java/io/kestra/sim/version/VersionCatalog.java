package io.kestra.sim.version;

import io.kestra.upgrade.common.KestraVersion;
import java.util.Map;
import java.util.Optional;

/**
 * The Kestra release lines the simulator can stand in for, and the schema level of each: {@code
 * 0.21.x} needs migrations up to V3, {@code 0.22.x} up to V4, {@code 1.0.x} up to V5, {@code 2.0.x}
 * up to V6. Release candidates and the {@code -no-plugins} flavour belong to their line.
 *
 * <p>From 1.0.2 on, the 1.0 line carries 2.0's V6 (an index), backported, as Kestra backports
 * migrations into patch releases (a 0.22.x patch got {@code V1_32__queues_index_on_key}): the patch
 * that changes the schema while the version before it runs on it, for the sandbox's migration ahead
 * of the downtime. 1.0.1 keeps 1.0.0's schema.
 */
public final class VersionCatalog {

  private static final Map<String, Integer> LEVELS =
      Map.of("0.21", 3, "0.22", 4, "1.0", 5, "2.0", 6);

  /** A line's backport: from patch {@code fromPatch} on, the line needs {@code level}. */
  private record Backport(int fromPatch, int level) {}

  private static final Map<String, Backport> BACKPORTS = Map.of("1.0", new Backport(2, 6));

  /** The release lines, for messages. */
  public static final String KNOWN_LINES = "0.21.x, 0.22.x, 1.0.x, 2.0.x";

  private VersionCatalog() {}

  /**
   * Resolves a version text, e.g. {@code 0.21.4} or {@code v1.0.0-rc1-no-plugins}.
   *
   * @throws UnknownVersionException when the text is not a Kestra version or its line is unknown
   */
  public static SimVersion resolve(String text) {
    KestraVersion version =
        KestraVersion.tryParse(text)
            .orElseThrow(
                () ->
                    new UnknownVersionException(
                        "'"
                            + text
                            + "' is not a Kestra version (e.g. 0.21.4, 1.0.0-rc1-no-plugins)"));
    return find(version)
        .orElseThrow(
            () ->
                new UnknownVersionException(
                    "Unknown Kestra version "
                        + version
                        + ": kestra-sim only stands in for "
                        + KNOWN_LINES));
  }

  /** The catalog entry of a parsed version, or empty when its release line is unknown. */
  public static Optional<SimVersion> find(KestraVersion version) {
    String line = version.major() + "." + version.minor();
    Integer level = LEVELS.get(line);
    Backport backport = BACKPORTS.get(line);
    if (level != null && backport != null && version.patch() >= backport.fromPatch()) {
      level = backport.level();
    }
    return Optional.ofNullable(level).map(l -> new SimVersion(version, l));
  }
}
