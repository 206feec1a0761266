package dev.engines.session;

import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import dev.engines.core.scope.Caller;
import dev.engines.pii.PiiPipeline;
import dev.engines.pii.Redaction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The free text of a session's records on its way to storage: small flat maps (session and turn
 * metadata, memory preferences) are validated, and every string, there and in blackboard values,
 * passes the PII pipeline. The flags of all redactions of one record are summed into the record's
 * {@code pii_flags}; any finding makes it {@code train_ok=false}.
 */
final class Texts {

  /** The most entries of a flat map. */
  static final int MAX_ENTRIES = 32;

  /** The longest string value of a flat map. */
  static final int MAX_STRING = 1000;

  private static final Pattern KEY = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");

  private final PiiPipeline pipeline;
  private final Caller caller;
  private final Map<String, Object> flags = new TreeMap<>();
  private PiiPipeline.Redactor redactor;
  private boolean trainOk = true;

  /**
   * Redacts with the policy of {@code scope} in force, looked up once for this record, and only if
   * the record has text at all.
   */
  Texts(PiiPipeline pipeline, Caller caller) {
    this.pipeline = pipeline;
    this.caller = caller;
  }

  /**
   * Checks a flat map: at most {@value #MAX_ENTRIES} entries, keys {@code ^[a-z][a-z0-9_]{0,63}$},
   * values strings of at most {@value #MAX_STRING} chars, numbers or booleans. Problems go to
   * {@code errors} under {@code field}; null is an empty map.
   */
  static Map<String, Object> flat(String field, Map<String, Object> map, List<FieldError> errors) {
    if (map == null) {
      return Map.of();
    }
    if (map.size() > MAX_ENTRIES) {
      errors.add(new FieldError(field, "must hold at most " + MAX_ENTRIES + " entries"));
      return Map.of();
    }
    Map<String, Object> out = new TreeMap<>();
    map.forEach(
        (key, value) -> {
          String at = field + "." + key;
          if (!KEY.matcher(key).matches()) {
            errors.add(new FieldError(field, "keys must match " + KEY.pattern()));
          } else if (value instanceof String s && s.length() > MAX_STRING) {
            errors.add(new FieldError(at, "must be at most " + MAX_STRING + " chars"));
          } else if (!(value instanceof String
              || value instanceof Number
              || value instanceof Boolean)) {
            errors.add(new FieldError(at, "must be a string, a number or a boolean"));
          } else {
            out.put(key, value);
          }
        });
    return out;
  }

  /** {@code text} as it may be stored; null stays null. */
  String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    if (redactor == null) {
      redactor = pipeline.redactor(caller);
    }
    Redaction redaction = redactor.redact(text);
    add(redaction);
    return redaction.text();
  }

  /**
   * A JSON value (maps, lists, scalars) with every string redacted, object keys included (a map
   * keyed by e-mail address is personal data too).
   *
   * @throws InvalidFieldsException naming {@code field} when two keys of one object become the same
   *     once redacted: keeping either would silently drop the other
   */
  Object redactTree(String field, Object value) {
    if (value instanceof String s) {
      return redact(s);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = redact((String) e.getKey());
        if (out.containsKey(key)) {
          throw new InvalidFieldsException(
              "The value is invalid.",
              List.of(
                  new FieldError(
                      field,
                      "two keys of one object are the same once PII is redacted; use keys without personal data")));
        }
        out.put(key, redactTree(field, e.getValue()));
      }
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(redactTree(field, v)));
      return out;
    }
    return value;
  }

  /** The summed flags of every redaction so far ({@code {}} when there was no text). */
  Map<String, Object> flags() {
    return Map.copyOf(flags);
  }

  /** Whether nothing redacted so far found PII. */
  boolean trainOk() {
    return trainOk;
  }

  void add(Redaction redaction) {
    sum(flags, PiiPipeline.flags(redaction.flags()));
    trainOk &= redaction.flags().trainOk();
  }

  /**
   * {@code a} and {@code b} summed: counts add up, the policy version is {@code b}'s when it has
   * one.
   */
  static Map<String, Object> merge(Map<String, Object> a, Map<String, Object> b) {
    Map<String, Object> out = new TreeMap<>(a);
    sum(out, b);
    return out;
  }

  private static void sum(Map<String, Object> into, Map<String, Object> more) {
    more.forEach(
        (type, value) ->
            into.merge(
                type,
                value,
                (x, y) ->
                    x instanceof Number m && y instanceof Number n && !"policy_version".equals(type)
                        ? m.longValue() + n.longValue()
                        : y));
  }
}
