package io.kestra.upgrade.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one JSON codec of the contracts. Unknown fields are ignored (a newer producer may add some);
 * a record that cannot be read as the expected message is returned as {@link Decoded.Malformed},
 * never thrown at a consumer.
 */
public final class JsonCodec {

  private static final int MAX_ERROR_LENGTH = 500;

  private final ObjectMapper mapper;

  private JsonCodec(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The codec for messages. */
  public static JsonCodec create() {
    return new JsonCodec(baseMapper().build());
  }

  /**
   * A codec whose output is canonical: properties and map entries sorted by name, so that the same
   * message always gives the same bytes (used for signatures).
   */
  static JsonCodec canonical() {
    return new JsonCodec(
        baseMapper()
            .enable(com.fasterxml.jackson.databind.MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build());
  }

  private static JsonMapper.Builder baseMapper() {
    return JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
  }

  /** The underlying mapper, for JSON that is not a message (REST bodies, database columns). */
  public ObjectMapper mapper() {
    return mapper;
  }

  /** UTF-8 JSON of {@code value}. */
  public byte[] encode(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  /** JSON of {@code value} as a string. */
  public String encodeToString(Object value) {
    return new String(encode(value), StandardCharsets.UTF_8);
  }

  /**
   * Reads a message; never throws for bad input.
   *
   * @return {@link Decoded.Ok}, or {@link Decoded.Malformed} for a null or empty record, invalid
   *     JSON, a missing required field, a wrong type, or a message that breaks the contract's rules
   *     ({@link Message#violations()}: ids, sizes, characters, timestamps)
   */
  public <T> Decoded<T> decode(byte[] bytes, Class<T> type) {
    if (bytes == null || bytes.length == 0) {
      return new Decoded.Malformed<>("empty record: expected a " + type.getSimpleName());
    }
    try {
      T value = mapper.readValue(bytes, type);
      if (value == null) {
        return new Decoded.Malformed<>("null record: expected a " + type.getSimpleName());
      }
      if (value instanceof Message message) {
        List<String> problems = message.violations();
        if (!problems.isEmpty()) {
          return new Decoded.Malformed<>(
              limit("not a valid " + type.getSimpleName() + ": " + String.join("; ", problems)));
        }
      }
      return new Decoded.Ok<>(value);
    } catch (IOException | RuntimeException e) {
      return new Decoded.Malformed<>(describe(type, e));
    }
  }

  /** Reads a message from a string; see {@link #decode(byte[], Class)}. */
  public <T> Decoded<T> decode(String json, Class<T> type) {
    return decode(json == null ? null : json.getBytes(StandardCharsets.UTF_8), type);
  }

  /**
   * Reads a value that is known to be valid (written by this codec); for stored JSON.
   *
   * @throws UncheckedIOException when it is not
   */
  public <T> T read(String json, Class<T> type) {
    try {
      return mapper.readValue(json, type);
    } catch (IOException e) {
      throw new UncheckedIOException("stored JSON is not a valid " + type.getSimpleName(), e);
    }
  }

  private static String limit(String error) {
    String text = error.replaceAll("\\s+", " ");
    return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) + "…" : text;
  }

  private static String describe(Class<?> type, Exception e) {
    StringBuilder sb = new StringBuilder("not a valid ").append(type.getSimpleName());
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      sb.append(" at ")
          .append(
              mapping.getPath().stream()
                  .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                  .collect(Collectors.joining(".")));
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String detail =
        root instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : root.getMessage();
    sb.append(": ").append(detail == null ? root.getClass().getSimpleName() : detail);
    return limit(sb.toString());
  }
}
