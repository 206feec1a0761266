package dev.engines.session;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Maps, pointer lists and JSON values to and from jsonb columns. */
final class Json {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final TypeReference<TreeMap<String, Object>> MAP = new TypeReference<>() {};
  private static final TypeReference<List<Pointer>> POINTERS = new TypeReference<>() {};

  private Json() {}

  static String write(Object value) {
    return MAPPER.writeValueAsString(value instanceof Map<?, ?> map ? new TreeMap<>(map) : value);
  }

  static Map<String, Object> map(String json) {
    return json == null ? Map.of() : MAPPER.readValue(json, MAP);
  }

  static List<Pointer> pointers(String json) {
    return MAPPER.readValue(json, POINTERS);
  }

  static Object value(String json) {
    return MAPPER.readValue(json, Object.class);
  }
}
