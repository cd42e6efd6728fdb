package io.kestra.upgrade.coordinator.upgrade.plan.release;

import io.kestra.upgrade.common.KestraVersion;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The Kestra releases the coordinator knows of: which change the schema, which have breaking
 * changes or a long migration, from which version each can be reached. Shipped with the coordinator
 * ({@code release-catalog.json}) and replaceable by a file. Pure.
 */
public final class ReleaseCatalog {

  private final List<Release> releases;

  /** A catalog of {@code releases}; a release entry wins over its line's for that release. */
  public ReleaseCatalog(List<Release> releases) {
    this.releases = releases.stream().sorted(Comparator.comparing(Release::first)).toList();
    for (int i = 1; i < this.releases.size(); i++) {
      if (this.releases.get(i).version().equals(this.releases.get(i - 1).version())) {
        throw new IllegalArgumentException(
            "release " + this.releases.get(i).version() + " is in the catalog twice");
      }
    }
  }

  /** The entries, oldest first. */
  public List<Release> releases() {
    return releases;
  }

  /** The entry of {@code v}: its own, else its line's. */
  public Optional<Release> find(KestraVersion v) {
    Optional<Release> own = releases.stream().filter(r -> !r.isLine() && r.covers(v)).findFirst();
    return own.or(() -> releases.stream().filter(r -> r.isLine() && r.covers(v)).findFirst());
  }

  /**
   * The entries an upgrade from {@code from} to {@code to} goes through: those whose first release
   * is newer than {@code from} and not newer than {@code to}, oldest first.
   */
  public List<Release> crossed(KestraVersion from, KestraVersion to) {
    KestraVersion f = plain(from);
    KestraVersion t = plain(to);
    return releases.stream()
        .filter(r -> r.first().compareTo(f) > 0 && r.first().compareTo(t) <= 0)
        .toList();
  }

  /**
   * What upgrading from {@code from} to the newer {@code to} does to the schema: by the entries
   * crossed ({@link #crossed}); unknown when {@code to} has no entry, or is a patch release without
   * an entry of its own.
   */
  public SchemaEffect schemaEffect(KestraVersion from, KestraVersion to) {
    Optional<Release> target = find(to);
    boolean ownEntry = target.isPresent() && !target.get().isLine();
    if (target.isEmpty() || (to.patch() > 0 && !ownEntry)) {
      return new SchemaEffect(SchemaEffect.Kind.UNKNOWN, List.of(plain(to).toString()));
    }
    List<Release> changing = crossed(from, to).stream().filter(Release::changesSchema).toList();
    List<String> names = changing.stream().map(Release::version).toList();
    if (changing.isEmpty()) {
      return new SchemaEffect(SchemaEffect.Kind.KEEPS, List.of());
    }
    List<String> intolerable =
        changing.stream().filter(r -> !r.previousRunsOnNewSchema()).map(Release::version).toList();
    return intolerable.isEmpty()
        ? new SchemaEffect(SchemaEffect.Kind.CHANGES_TOLERATED, names)
        : new SchemaEffect(SchemaEffect.Kind.CHANGES, intolerable);
  }

  // flavour and release candidate aside: 1.0.0-rc1 is on its way to 1.0.0, which it crosses
  private static KestraVersion plain(KestraVersion v) {
    return KestraVersion.parse(v.major() + "." + v.minor() + "." + v.patch());
  }
}
