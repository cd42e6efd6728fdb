package io.kestra.upgrade.agent.driver.docker;

import io.kestra.upgrade.common.KestraVersion;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a Kestra version is written in an image tag: {@code v{version}} by default, as {@code
 * kestra/kestra:v1.0.0}. Whatever follows the pattern in a tag is the flavour ({@code
 * -no-plugins}), which an upgrade keeps.
 */
final class TagPattern {

  /** Kestra's own tags. */
  static final TagPattern KESTRA = new TagPattern("v{version}");

  private static final String PLACEHOLDER = "{version}";
  private static final String VERSION = "(\\d+\\.\\d+\\.\\d+)";

  private final String pattern;
  // compiled once: every probe of the container reads its version from the tag
  private final Pattern regex;

  TagPattern(String pattern) {
    int at = pattern.indexOf(PLACEHOLDER);
    if (at < 0 || pattern.indexOf(PLACEHOLDER, at + 1) >= 0) {
      throw new IllegalArgumentException(
          "tag pattern '" + pattern + "' must hold {version} exactly once");
    }
    if (!pattern.replace(PLACEHOLDER, "1.0.0").matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")) {
      throw new IllegalArgumentException("tag pattern '" + pattern + "' makes no valid tag");
    }
    this.pattern = pattern;
    this.regex =
        Pattern.compile(
            Pattern.quote(pattern.substring(0, at))
                + VERSION
                + Pattern.quote(pattern.substring(at + PLACEHOLDER.length()))
                + "(.*)");
  }

  /** A tag read back: the version and the flavour suffix after the pattern. */
  record Parsed(KestraVersion version, String flavour) {}

  /** The tag of {@code version} in {@code flavour}. */
  String tag(KestraVersion version, String flavour) {
    return pattern.replace(PLACEHOLDER, version.toString()) + flavour;
  }

  /** The version and flavour a tag carries, when it follows the pattern. */
  Optional<Parsed> parse(String tag) {
    Matcher m = regex.matcher(tag);
    if (!m.matches()) {
      return Optional.empty();
    }
    return KestraVersion.tryParse(m.group(1)).map(v -> new Parsed(v, m.group(2)));
  }
}
