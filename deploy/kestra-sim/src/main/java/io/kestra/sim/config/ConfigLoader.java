package io.kestra.sim.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Loads the configuration the Kestra way: the YAML file given with {@code -c}, keys flattened with
 * dots, overridden by Java system properties ({@code -Dkey=value}, which reach the process through
 * {@code JAVA_OPTS}).
 */
public final class ConfigLoader {

  private ConfigLoader() {}

  /**
   * Loads the file (when given), then the system properties, then the command line's overrides
   * (Kestra's {@code --port} sets {@code micronaut.server.port}), each overriding the previous.
   *
   * @throws ConfigException when the file is missing or is not YAML
   */
  public static SimConfig load(
      Path file, Properties systemProperties, Map<String, String> commandLine) {
    Map<String, String> fromFile = file == null ? Map.of() : readYaml(file);
    Map<String, String> fromSystem = new HashMap<>();
    systemProperties
        .stringPropertyNames()
        .forEach(k -> fromSystem.put(k, systemProperties.getProperty(k)));
    return SimConfig.of(fromFile, fromSystem, commandLine);
  }

  /** Reads a YAML file into flattened properties. */
  static Map<String, String> readYaml(Path file) {
    if (!Files.isRegularFile(file)) {
      // Kestra silently ignores a missing file, then fails later on a missing datasource;
      // failing here names the real cause.
      throw new ConfigException("Configuration file " + file + " does not exist");
    }
    try (Reader r = Files.newBufferedReader(file)) {
      Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
      Map<String, String> flat = new HashMap<>();
      if (root != null) {
        flatten("", root, flat);
      }
      return flat;
    } catch (IOException | YAMLException e) {
      throw new ConfigException(
          "Cannot read configuration file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Flattens a YAML tree: {@code a: {b: 1}} becomes {@code a.b=1}, lists {@code a[0]=...}. */
  static void flatten(String prefix, Object node, Map<String, String> out) {
    if (node instanceof Map<?, ?> map) {
      map.forEach(
          (k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, out));
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        flatten(prefix + "[" + i + "]", list.get(i), out);
      }
    } else if (node != null) {
      out.put(prefix, String.valueOf(node));
    }
  }
}
