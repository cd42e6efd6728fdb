package io.kestra.upgrade.coordinator.upgrade.plan.release;

import java.util.List;

/**
 * What an upgrade from one version to another does to the database schema, by the release catalog:
 * what a ROLLING upgrade, in which both versions run side by side, depends on.
 *
 * @param kind the effect
 * @param releases the releases that cause it, oldest first: those changing the schema (for {@link
 *     Kind#CHANGES}, those of them the version before does not run on; for {@link Kind#UNKNOWN},
 *     the target the catalog has no entry of)
 */
public record SchemaEffect(Kind kind, List<String> releases) {

  public SchemaEffect {
    releases = List.copyOf(releases);
  }

  /** The effects, from harmless to unknown. */
  public enum Kind {
    /** No release crossed changes the schema. */
    KEEPS,
    /** Some change it, and the version before each keeps running on its schema. */
    CHANGES_TOLERATED,
    /** Some change it, and the version before one of them does not run on the new schema. */
    CHANGES,
    /**
     * The catalog cannot tell: the target is unknown to it, or is a patch release without an entry
     * of its own (Kestra backports migrations into patch releases, so a line's entry does not speak
     * for its patches).
     */
    UNKNOWN
  }

  /** Whether the old and the new version can run side by side on the schema. */
  public boolean allowsSideBySide() {
    return kind == Kind.KEEPS || kind == Kind.CHANGES_TOLERATED;
  }

  /** Whether the schema changes, or may. */
  public boolean changes() {
    return kind != Kind.KEEPS;
  }
}
