package dev.engines.api.web;

import dev.engines.core.error.EnginesException;
import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.core.MethodParameter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.stereotype.Component;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns request binding failures (bean validation, unreadable JSON, bad query parameters) into one
 * {@link InvalidFieldsException} whose field errors name what the caller sent: JSON paths such as
 * {@code owner.display_name} or {@code items[2].used_at}, and query parameter names, never the Java
 * names behind them. Messages name rules, never values.
 */
@Component
public final class FieldErrors {

  /** Field names are echoed back: a caller's own (bounded) input, never a value. */
  private static final int MAX_FIELD_CHARS = 128;

  private final JsonNames names;

  public FieldErrors(JsonNames names) {
    this.names = names;
  }

  /** Bean-validation failures of a request body. */
  public EnginesException body(BindingResult result) {
    List<FieldError> errors =
        result.getFieldErrors().stream()
            .map(
                f ->
                    new FieldError(names.path(f.getField()), String.valueOf(f.getDefaultMessage())))
            .toList();
    return of("The request body is invalid.", errors);
  }

  /**
   * Method-validation failures: parameters by their wire names, body fields by their JSON paths.
   */
  public EnginesException parameters(HandlerMethodValidationException e) {
    List<FieldError> errors = new ArrayList<>();
    e.getParameterValidationResults()
        .forEach(
            result -> {
              if (result instanceof org.springframework.validation.method.ParameterErrors bound) {
                bound
                    .getFieldErrors()
                    .forEach(
                        f ->
                            errors.add(
                                new FieldError(
                                    names.path(f.getField()),
                                    String.valueOf(f.getDefaultMessage()))));
              } else {
                String name = parameterName(result.getMethodParameter());
                result
                    .getResolvableErrors()
                    .forEach(
                        error ->
                            errors.add(
                                new FieldError(name, String.valueOf(error.getDefaultMessage()))));
              }
            });
    return of("A request parameter is invalid.", errors);
  }

  /**
   * A body Jackson could not read: an unknown field, a string that is no acceptable text (NUL, an
   * unpaired surrogate: {@link JsonTextModule}) and a value of the wrong type are named by their
   * JSON path; anything else (not JSON, wrong root) has no field to name.
   */
  public EnginesException unreadable(HttpMessageNotReadableException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof JsonTextModule.InvalidTextException text) {
        String field = text.getPath().isEmpty() ? "body" : path(text);
        return of(
            "A text field holds a character this API does not accept: " + field + ".",
            List.of(new FieldError(field, text.getOriginalMessage())));
      }
      if (t instanceof UnrecognizedPropertyException unknown) {
        String field = path(unknown);
        return of(
            "The request body has a field this route does not accept: " + field + ".",
            List.of(new FieldError(field, "is not a field of this request")));
      }
      if (t instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
        String field = path(mismatch);
        return of(
            "A field of the request body has the wrong type: " + field + ".",
            List.of(new FieldError(field, expected(mismatch.getTargetType()))));
      }
    }
    return EnginesException.validation(
        "The request body is missing or is not valid JSON for this route.");
  }

  /** A query or path parameter whose value does not convert to the parameter's type. */
  public EnginesException mismatch(String parameter, Class<?> type) {
    return of(
        "The " + parameter + " parameter has the wrong type.",
        List.of(new FieldError(parameter, expected(type))));
  }

  /** A required query parameter that is missing. */
  public EnginesException missing(String parameter) {
    return of(
        "The " + parameter + " parameter is required.",
        List.of(new FieldError(parameter, "is required")));
  }

  private static EnginesException of(String detail, List<FieldError> errors) {
    return errors.isEmpty()
        ? EnginesException.validation(detail)
        : new InvalidFieldsException(detail, errors);
  }

  /**
   * {@code owner.display_name}, {@code items[2].used_at}: Jackson's references carry the JSON names
   * read.
   */
  private static String path(JacksonException e) {
    StringBuilder path = new StringBuilder();
    for (JacksonException.Reference reference : e.getPath()) {
      if (reference.getPropertyName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.length() <= MAX_FIELD_CHARS
        ? path.toString()
        : path.substring(0, MAX_FIELD_CHARS) + "…";
  }

  private static String parameterName(MethodParameter parameter) {
    RequestParam query = parameter.getParameterAnnotation(RequestParam.class);
    if (query != null && !query.name().isEmpty()) {
      return query.name();
    }
    PathVariable path = parameter.getParameterAnnotation(PathVariable.class);
    if (path != null && !path.name().isEmpty()) {
      return path.name();
    }
    return String.valueOf(parameter.getParameterName());
  }

  /** What a value of {@code type} looks like on the wire. */
  static String expected(Class<?> type) {
    if (type == null) {
      return "has the wrong type";
    }
    if (type == Integer.class
        || type == int.class
        || type == Long.class
        || type == long.class
        || type == Short.class
        || type == short.class
        || type == java.math.BigInteger.class) {
      return "must be an integer";
    }
    if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
      return "must be a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "must be true or false";
    }
    if (CharSequence.class.isAssignableFrom(type)
        || type == char.class
        || type == Character.class) {
      return "must be a string";
    }
    if (Temporal.class.isAssignableFrom(type)) {
      return "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "must be an array";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "must be an object";
    }
    return "has the wrong type";
  }
}
