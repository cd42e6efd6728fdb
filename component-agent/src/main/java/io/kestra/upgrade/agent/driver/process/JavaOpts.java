package io.kestra.upgrade.agent.driver.process;

import java.util.HashMap;
import java.util.Map;

/**
 * The system properties a {@code JAVA_OPTS} value sets. Kestra's launcher passes {@code JAVA_OPTS}
 * unquoted, so the shell splits it on blanks and removes no quotes; of two {@code -D} of one
 * property the JVM keeps the last.
 */
final class JavaOpts {

  private JavaOpts() {}

  /**
   * The {@code -Dkey=value} properties, keys {@linkplain KestraConfigFile#normalize normalized}.
   */
  static Map<String, String> systemProperties(String javaOpts) {
    Map<String, String> properties = new HashMap<>();
    if (javaOpts == null) {
      return properties;
    }
    for (String word : javaOpts.trim().split("\\s+")) {
      if (!word.startsWith("-D") || word.length() < 3) {
        continue;
      }
      int eq = word.indexOf('=');
      String key = eq < 0 ? word.substring(2) : word.substring(2, eq);
      properties.put(KestraConfigFile.normalize(key), eq < 0 ? "" : word.substring(eq + 1));
    }
    return properties;
  }

  /** {@code javaOpts} with {@code -Dkey=value} appended, so that it wins over an earlier one. */
  static String append(String javaOpts, String key, String value) {
    String base = javaOpts == null ? "" : javaOpts.trim();
    return (base.isEmpty() ? "" : base + " ") + "-D" + key + "=" + value;
  }
}
