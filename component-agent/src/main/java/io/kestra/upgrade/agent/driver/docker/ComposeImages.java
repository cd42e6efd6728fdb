package io.kestra.upgrade.agent.driver.docker;

import io.kestra.upgrade.common.KestraVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the Kestra image tags of a Compose file to another version, changing nothing else: not a
 * YAML parser and printer, which would lose comments, quoting and order, but an edit of the {@code
 * image:} lines whose repository is the server's and whose tag follows the tag pattern. Every such
 * line is changed (a Compose file of Kestra names its image once per server), the flavour of each
 * kept. A tag held by a variable ({@code kestra/kestra:${KESTRA_VERSION}}, also {@code
 * v${KESTRA_VERSION}} or {@code ${TAG:-v0.21.4}}) is changed where its value comes from: the {@code
 * .env} file when it sets the variable, else the default written in the line. Pure.
 */
final class ComposeImages {

  private static final Pattern IMAGE_LINE =
      Pattern.compile(
          "^(?<lead>\\s*(?:-\\s+)?image:\\s*)(?<q>[\"']?)(?<value>[^\"'\\s#]+)\\k<q>"
              + "(?<rest>\\s*(?:#.*)?)$");
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:?-)(?<def>[^}]*))?}");

  private ComposeImages() {}

  /**
   * What an edit did.
   *
   * @param text the file's new text (the same text when nothing changed)
   * @param variables values to write into the {@code .env} file
   * @param changed one line per image changed, for the operator ({@code line 12: a → b})
   * @param unresolved images of the repository whose tag could not be followed to a value
   */
  record Result(
      String text, Map<String, String> variables, List<String> changed, List<String> unresolved) {}

  /**
   * The tags of {@code repository}'s images in {@code text} changed to {@code version}.
   *
   * @param env the {@code .env} file's variables, which the file's {@code ${...}} refer to
   */
  static Result retag(
      String text,
      Map<String, String> env,
      String repository,
      TagPattern tags,
      KestraVersion version) {
    Map<String, String> variables = new LinkedHashMap<>();
    List<String> changed = new ArrayList<>();
    List<String> unresolved = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      boolean cr = line.endsWith("\r");
      Matcher m = IMAGE_LINE.matcher(cr ? line.substring(0, line.length() - 1) : line);
      if (!m.matches()) {
        continue;
      }
      String value = m.group("value");
      int colon = tagColon(value);
      if (colon < 0 || !repository.equals(substitute(value.substring(0, colon), env))) {
        continue;
      }
      String tagText = value.substring(colon + 1);
      Optional<String> newTagText =
          newTagText(tagText, env, tags, version, variables, unresolved, i + 1);
      if (newTagText.isEmpty() || newTagText.get().equals(tagText)) {
        continue;
      }
      String newValue = value.substring(0, colon + 1) + newTagText.get();
      lines[i] =
          m.group("lead")
              + m.group("q")
              + newValue
              + m.group("q")
              + m.group("rest")
              + (cr ? "\r" : "");
      changed.add("line " + (i + 1) + ": " + value + " → " + newValue);
    }
    return new Result(String.join("\n", lines), variables, changed, unresolved);
  }

  private static Optional<String> newTagText(
      String tagText,
      Map<String, String> env,
      TagPattern tags,
      KestraVersion version,
      Map<String, String> variables,
      List<String> unresolved,
      int lineNumber) {
    Matcher v = VARIABLE.matcher(tagText);
    if (!v.find()) {
      return tags.parse(tagText).map(p -> tags.tag(version, p.flavour()));
    }
    String prefix = tagText.substring(0, v.start());
    String suffix = tagText.substring(v.end());
    String name = v.group("name");
    String fromEnv = env.get(name);
    boolean envCounts = fromEnv != null && !(":-".equals(v.group("op")) && fromEnv.isEmpty());
    String current = envCounts ? fromEnv : v.group("def");
    if (suffix.contains("$") || current == null) {
      unresolved.add(
          "line " + lineNumber + ": the tag " + tagText + " has no value in .env or default");
      return Optional.empty();
    }
    Optional<TagPattern.Parsed> parsed = tags.parse(prefix + current + suffix);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    String newTag = tags.tag(version, parsed.get().flavour());
    if (!newTag.startsWith(prefix)
        || !newTag.endsWith(suffix)
        || newTag.length() < prefix.length() + suffix.length()) {
      unresolved.add("line " + lineNumber + ": " + newTag + " cannot be written as " + tagText);
      return Optional.empty();
    }
    String newValue = newTag.substring(prefix.length(), newTag.length() - suffix.length());
    if (envCounts) {
      if (!newValue.equals(current)) {
        variables.put(name, newValue);
      }
      return Optional.of(tagText);
    }
    return Optional.of(prefix + "${" + name + v.group("op") + newValue + "}" + suffix);
  }

  /** Where the tag begins: the last colon after the last slash, outside any {@code ${...}}. */
  private static int tagColon(String value) {
    int depth = 0;
    int colon = -1;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
      } else if (depth == 0 && c == '/') {
        colon = -1;
      } else if (depth == 0 && c == ':') {
        colon = i;
      }
    }
    return colon;
  }

  /** {@code text} with its {@code ${...}} replaced as Compose would, from {@code env}. */
  static String substitute(String text, Map<String, String> env) {
    Matcher v = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (v.find()) {
      String value = env.get(v.group("name"));
      if (value == null || (":-".equals(v.group("op")) && value.isEmpty())) {
        value = v.group("def") == null ? "" : v.group("def");
      }
      v.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    v.appendTail(out);
    return out.toString();
  }
}
