package dev.engines.config;

import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.HibernateValidatorFactory;

/**
 * A config slot's settings as a typed record, validated with Bean Validation: the JSON object binds
 * to the record's components by their snake_case names, then the record's constraints run
 * (Hibernate Validator, with the deployment's {@link SlotBounds} as payload). Every invalid field
 * is named by its JSON path, in one problem: unknown fields (sorted), then the record's fields in
 * declaration order, each with its binding error or its constraint violations.
 *
 * <p>Binding is strict, as the API is: an integer component ({@link Long}) takes a JSON integer
 * only (not {@code "5"}, not {@code 5.0}); one beyond any bound is clamped, so its range message
 * names the bound rather than an overflow. {@link Boolean} takes a boolean, {@link String} a
 * string, {@code List<String>} a list (an item that is not a string binds as {@code null}, for the
 * item constraint to name by index). A component left out binds to {@code null} for the constraints
 * to judge; a wrong JSON type is named with {@link SlotType}'s message or the constraint's own. The
 * record must be public (its constructor and accessors are called reflectively).
 *
 * @param <T> the record of the slot's settings
 */
public final class SlotRecords<T extends Record> {

  private final String slot;
  private final RecordComponent[] components;
  private final String[] names;
  private final Constructor<T> constructor;
  private final Set<String> fields;
  private final SlotBounds bounds;
  private final Validator validator;

  /**
   * @param slot the slot's name, for the problem's detail
   * @param type the settings record: components {@link Long} (with {@link SlotInteger}), {@link
   *     Boolean}, {@link String} or {@code List<String>} (with {@link SlotSubset})
   * @param bounds the deployment's bounds its constraints refer to
   */
  public SlotRecords(String slot, Class<T> type, SlotBounds bounds) {
    this.slot = slot;
    this.components = type.getRecordComponents();
    this.names = Arrays.stream(components).map(c -> snakeCase(c.getName())).toArray(String[]::new);
    this.fields = Set.copyOf(Arrays.asList(names));
    this.bounds = bounds;
    try {
      this.constructor =
          type.getDeclaredConstructor(
              Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(type + " has no canonical constructor", e);
    }
    this.validator =
        Validation.byProvider(HibernateValidator.class)
            .configure()
            .buildValidatorFactory()
            .unwrap(HibernateValidatorFactory.class)
            .usingContext()
            .constraintValidatorPayload(bounds)
            .getValidator();
  }

  /** The settings' JSON field names. */
  public Set<String> fields() {
    return fields;
  }

  /**
   * Binds {@code settings} and validates the record.
   *
   * @param settings the settings as written; {@code null} counts as none
   * @throws InvalidFieldsException 400 naming every invalid field by its JSON path
   */
  public T bind(Map<String, Object> settings) {
    Map<String, Object> in = settings == null ? Map.of() : settings;
    List<FieldError> errors = new ArrayList<>();
    in.keySet().stream()
        .filter(k -> !fields.contains(k))
        .sorted()
        .forEach(
            k ->
                errors.add(
                    new FieldError(
                        k, "is not a field of this slot; fields are " + new TreeSet<>(fields))));
    Object[] values = new Object[components.length];
    Set<Integer> unbound = new LinkedHashSet<>();
    List<List<FieldError>> byField = new ArrayList<>();
    for (int i = 0; i < components.length; i++) {
      byField.add(new ArrayList<>());
      Object raw = in.get(names[i]);
      String problem = bindValue(components[i], raw, values, i);
      if (problem != null) {
        byField.get(i).add(new FieldError(names[i], problem));
        unbound.add(i);
      }
    }
    T record = newRecord(values);
    // Bean Validation answers a set: order a field's violations by item index, as the API lists
    // them.
    List<ConstraintViolation<T>> violations = new ArrayList<>(validator.validate(record));
    violations.sort(Comparator.comparingInt(v -> lastIndex(v.getPropertyPath())));
    for (ConstraintViolation<T> violation : violations) {
      int field = componentOf(violation.getPropertyPath());
      if (field >= 0 && !unbound.contains(field)) {
        byField
            .get(field)
            .add(new FieldError(jsonPath(violation.getPropertyPath()), violation.getMessage()));
      } else if (field < 0) {
        errors.add(new FieldError(jsonPath(violation.getPropertyPath()), violation.getMessage()));
      }
    }
    byField.forEach(errors::addAll);
    SlotFields.requireValid(slot, errors);
    return record;
  }

  /** The record's canonical form to store: its non-null components by JSON name, sorted. */
  public Map<String, Object> canonical(T record) {
    Map<String, Object> out = new TreeMap<>();
    for (int i = 0; i < components.length; i++) {
      try {
        Object value = components[i].getAccessor().invoke(record);
        if (value instanceof List<?> items && components[i].isAnnotationPresent(SlotSubset.class)) {
          out.put(names[i], items.stream().map(String.class::cast).sorted().toList());
        } else if (value != null) {
          out.put(names[i], value);
        }
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("cannot read " + names[i], e);
      }
    }
    return out;
  }

  /** Puts the bound value in {@code values[i]}, or answers the binding error's message. */
  private String bindValue(RecordComponent component, Object raw, Object[] values, int i) {
    if (raw == null) {
      return null;
    }
    Class<?> type = component.getType();
    SlotType declared = component.getAnnotation(SlotType.class);
    if (type == Long.class) {
      if (!(raw instanceof Integer
          || raw instanceof Long
          || raw instanceof Short
          || raw instanceof BigInteger)) {
        SlotInteger rule = component.getAnnotation(SlotInteger.class);
        return declared != null
            ? declared.value()
            : rule == null
                ? "must be an integer"
                : SlotInteger.Check.fill(rule.type(), rule, bounds.bound(rule.bound()));
      }
      BigInteger number =
          raw instanceof BigInteger big ? big : BigInteger.valueOf(((Number) raw).longValue());
      values[i] =
          number.bitLength() < 64
              ? number.longValue()
              : number.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
      return null;
    }
    if (type == Boolean.class) {
      if (!(raw instanceof Boolean)) {
        return declared != null ? declared.value() : "must be true or false";
      }
      values[i] = raw;
      return null;
    }
    if (type == String.class) {
      if (!(raw instanceof String)) {
        return declared != null ? declared.value() : "must be a string";
      }
      values[i] = raw;
      return null;
    }
    if (type == List.class) {
      if (!(raw instanceof List<?> items)) {
        SlotSubset rule = component.getAnnotation(SlotSubset.class);
        return declared != null
            ? declared.value()
            : rule == null
                ? "must be a list of strings"
                : SlotSubset.Check.fill(rule.list(), bounds.choices(rule.of()));
      }
      // An item that is not a string binds as null: the item's constraint names it by index.
      List<String> strings = new ArrayList<>(items.size());
      items.forEach(item -> strings.add(item instanceof String text ? text : null));
      values[i] = Collections.unmodifiableList(strings);
      return null;
    }
    throw new IllegalStateException(
        "unsupported slot field type " + type + " of " + component.getName());
  }

  private T newRecord(Object[] values) {
    try {
      return constructor.newInstance(values);
    } catch (InstantiationException | IllegalAccessException e) {
      throw new IllegalStateException(e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(
          "the " + slot + " settings record refused its values", e.getCause());
    }
  }

  private int componentOf(Path path) {
    for (Path.Node node : path) {
      for (int i = 0; i < components.length; i++) {
        if (components[i].getName().equals(node.getName())) {
          return i;
        }
      }
      return -1;
    }
    return -1;
  }

  private static int lastIndex(Path path) {
    int index = -1;
    for (Path.Node node : path) {
      if (node.getIndex() != null) {
        index = node.getIndex();
      }
    }
    return index;
  }

  private static String jsonPath(Path path) {
    StringBuilder out = new StringBuilder();
    for (Path.Node node : path) {
      if (node.getName() == null || node.getName().startsWith("<")) {
        if (node.getIndex() != null) {
          out.append('[').append(node.getIndex()).append(']');
        }
        continue;
      }
      if (!out.isEmpty()) {
        out.append('.');
      }
      out.append(snakeCase(node.getName()));
    }
    return out.toString();
  }

  /** {@code maxTtlSeconds} → {@code max_ttl_seconds}. */
  static String snakeCase(String name) {
    StringBuilder out = new StringBuilder();
    for (char c : name.toCharArray()) {
      if (Character.isUpperCase(c)) {
        out.append('_').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
