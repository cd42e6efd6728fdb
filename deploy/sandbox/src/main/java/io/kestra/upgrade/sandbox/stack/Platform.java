package io.kestra.upgrade.sandbox.stack;

import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Where the sandbox runs the stand-in Kestra fleet. */
public enum Platform {
  /** Every server a process of this machine, started by its agent's process driver. */
  PROCESS,
  /**
   * The same fleet as the services of a Compose project on this machine's Docker engine, each
   * driven by its agent's docker driver.
   */
  COMPOSE,
  /** The same fleet through the agent's Kubernetes driver: not implemented yet. */
  KUBERNETES;

  /** The name on the command line. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads {@code --platform}: {@code process}, {@code compose} or {@code kubernetes}. */
  public static final class Converter implements ITypeConverter<Platform> {
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
