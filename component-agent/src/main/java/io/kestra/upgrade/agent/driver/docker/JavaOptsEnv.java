package io.kestra.upgrade.agent.driver.docker;

import io.kestra.upgrade.common.KestraDurations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code -D} property in the {@code JAVA_OPTS} of a container's environment, which Kestra's
 * launcher passes to Java: how the driver reads the grace period a container runs with, and how a
 * START sets the one it is asked for (a {@code -D} ranks above {@code KESTRA_CONFIGURATION}).
 */
final class JavaOptsEnv {

  private static final String JAVA_OPTS = "JAVA_OPTS=";

  private JavaOptsEnv() {}

  /** The value of {@code -D<property>=} in the environment's {@code JAVA_OPTS}. */
  static Optional<Duration> grace(List<String> env, String property) {
    Pattern p = Pattern.compile("(?:^|\\s)-D" + Pattern.quote(property) + "=(\\S+)");
    for (String e : env) {
      if (e.startsWith(JAVA_OPTS)) {
        Matcher m = p.matcher(e.substring(JAVA_OPTS.length()));
        if (m.find()) {
          try {
            return Optional.of(KestraDurations.parse(m.group(1)));
          } catch (IllegalArgumentException ignored) {
            return Optional.empty();
          }
        }
      }
    }
    return Optional.empty();
  }

  /** The environment with {@code -D<property>=<grace>} in {@code JAVA_OPTS}, when given. */
  static List<String> withGrace(List<String> env, String property, Optional<Duration> grace) {
    if (grace.isEmpty()) {
      return env;
    }
    String option = "-D" + property + "=" + grace.get();
    List<String> result = new ArrayList<>();
    boolean set = false;
    for (String e : env) {
      if (e.startsWith(JAVA_OPTS)) {
        String opts =
            e.substring(JAVA_OPTS.length())
                .replaceAll("(?:^|\\s)-D" + Pattern.quote(property) + "=\\S+", "")
                .strip();
        result.add(JAVA_OPTS + (opts.isEmpty() ? option : opts + " " + option));
        set = true;
      } else {
        result.add(e);
      }
    }
    if (!set) {
      result.add(JAVA_OPTS + option);
    }
    return result;
  }
}
