package io.kestra.judge;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kestra's metric names: every {@code METRIC_*} constant of {@code MetricRegistry} (its {@code
 * _DESCRIPTION} companions left out), the meter name Kestra registers ({@code MetricRegistry} joins
 * the configured prefix and the constant with a dot; the prefix is {@code kestra}, Kestra's default
 * {@code kestra.metrics.prefix}, set in the application.yml of Kestra's cli, which is not
 * published), and that name in Prometheus's exposition of a gauge, by the naming convention of the
 * Micrometer Prometheus registry on Kestra's class path.
 */
final class MetricNames {

  /** Kestra's default {@code kestra.metrics.prefix}. */
  static final String PREFIX = "kestra";

  private MetricNames() {}

  /**
   * One metric.
   *
   * @param name the constant's value, {@code worker.running.count}
   * @param meter the meter's name, {@code kestra.worker.running.count}
   * @param prometheusGauge its exposition as a gauge, {@code kestra_worker_running_count}
   */
  record Metric(String name, String meter, String prometheusGauge) {}

  static Map<String, Metric> of(KestraClasses kestra) throws ReflectiveOperationException {
    Class<?> registry = kestra.type("io.kestra.core.metrics.MetricRegistry");
    Object convention = namingConvention();
    Class<?> meterType = Class.forName("io.micrometer.core.instrument.Meter$Type");
    Object gauge = meterType.getMethod("valueOf", String.class).invoke(null, "GAUGE");
    Map<String, Metric> metrics = new TreeMap<>();
    for (Field f : registry.getFields()) {
      int m = f.getModifiers();
      if (!Modifier.isStatic(m)
          || f.getType() != String.class
          || !f.getName().startsWith("METRIC_")
          || f.getName().endsWith("_DESCRIPTION")) {
        continue;
      }
      String name = (String) f.get(null);
      String meter = PREFIX + "." + name;
      String prometheus =
          (String)
              convention
                  .getClass()
                  .getMethod("name", String.class, meterType, String.class)
                  .invoke(convention, meter, gauge, null);
      metrics.put(f.getName(), new Metric(name, meter, prometheus));
    }
    return metrics;
  }

  private static Object namingConvention() throws ReflectiveOperationException {
    for (String name :
        new String[] {
          "io.micrometer.prometheusmetrics.PrometheusNamingConvention",
          "io.micrometer.prometheus.PrometheusNamingConvention"
        }) {
      try {
        return Class.forName(name).getConstructor().newInstance();
      } catch (ClassNotFoundException e) {
        // the registry's package moved in Micrometer 1.13; try the older one
      }
    }
    throw new ClassNotFoundException("no Micrometer PrometheusNamingConvention on the class path");
  }
}
