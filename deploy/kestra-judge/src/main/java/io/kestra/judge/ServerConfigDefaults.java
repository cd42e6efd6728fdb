package io.kestra.judge;

import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.TreeMap;

/**
 * The configuration keys of Kestra's {@code ServerConfig} (and its {@code Liveness}) and their
 * defaults, as Kestra declares them: the {@code @ConfigurationProperties} prefix, each record
 * component's name, and its default, from {@code @Bindable(defaultValue=…)} on the constructor's
 * parameter or else from what the constructor fills in for {@code null}.
 */
final class ServerConfigDefaults {

  private ServerConfigDefaults() {}

  /** Key ({@code kestra.server.liveness.timeout}) to default ({@code 45s}), sorted. */
  static Map<String, String> of(KestraClasses kestra) throws ReflectiveOperationException {
    Map<String, String> defaults = new TreeMap<>();
    collect(kestra.type("io.kestra.core.server.ServerConfig"), "", defaults);
    return defaults;
  }

  private static void collect(Class<?> record, String outer, Map<String, String> out)
      throws ReflectiveOperationException {
    String prefix = outer + prefix(record) + ".";
    RecordComponent[] components = record.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
    }
    Constructor<?> canonical = record.getDeclaredConstructor(types);
    Object withNulls = canonical.newInstance(new Object[components.length]);
    Parameter[] parameters = canonical.getParameters();
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      if (c.getType().isRecord()) {
        collect(c.getType(), prefix, out);
        continue;
      }
      String declared = defaultValue(parameters[i]);
      if (declared == null) {
        Object filled = c.getAccessor().invoke(withNulls);
        declared = filled == null ? null : filled.toString();
      }
      out.put(prefix + c.getName(), declared);
    }
  }

  private static String prefix(Class<?> type) throws ReflectiveOperationException {
    for (Annotation a : type.getAnnotations()) {
      if (a.annotationType().getSimpleName().equals("ConfigurationProperties")) {
        return (String) a.annotationType().getMethod("value").invoke(a);
      }
    }
    throw new IllegalStateException(type + " has no @ConfigurationProperties");
  }

  private static String defaultValue(Parameter p) throws ReflectiveOperationException {
    for (Annotation a : p.getAnnotations()) {
      for (Method m : a.annotationType().getDeclaredMethods()) {
        if (m.getName().equals("defaultValue") && m.getParameterCount() == 0) {
          String v = (String) m.invoke(a);
          if (v != null && !v.isEmpty()) {
            return v;
          }
        }
      }
    }
    return null;
  }
}
