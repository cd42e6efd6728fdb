package io.kestra.judge;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges a value against a Kestra model: it must deserialise with Kestra's mapper, with no property
 * Kestra does not know (Kestra's mapper made strict about unknown properties), and it must hold
 * every property Kestra itself writes for the object it reads as (Kestra's mapper writing the
 * deserialised object back): a property missing there is one a real Kestra row would have. For the
 * models Kestra always fills in, every property its classes declare must be present.
 */
final class Shapes {

  private final ObjectMapper mapper;
  private final ObjectMapper strict;

  Shapes(ObjectMapper mapper) {
    this.mapper = mapper;
    this.strict = mapper.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /**
   * The problems of {@code value} as a {@code type}; empty when Kestra would have written it.
   *
   * @param everyProperty whether every property Kestra's classes declare must be present, even one
   *     Kestra leaves out when null (its mapper writes no nulls): for the models Kestra always
   *     fills in, such as its service instances
   */
  List<String> judge(JsonNode value, Class<?> type, boolean everyProperty) {
    Set<String> problems = new LinkedHashSet<>();
    Object parsed;
    try {
      parsed = mapper.treeToValue(value, type);
    } catch (Exception e) {
      problems.add("does not deserialise into " + type.getName() + ": " + firstLine(e));
      return List.copyOf(problems);
    }
    try {
      strict.treeToValue(value, type);
    } catch (UnrecognizedPropertyException e) {
      problems.add("unknown property " + e.getPathReference());
    } catch (Exception e) {
      problems.add("does not deserialise strictly into " + type.getName() + ": " + firstLine(e));
    }
    JsonNode written;
    try {
      written = mapper.valueToTree(parsed);
    } catch (IllegalArgumentException e) {
      problems.add("Kestra cannot write back what it read: " + firstLine(e));
      return List.copyOf(problems);
    }
    compare(value, written, "", problems);
    if (everyProperty) {
      declared(value, parsed, "", problems);
    }
    return List.copyOf(problems);
  }

  // every property the class of a Kestra object declares, down through Kestra's own types
  private void declared(JsonNode given, Object parsed, String path, Set<String> out) {
    if (parsed == null
        || !given.isObject()
        || !parsed.getClass().getName().startsWith("io.kestra.")) {
      return;
    }
    BeanDescription bean =
        mapper.getSerializationConfig().introspect(mapper.constructType(parsed.getClass()));
    for (BeanPropertyDefinition p : bean.findProperties()) {
      if (!p.couldSerialize() || p.getAccessor() == null) {
        continue;
      }
      if (!given.has(p.getName())) {
        out.add("missing property " + path + p.getName() + " (Kestra declares it)");
        continue;
      }
      Object v = p.getAccessor().getValue(parsed);
      JsonNode g = given.get(p.getName());
      if (v instanceof Collection<?> items && g.isArray()) {
        int i = 0;
        for (Object item : items) {
          if (i < g.size()) {
            declared(g.get(i), item, path + p.getName() + "." + i + ".", out);
          }
          i++;
        }
      } else {
        declared(g, v, path + p.getName() + ".", out);
      }
    }
  }

  // unknown: given (not null) but not written back; missing: written back but not given
  private static void compare(JsonNode given, JsonNode written, String path, Set<String> out) {
    if (given.isObject() && written.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        JsonNode w = written.get(f.getKey());
        if (w == null && !f.getValue().isNull()) {
          out.add("property " + path + f.getKey() + " is not one Kestra writes");
        } else if (w != null) {
          compare(f.getValue(), w, path + f.getKey() + ".", out);
        }
      }
      for (Iterator<String> it = written.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!given.has(name) && !written.get(name).isNull()) {
          out.add("missing property " + path + name + " (Kestra writes " + written.get(name) + ")");
        }
      }
    } else if (given.isArray() && written.isArray()) {
      for (int i = 0; i < Math.min(given.size(), written.size()); i++) {
        compare(given.get(i), written.get(i), path + i + ".", out);
      }
    }
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
