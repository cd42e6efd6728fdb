package io.kestra.upgrade.common;

import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kestra release version: {@code MAJOR.MINOR.PATCH}, an optional release candidate ({@code -rcN})
 * and an optional image flavour ({@code -no-plugins}), with or without a leading {@code v}: {@code
 * 0.21.4}, {@code v0.21.4}, {@code v0.21.4-no-plugins}, {@code 1.0.0-rc1}.
 *
 * <p>A version ends up in process arguments, launcher file names and image tags, so nothing but
 * this strict grammar is accepted. Versions order semantically (a release candidate before its
 * release); the flavour does not take part in the order, because it is a packaging of the same
 * release, which an upgrade must keep (see {@link #withFlavourOf}). Hence {@link #compareTo} is not
 * consistent with {@link #equals}: {@code 0.21.4} and {@code 0.21.4-no-plugins} compare as equal
 * but are not equal.
 *
 * @param major major number
 * @param minor minor number
 * @param patch patch number
 * @param releaseCandidate the N of {@code -rcN}, or 0 for a final release
 * @param flavour {@code no-plugins}, or {@code null} for the default image
 */
public record KestraVersion(int major, int minor, int patch, int releaseCandidate, String flavour)
    implements Comparable<KestraVersion> {

  /** The only flavour Kestra publishes besides the default one. */
  public static final String NO_PLUGINS = "no-plugins";

  private static final Pattern GRAMMAR =
      Pattern.compile(
          "v?(0|[1-9][0-9]{0,3})\\.(0|[1-9][0-9]{0,3})\\.(0|[1-9][0-9]{0,3})"
              + "(?:-rc([1-9][0-9]{0,2}))?(?:-(no-plugins))?");

  private static final Comparator<KestraVersion> ORDER =
      Comparator.comparingInt(KestraVersion::major)
          .thenComparingInt(KestraVersion::minor)
          .thenComparingInt(KestraVersion::patch)
          // a final release (0) sorts after every release candidate of the same number
          .thenComparingInt(v -> v.releaseCandidate == 0 ? Integer.MAX_VALUE : v.releaseCandidate);

  public KestraVersion {
    if (major < 0 || minor < 0 || patch < 0 || releaseCandidate < 0) {
      throw new IllegalArgumentException("version numbers cannot be negative");
    }
    if (flavour != null && !NO_PLUGINS.equals(flavour)) {
      throw new IllegalArgumentException(
          "unknown flavour '" + flavour + "': the only flavour is '" + NO_PLUGINS + "'");
    }
  }

  /**
   * Parses a version.
   *
   * @throws IllegalArgumentException with a message that quotes the input and states the grammar
   */
  public static KestraVersion parse(String text) {
    return tryParse(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "'"
                        + abbreviate(text)
                        + "' is not a Kestra version: expected MAJOR.MINOR.PATCH with an optional"
                        + " leading 'v', an optional '-rcN' and an optional '-no-plugins', e.g."
                        + " 0.21.4, v1.0.0-rc1, v0.21.4-no-plugins"));
  }

  /** Parses a version, or returns empty when {@code text} does not follow the grammar. */
  public static Optional<KestraVersion> tryParse(String text) {
    if (text == null || text.length() > 40) {
      return Optional.empty();
    }
    Matcher m = GRAMMAR.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new KestraVersion(
            Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)),
            m.group(4) == null ? 0 : Integer.parseInt(m.group(4)),
            m.group(5)));
  }

  /** Whether this is a release candidate. */
  public boolean isReleaseCandidate() {
    return releaseCandidate > 0;
  }

  /** This version with the flavour of {@code current} when this one names none. */
  public KestraVersion withFlavourOf(KestraVersion current) {
    if (flavour != null || current.flavour == null) {
      return this;
    }
    return new KestraVersion(major, minor, patch, releaseCandidate, current.flavour);
  }

  /** Whether both name the same release, whatever their flavours. */
  public boolean isSameRelease(KestraVersion other) {
    return compareTo(other) == 0;
  }

  /** Whether this version is older than {@code other}. */
  public boolean isOlderThan(KestraVersion other) {
    return compareTo(other) < 0;
  }

  /** The Docker image tag: {@code v0.21.4-no-plugins}. */
  public String imageTag() {
    return "v" + this;
  }

  @Override
  public int compareTo(KestraVersion other) {
    return ORDER.compare(this, other);
  }

  /** The canonical form, without the leading {@code v}: {@code 1.0.0-rc1-no-plugins}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append(major).append('.').append(minor).append('.');
    sb.append(patch);
    if (releaseCandidate > 0) {
      sb.append("-rc").append(releaseCandidate);
    }
    if (flavour != null) {
      sb.append('-').append(flavour);
    }
    return sb.toString();
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "null";
    }
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }
}
