package io.kestra.upgrade.agent.driver.process;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A Kestra configuration file (the server's {@code -c} YAML) read as Micronaut reads it: nested or
 * flattened keys alike ({@code kestra: {server: {...}}} or {@code kestra.server.x}), and relaxed
 * names ({@code termination-grace-period}, {@code terminationGracePeriod} and {@code
 * termination_grace_period} are one property). Keys come back {@linkplain #normalize normalized}.
 */
final class KestraConfigFile {

  private KestraConfigFile() {}

  /**
   * The file's properties, flattened and normalized; none for a missing file (Kestra ignores a
   * missing {@code -c} file).
   *
   * @throws IOException when the file cannot be read or is not YAML
   */
  static Map<String, String> read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Map.of();
    }
    try (Reader in = Files.newBufferedReader(file)) {
      Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      Map<String, String> flat = new HashMap<>();
      if (root != null) {
        flatten("", root, flat);
      }
      return Map.copyOf(flat);
    } catch (YAMLException e) {
      throw new IOException(file + " is not YAML: " + e.getMessage(), e);
    }
  }

  /**
   * A key in the form Micronaut's relaxed binding compares: lower case, no dashes or underscores.
   */
  static String normalize(String key) {
    return key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
  }

  private static void flatten(String prefix, Object node, Map<String, String> out) {
    if (node instanceof Map<?, ?> map) {
      map.forEach(
          (k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, out));
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        flatten(prefix + "[" + i + "]", list.get(i), out);
      }
    } else if (node != null) {
      out.put(normalize(prefix), String.valueOf(node));
    }
  }
}
