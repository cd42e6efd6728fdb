package io.kestra.sim.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Where a server's configuration comes from, in Kestra's order of precedence, lowest first:
 *
 * <ol>
 *   <li>the files of {@code MICRONAUT_CONFIG_FILES} (Kestra's launcher writes {@code
 *       KESTRA_CONFIGURATION} into one and names it there);
 *   <li>Java system properties ({@code -Dkey=value} through {@code JAVA_OPTS});
 *   <li>the {@code -c} file: Kestra hands it to Micronaut as the application context's own
 *       properties, which rank above system properties;
 *   <li>what the command line forces: {@code --port}, and a command's own overrides ({@code
 *       local}).
 * </ol>
 *
 * @param micronautConfigFiles the files named by {@code MICRONAUT_CONFIG_FILES}
 * @param systemProperties the JVM's system properties
 * @param configFile the {@code -c} file, if it exists (Kestra ignores a missing one)
 * @param commandLine the command line's overrides, as flattened keys
 */
public record ConfigSources(
    List<Path> micronautConfigFiles,
    Properties systemProperties,
    Optional<Path> configFile,
    Map<String, String> commandLine) {

  public ConfigSources {
    micronautConfigFiles = List.copyOf(micronautConfigFiles);
    Objects.requireNonNull(systemProperties, "systemProperties");
    Objects.requireNonNull(configFile, "configFile");
    commandLine = Map.copyOf(commandLine);
  }

  /** The files of a {@code MICRONAUT_CONFIG_FILES} value (comma-separated), or none. */
  public static List<Path> micronautConfigFiles(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return Arrays.stream(value.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(Path::of)
        .toList();
  }
}
