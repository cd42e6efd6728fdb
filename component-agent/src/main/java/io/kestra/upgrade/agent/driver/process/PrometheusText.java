package io.kestra.upgrade.agent.driver.process;

import java.util.OptionalDouble;

/** Reads one metric from the Prometheus text exposition format. */
final class PrometheusText {

  private PrometheusText() {}

  /**
   * The sum of every series of {@code metric} (with or without labels), or empty when the metric is
   * absent.
   */
  static OptionalDouble sum(String text, String metric) {
    double total = 0;
    boolean found = false;
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#") || !l.startsWith(metric)) {
        continue;
      }
      String rest = l.substring(metric.length());
      if (rest.startsWith("{")) {
        int close = endOfLabels(rest);
        if (close < 0) {
          continue;
        }
        rest = rest.substring(close + 1);
      } else if (!rest.startsWith(" ") && !rest.startsWith("\t")) {
        continue; // another metric whose name starts with this one
      }
      String[] fields = rest.strip().split("\\s+");
      try {
        double value = Double.parseDouble(fields[0]);
        if (!Double.isNaN(value)) {
          total += value;
          found = true;
        }
      } catch (NumberFormatException e) {
        // a broken line: not a count we can use
      }
    }
    return found ? OptionalDouble.of(total) : OptionalDouble.empty();
  }

  /**
   * Index of the brace closing the label set that {@code text} starts with; label values may hold
   * braces.
   */
  private static int endOfLabels(String text) {
    boolean quoted = false;
    for (int i = 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted && c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == '}' && !quoted) {
        return i;
      }
    }
    return -1;
  }
}
