package io.kestra.upgrade.agent.driver.docker;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Compose {@code .env} file: {@code KEY=value} lines, comments and blank lines, read and changed
 * in place (other lines, comments and quotes kept). Pure.
 */
final class DotEnv {

  private static final Pattern ENTRY =
      Pattern.compile(
          "^(?<lead>\\s*(?:export\\s+)?(?<key>[A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*)"
              + "(?<q>[\"']?)(?<value>[^\"'#]*?)\\k<q>(?<rest>\\s*(?:#.*)?)$");

  private DotEnv() {}

  /** The variables the file sets (the last line of a key wins, as in Compose). */
  static Map<String, String> read(String text) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : text.split("\r?\n")) {
      Matcher m = ENTRY.matcher(line);
      if (m.matches()) {
        values.put(m.group("key"), m.group("value"));
      }
    }
    return values;
  }

  /** {@code text} with {@code values} set: each changed on its own lines, the new ones appended. */
  static String set(String text, Map<String, String> values) {
    String[] lines = text.split("\n", -1);
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < lines.length; i++) {
      boolean cr = lines[i].endsWith("\r");
      String line = cr ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      Matcher m = ENTRY.matcher(line);
      if (m.matches() && values.containsKey(m.group("key"))) {
        seen.add(m.group("key"));
        lines[i] =
            m.group("lead")
                + m.group("q")
                + values.get(m.group("key"))
                + m.group("q")
                + m.group("rest")
                + (cr ? "\r" : "");
      }
    }
    StringBuilder out = new StringBuilder(String.join("\n", lines));
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (!seen.contains(e.getKey())) {
        if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
          out.append('\n');
        }
        out.append(e.getKey()).append('=').append(e.getValue()).append('\n');
      }
    }
    return out.toString();
  }
}
