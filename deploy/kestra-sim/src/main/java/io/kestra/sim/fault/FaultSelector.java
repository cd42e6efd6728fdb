package io.kestra.sim.fault;

import io.kestra.upgrade.common.KestraVersion;
import java.util.Locale;
import java.util.Set;

/**
 * Which servers a fault applies to: {@code *} (all), a kind ({@code worker}), a version ({@code
 * 1.0.0}) or both ({@code worker@0.21.4}). Kinds are the server types of the command line plus
 * {@code migrate} for schema migrations. A version without flavour matches every flavour of that
 * release; {@code 0.21.4-no-plugins} matches only that flavour.
 *
 * @param kind the kind, or null for any
 * @param version the version, or null for any
 */
public record FaultSelector(String kind, KestraVersion version) {

  /** The kinds a selector may name. */
  public static final Set<String> KINDS =
      Set.of("executor", "worker", "scheduler", "webserver", "indexer", "standalone", "migrate");

  /**
   * Parses one selector.
   *
   * @throws IllegalArgumentException when it is neither {@code *}, a kind, a version nor both
   */
  public static FaultSelector parse(String text) {
    String t = text.trim();
    if (t.equals("*")) {
      return new FaultSelector(null, null);
    }
    int at = t.indexOf('@');
    if (at >= 0) {
      return new FaultSelector(kind(t.substring(0, at), text), version(t.substring(at + 1), text));
    }
    if (KINDS.contains(t.toLowerCase(Locale.ROOT))) {
      return new FaultSelector(t.toLowerCase(Locale.ROOT), null);
    }
    return new FaultSelector(null, version(t, text));
  }

  /** Whether this selector names a server of that kind and version. */
  public boolean matches(String serverKind, KestraVersion serverVersion) {
    boolean kindMatches = kind == null || kind.equalsIgnoreCase(serverKind);
    boolean versionMatches =
        version == null
            || (version.isSameRelease(serverVersion)
                && (version.flavour() == null || version.equals(serverVersion)));
    return kindMatches && versionMatches;
  }

  private static String kind(String k, String whole) {
    String lower = k.trim().toLowerCase(Locale.ROOT);
    if (!KINDS.contains(lower)) {
      throw new IllegalArgumentException(
          "fault selector '" + whole + "': unknown kind '" + k + "', expected one of " + KINDS);
    }
    return lower;
  }

  private static KestraVersion version(String v, String whole) {
    return KestraVersion.tryParse(v.trim())
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "fault selector '"
                        + whole
                        + "' is neither *, a kind "
                        + KINDS
                        + ", a version nor kind@version"));
  }
}
