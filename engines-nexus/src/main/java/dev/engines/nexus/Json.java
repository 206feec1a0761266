package dev.engines.nexus;

import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Flat maps (PII flags, spans, params) to and from jsonb columns. */
final class Json {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final TypeReference<TreeMap<String, Object>> MAP = new TypeReference<>() {};

  private Json() {}

  static String write(Map<String, ?> map) {
    return MAPPER.writeValueAsString(new TreeMap<>(map));
  }

  static Map<String, Object> read(String json) {
    return json == null ? Map.of() : MAPPER.readValue(json, MAP);
  }
}
