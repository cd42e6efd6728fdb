package io.kestra.judge;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Method;
import java.nio.file.Path;

/**
 * Kestra's classes, reached reflectively: the judge is compiled for Java 17 and they are Java 21
 * bytecode, on the class path only at run time.
 */
final class KestraClasses {

  private final ObjectMapper mapper;
  private final Class<?> serviceState;
  private final Method isValidTransition;
  private final String version;

  private KestraClasses(ObjectMapper mapper, Class<?> serviceState, String version)
      throws NoSuchMethodException {
    this.mapper = mapper;
    this.serviceState = serviceState;
    this.isValidTransition = serviceState.getMethod("isValidTransition", serviceState);
    this.version = version;
  }

  /** Kestra's mapper ({@code JacksonMapper.ofJson()}, what Kestra's JDBC repositories use). */
  static KestraClasses load() throws ReflectiveOperationException {
    Class<?> jacksonMapper = Class.forName("io.kestra.core.serializers.JacksonMapper");
    ObjectMapper mapper = (ObjectMapper) jacksonMapper.getMethod("ofJson").invoke(null);
    Class<?> state = Class.forName("io.kestra.core.server.Service$ServiceState");
    return new KestraClasses(mapper, state, version(jacksonMapper));
  }

  // Kestra's jars carry no implementation version: the core jar's name says it (core-0.21.4.jar)
  private static String version(Class<?> core) {
    String jar =
        Path.of(core.getProtectionDomain().getCodeSource().getLocation().getPath())
            .getFileName()
            .toString();
    return jar.startsWith("core-") && jar.endsWith(".jar")
        ? jar.substring("core-".length(), jar.length() - ".jar".length())
        : jar;
  }

  ObjectMapper mapper() {
    return mapper;
  }

  /** The version of {@code io.kestra:core} on the class path. */
  String version() {
    return version;
  }

  Class<?> type(String name) throws ClassNotFoundException {
    return Class.forName(name);
  }

  /** {@code Service.ServiceState.valueOf(from).isValidTransition(valueOf(to))}. */
  boolean isValidTransition(String from, String to) throws ReflectiveOperationException {
    Object f = serviceState.getMethod("valueOf", String.class).invoke(null, from);
    Object t = serviceState.getMethod("valueOf", String.class).invoke(null, to);
    return (Boolean) isValidTransition.invoke(f, t);
  }
}
