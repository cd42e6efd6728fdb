package io.kestra.sim.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Loads the configuration the Kestra way (see {@link ConfigSources} for the order): YAML files
 * flattened with dots, system properties, the command line's overrides.
 */
public final class ConfigLoader {

  private ConfigLoader() {}

  /**
   * Loads every source, each overriding the previous.
   *
   * @throws ConfigException when a named file is missing (Micronaut refuses a missing {@code
   *     MICRONAUT_CONFIG_FILES} entry) or is not YAML
   */
  public static SimConfig load(ConfigSources sources) {
    List<Map<String, String>> layers = new ArrayList<>();
    for (Path file : sources.micronautConfigFiles()) {
      layers.add(readYaml(file));
    }
    layers.add(properties(sources.systemProperties()));
    sources.configFile().ifPresent(file -> layers.add(readYaml(file)));
    layers.add(sources.commandLine());
    return SimConfig.of(layers);
  }

  private static Map<String, String> properties(Properties properties) {
    Map<String, String> map = new HashMap<>();
    properties.stringPropertyNames().forEach(k -> map.put(k, properties.getProperty(k)));
    return map;
  }

  /** Reads a YAML file into flattened properties. */
  static Map<String, String> readYaml(Path file) {
    if (!Files.isRegularFile(file)) {
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
