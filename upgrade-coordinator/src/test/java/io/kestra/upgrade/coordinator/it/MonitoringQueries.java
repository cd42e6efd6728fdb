package io.kestra.upgrade.coordinator.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The product's metric names that {@code deploy/monitoring} queries: the PromQL of the Grafana
 * dashboard's panels and variables ({@code expr}, {@code query}) and of the Prometheus rules
 * ({@code expr}), as Prometheus sees them, suffixes included ({@code _total}, {@code
 * _seconds_count}, {@code _seconds_sum}, {@code _seconds_max}): a series name, to be found as such
 * in a scrape.
 */
final class MonitoringQueries {

  /** The dashboard, from the repository's root. */
  static final Path DASHBOARD = Path.of("deploy/monitoring/grafana/kestra-upgrade.json");

  /** The alerting rules, from the repository's root. */
  static final Path RULES = Path.of("deploy/monitoring/prometheus/kestra-upgrade-rules.yml");

  /**
   * A metric name of the product in PromQL. Quoted label values and Grafana's {@code $variables}
   * are removed before, so that neither is taken for one.
   */
  private static final Pattern NAME = Pattern.compile("\\bkestra_upgrade_[A-Za-z0-9_:]*");

  private MonitoringQueries() {}

  /** Every product metric name the dashboard and the rules query. */
  static Set<String> metricNames() {
    Path root = repositoryRoot();
    List<String> queries = new ArrayList<>();
    collect(read(new ObjectMapper(), root.resolve(DASHBOARD)), queries);
    collect(read(new ObjectMapper(new YAMLFactory()), root.resolve(RULES)), queries);
    Set<String> names = new TreeSet<>();
    for (String q : queries) {
      Matcher m =
          NAME.matcher(q.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"").replaceAll("\\$\\w+", ""));
      while (m.find()) {
        names.add(m.group());
      }
    }
    return names;
  }

  /** The strings of every {@code expr} and {@code query} field, at any depth. */
  private static void collect(JsonNode node, List<String> out) {
    node.fields()
        .forEachRemaining(
            f -> {
              if ((f.getKey().equals("expr") || f.getKey().equals("query"))
                  && f.getValue().isTextual()) {
                out.add(f.getValue().asText());
              }
            });
    node.elements().forEachRemaining(child -> collect(child, out));
  }

  private static JsonNode read(ObjectMapper mapper, Path file) {
    try {
      return mapper.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The tests run in the module's folder; the repository's root is the first parent with both. */
  private static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve(DASHBOARD)) && Files.exists(p.resolve(RULES))) {
        return p;
      }
    }
    throw new IllegalStateException("no deploy/monitoring above " + Path.of("").toAbsolutePath());
  }
}
