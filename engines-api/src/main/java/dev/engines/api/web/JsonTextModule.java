package dev.engines.api.web;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.module.SimpleModule;

/**
 * The input boundary for JSON bodies: every string read from a body, in a typed field, a list, a
 * map or untyped JSON, is refused when it holds NUL (PostgreSQL cannot store it and no field of
 * this API means one) or an unpaired UTF-16 surrogate (a JSON escape such as {@code \ud800} decodes
 * to one; it is not text and would be stored as '?'). The answer is a 400 {@code validation_failed}
 * naming the field ({@link FieldErrors}), never a database error. Other control characters are each
 * field's own rule: free text holds newlines and tabs.
 */
final class JsonTextModule extends SimpleModule {

  JsonTextModule() {
    super("engines-json-text");
    addDeserializer(String.class, new CheckedStringDeserializer());
  }

  /** Why {@code value} is refused, or null when it is acceptable text. */
  private static String problem(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == 0) {
        return "must not contain NUL";
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "must be valid Unicode (an unpaired surrogate escape)";
      }
    }
    return null;
  }

  /** A string that breaks {@link #problem}; Jackson adds the path on its way out. */
  static final class InvalidTextException extends MismatchedInputException {
    InvalidTextException(JsonParser parser, String message) {
      super(parser, message, String.class);
    }
  }

  /**
   * Jackson's own string deserializer plus the check; not a "standard" one, so collections, maps
   * and untyped values use it too.
   */
  private static final class CheckedStringDeserializer extends StringDeserializer {
    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) {
      String value = super.deserialize(parser, context);
      String problem = value == null ? null : problem(value);
      if (problem != null) {
        throw new InvalidTextException(parser, problem);
      }
      return value;
    }
  }
}
