package dev.engines.vector;

import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * A search's metadata filter, every condition combined with AND: {@code {"key": value}} (equal:
 * same type and value), {@code {"key": {"in": [values]}}} (equal to one of them) and {@code
 * {"key": {"gte": n, "lt": m}}} (a number in range; {@code gt}, {@code gte}, {@code lt}, {@code lte}).
 * A vector whose metadata lacks the key, or holds another type, does not match. As SQL, every value
 * is a bound parameter; equality and {@code in} are jsonb containment, which the metadata index serves.
 */
final class SearchFilter {

  static final int MAX_KEYS = 16;
  static final int MAX_VALUES = 100;
  private static final Set<String> RANGE = Set.of("gt", "gte", "lt", "lte");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** No filter. */
  static final SearchFilter NONE = new SearchFilter("", Map.of());

  private final String sql;
  private final Map<String, Object> params;

  private SearchFilter(String sql, Map<String, Object> params) {
    this.sql = sql;
    this.params = Map.copyOf(params);
  }

  /** {@code AND …} conditions on the column {@code metadata}, or the empty string. */
  String sql() {
    return sql;
  }

  /** The named parameters of {@link #sql()}. */
  Map<String, Object> params() {
    return params;
  }

  boolean isEmpty() {
    return sql.isEmpty();
  }

  /** Parses {@code filter} (null: none); 400 naming every invalid condition by its JSON path. */
  static SearchFilter parse(Map<String, Object> filter) {
    if (filter == null || filter.isEmpty()) {
      return NONE;
    }
    List<FieldError> errors = new ArrayList<>();
    if (filter.size() > MAX_KEYS) {
      errors.add(new FieldError("filter", "may hold at most " + MAX_KEYS + " keys"));
    }
    StringBuilder sql = new StringBuilder();
    Map<String, Object> params = new LinkedHashMap<>();
    int n = 0;
    for (Map.Entry<String, Object> condition : new TreeMap<>(filter).entrySet()) {
      String key = condition.getKey();
      String path = "filter." + key;
      if (!Metadata.KEY.matcher(key).matches()) {
        errors.add(new FieldError("filter", "keys are metadata keys: a letter or _, then up to 63 of letters, digits and _.-"));
        continue;
      }
      Object value = condition.getValue();
      String p = "f" + n++;
      if (Metadata.scalar(value)) {
        sql.append(" AND metadata @> CAST(:").append(p).append(" AS jsonb)");
        params.put(p, containment(key, value));
      } else if (value instanceof Map<?, ?> operators && operators.size() == 1 && operators.containsKey("in")) {
        if (!(operators.get("in") instanceof List<?> values) || values.isEmpty() || values.size() > MAX_VALUES
            || !values.stream().allMatch(Metadata::scalar)) {
          errors.add(new FieldError(path + ".in", "must be a list of 1 to " + MAX_VALUES + " strings, numbers or booleans"));
          continue;
        }
        sql.append(" AND (");
        for (int i = 0; i < values.size(); i++) {
          sql.append(i == 0 ? "" : " OR ").append("metadata @> CAST(:").append(p).append('_').append(i).append(" AS jsonb)");
          params.put(p + "_" + i, containment(key, values.get(i)));
        }
        sql.append(')');
      } else if (value instanceof Map<?, ?> operators && !operators.isEmpty() && RANGE.containsAll(operators.keySet())) {
        params.put(p, key);
        for (Map.Entry<?, ?> bound : new TreeMap<>(operators).entrySet()) {
          Object number = bound.getValue();
          if (!(number instanceof Number) || !Metadata.scalar(number)) {
            errors.add(new FieldError(path + "." + bound.getKey(), "must be a finite number"));
            continue;
          }
          String op = switch ((String) bound.getKey()) {
            case "gt" -> ">";
            case "gte" -> ">=";
            case "lt" -> "<";
            default -> "<=";
          };
          String b = p + "_" + bound.getKey();
          // The CASE keeps the cast away from values that are no numbers (they do not match).
          sql.append(" AND CASE WHEN jsonb_typeof(metadata -> CAST(:").append(p).append(" AS text)) = 'number' THEN (metadata -> CAST(:")
              .append(p).append(" AS text))::numeric END ").append(op).append(" :").append(b);
          params.put(b, decimal((Number) number));
        }
      } else {
        errors.add(new FieldError(path, "must be a string, number or boolean, {\"in\": [...]} or a range such as {\"gte\": 1, \"lt\": 5}"));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidFieldsException("The filter is invalid.", errors);
    }
    return new SearchFilter(sql.toString(), params);
  }

  private static String containment(String key, Object value) {
    return JSON.writeValueAsString(Map.of(key, value));
  }

  private static BigDecimal decimal(Number number) {
    return switch (number) {
      case BigDecimal d -> d;
      case BigInteger i -> new BigDecimal(i);
      case Integer i -> BigDecimal.valueOf(i);
      case Long l -> BigDecimal.valueOf(l);
      default -> BigDecimal.valueOf(number.doubleValue());
    };
  }
}
