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

/**
 * A search's metadata filter, every condition combined with AND: {@code {"key": value}} (equal:
 * same type and value), {@code {"key": {"in": [values]}}} (equal to one of them) and {@code {"key":
 * {"gte": n, "lt": m}}} (a number in range; {@code gt}, {@code gte}, {@code lt}, {@code lte}). A
 * vector whose metadata lacks the key, or holds another type, does not match.
 *
 * <p>As SQL, each condition is a semi-join on {@code vector_metadata} (migration V63), whose typed
 * value columns have B-tree indexes with leakproof operators, so PostgreSQL can use them under
 * row-level security: a string matches by the SHA-256 of its UTF-8 bytes, a boolean as itself, a
 * number by its double precision key (an index range that holds every candidate) and then by its
 * exact numeric value. Every value and key is a bound parameter.
 */
final class SearchFilter {

  static final int MAX_KEYS = 16;
  static final int MAX_VALUES = 100;
  private static final Set<String> RANGE = Set.of("gt", "gte", "lt", "lte");

  /** No filter. */
  static final SearchFilter NONE = new SearchFilter("", Map.of());

  private final String sql;
  private final Map<String, Object> params;

  private SearchFilter(String sql, Map<String, Object> params) {
    this.sql = sql;
    this.params = Map.copyOf(params);
  }

  /**
   * {@code AND …} conditions on the rows of table {@code vectors} (unaliased) of the space bound as
   * {@code :t}, {@code :e} and {@code :s}, or the empty string.
   */
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
        errors.add(
            new FieldError(
                "filter",
                "keys are metadata keys: a letter or _, then up to 63 of letters, digits and _.-"));
        continue;
      }
      Object value = condition.getValue();
      String p = "f" + n++;
      List<String> parts = new ArrayList<>();
      if (Metadata.scalar(value)) {
        parts.addAll(anyOf(p, List.of(value), params));
      } else if (value instanceof Map<?, ?> operators
          && operators.size() == 1
          && operators.containsKey("in")) {
        if (!(operators.get("in") instanceof List<?> values)
            || values.isEmpty()
            || values.size() > MAX_VALUES
            || !values.stream().allMatch(Metadata::scalar)) {
          errors.add(
              new FieldError(
                  path + ".in",
                  "must be a list of 1 to " + MAX_VALUES + " strings, numbers or booleans"));
          continue;
        }
        parts.addAll(anyOf(p, values, params));
      } else if (value instanceof Map<?, ?> operators
          && !operators.isEmpty()
          && RANGE.containsAll(operators.keySet())) {
        List<String> range = new ArrayList<>();
        for (Map.Entry<?, ?> bound : new TreeMap<>(operators).entrySet()) {
          Object number = bound.getValue();
          if (!(number instanceof Number) || !Metadata.scalar(number)) {
            errors.add(new FieldError(path + "." + bound.getKey(), "must be a finite number"));
            continue;
          }
          // The key's bound is never strict: two numbers may share a key (their nearest double).
          String[] ops =
              switch ((String) bound.getKey()) {
                case "gt" -> new String[] {">=", ">"};
                case "gte" -> new String[] {">=", ">="};
                case "lt" -> new String[] {"<=", "<"};
                default -> new String[] {"<=", "<="};
              };
          String b = p + "_" + bound.getKey();
          range.add(
              "m.value_key "
                  + ops[0]
                  + " vector_metadata_number_key(CAST(:"
                  + b
                  + " AS numeric)) AND m.value_number "
                  + ops[1]
                  + " CAST(:"
                  + b
                  + " AS numeric)");
          params.put(b, decimal((Number) number));
        }
        parts.add(String.join(" AND ", range));
      } else {
        errors.add(
            new FieldError(
                path,
                "must be a string, number or boolean, {\"in\": [...]} or a range such as {\"gte\": 1, \"lt\": 5}"));
        continue;
      }
      params.put(p, key);
      // One semi-join per condition; an "in" of several types is one index scan per type.
      sql.append(" AND vectors.vector_id IN (");
      for (int i = 0; i < parts.size(); i++) {
        sql.append(i == 0 ? "" : " UNION ALL ")
            .append(
                "SELECT m.vector_id FROM vector_metadata m WHERE m.tenant_id = :t AND m.env = :e AND m.space_id = :s")
            .append(" AND m.key = :")
            .append(p)
            .append(" AND ")
            .append(parts.get(i));
      }
      sql.append(')');
    }
    if (!errors.isEmpty()) {
      throw new InvalidFieldsException("The filter is invalid.", errors);
    }
    return new SearchFilter(sql.toString(), params);
  }

  /**
   * The conditions that a vector's value of the key equals one of {@code values} (same type): one
   * per type among them, value {@code i} bound as {@code <p>_<i>}.
   */
  private static List<String> anyOf(String p, List<?> values, Map<String, Object> params) {
    List<String> strings = new ArrayList<>();
    List<String> numbers = new ArrayList<>();
    List<String> booleans = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      String v = ":" + p + "_" + i;
      switch (values.get(i)) {
        case String s -> {
          params.put(p + "_" + i, s);
          strings.add("sha256(convert_to(CAST(" + v + " AS text), 'UTF8'))");
        }
        case Boolean b -> {
          params.put(p + "_" + i, b);
          booleans.add("CAST(" + v + " AS boolean)");
        }
        default -> {
          params.put(p + "_" + i, decimal((Number) values.get(i)));
          numbers.add("CAST(" + v + " AS numeric)");
        }
      }
    }
    List<String> conditions = new ArrayList<>();
    if (!strings.isEmpty()) {
      conditions.add("m.value_sha256 IN (" + String.join(", ", strings) + ")");
    }
    if (!numbers.isEmpty()) {
      // The key (the index) finds the candidates, the exact value decides.
      conditions.add(
          "m.value_key IN ("
              + String.join(
                  ", ", numbers.stream().map(n -> "vector_metadata_number_key(" + n + ")").toList())
              + ") AND m.value_number IN ("
              + String.join(", ", numbers)
              + ")");
    }
    if (!booleans.isEmpty()) {
      conditions.add("m.value_bool IN (" + String.join(", ", booleans) + ")");
    }
    return conditions;
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
