package io.kestra.upgrade.sandbox;

import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Where the sandbox runs the stand-in Kestra fleet. Only {@link #PROCESS} is implemented yet. */
enum Platform {
  /** Every server a process of this machine, started by its agent's process driver. */
  PROCESS,
  /** The same fleet as containers of this machine's Docker engine: not implemented yet. */
  COMPOSE,
  /** The same fleet through the agent's Kubernetes driver: not implemented yet. */
  KUBERNETES;

  /** The name on the command line. */
  String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads {@code --platform}: {@code process}, {@code compose} or {@code kubernetes}. */
  static final class Converter implements ITypeConverter<Platform> {
    @Override
    public Platform convert(String value) {
      return Arrays.stream(values())
          .filter(p -> p.wire().equals(value))
          .findFirst()
          .orElseThrow(
              () ->
                  new TypeConversionException(
                      "'"
                          + value
                          + "' is not a platform: expected process, compose or kubernetes"));
    }
  }
}
