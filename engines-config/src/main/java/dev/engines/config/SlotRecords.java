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
 * is named by its JSON path ({@code rate_limits.env}, {@code atomizers[2]}, {@code
 * budgets.prices.nexus:derive}), in one problem: unknown fields (sorted, at every level), then the
 * record's fields in declaration order, each with its binding error or its constraint violations.
 *
 * <p>Binding is strict, as the API is: an integer component ({@link Long}) takes a JSON integer
 * only (not {@code "5"}, not {@code 5.0}); one beyond any bound is clamped, so its range message
 * names the bound rather than an overflow. {@link Boolean} takes a boolean, {@link String} a
 * string, {@code List<String>} a list (an item that is not a string binds as {@code null}, for the
 * item constraint to name by index), {@code Map<String, Long>} an object of integers, and a nested
 * record (annotated {@link jakarta.validation.Valid}) an object bound by the same rules. A
 * component left out binds to {@code null} for the constraints to judge; a wrong JSON type is named
 * with {@link SlotType}'s message or the constraint's own. Records must be public (their
 * constructors and accessors are called reflectively).
 *
 * @param <T> the record of the slot's settings
 */
public final class SlotRecords<T extends Record> {

  private final String slot;
  private final Shape<T> shape;
  private final SlotBounds bounds;
  private final Validator validator;

  /**
   * @param slot the slot's name, for the problem's detail
   * @param type the settings record: components {@link Long} (with {@link SlotInteger}), {@link
   *     Boolean}, {@link String} (with {@link SlotChoice} where the deployment offers choices),
   *     {@code List<String>} (with {@link SlotSubset}), {@code Map<String, Long>} (with {@link
   *     SlotKeyedIntegers}) or a nested record of the same kinds
   * @param bounds the deployment's bounds its constraints refer to
   */
  public SlotRecords(String slot, Class<T> type, SlotBounds bounds) {
    this.slot = slot;
    this.shape = new Shape<>(type);
    this.bounds = bounds;
    this.validator =
        Validation.byProvider(HibernateValidator.class)
            .configure()
            .buildValidatorFactory()
            .unwrap(HibernateValidatorFactory.class)
            .usingContext()
            .constraintValidatorPayload(bounds)
            .getValidator();
  }

  /** The settings' JSON field names (top level). */
  public Set<String> fields() {
    return shape.fields;
  }

  /**
   * Binds {@code settings} and validates the record.
   *
   * @param settings the settings as written; {@code null} counts as none
   * @throws InvalidFieldsException 400 naming every invalid field by its JSON path
   */
  public T bind(Map<String, Object> settings) {
    List<FieldError> unknown = new ArrayList<>();
    // Binding errors and violations by top-level component, so each field's problems stay
    // together, in declaration order.
    List<List<FieldError>> byField = new ArrayList<>();
    for (int i = 0; i < shape.components.length; i++) {
      byField.add(new ArrayList<>());
    }
    Set<String> unbound = new LinkedHashSet<>();
    T record =
        shape.bind(
            settings == null ? Map.of() : settings, "", bounds, unknown, byField, -1, unbound);
    List<ConstraintViolation<T>> violations = new ArrayList<>(validator.validate(record));
    violations.sort(
        Comparator.comparing((ConstraintViolation<T> v) -> jsonPath(v.getPropertyPath()))
            .thenComparingInt(v -> lastIndex(v.getPropertyPath())));
    List<FieldError> errors = new ArrayList<>(unknown);
    for (ConstraintViolation<T> violation : violations) {
      String path = jsonPath(violation.getPropertyPath());
      int field = shape.componentOf(violation.getPropertyPath());
      if (unbound.stream().anyMatch(u -> path.equals(u) || path.startsWith(u + "."))) {
        continue;
      }
      FieldError error = new FieldError(path, violation.getMessage());
      if (field >= 0) {
        byField.get(field).add(error);
      } else {
        errors.add(error);
      }
    }
    byField.forEach(errors::addAll);
    SlotFields.requireValid(slot, errors);
    return record;
  }

  /**
   * The record's canonical form to store: its non-null components by JSON name, sorted; nested
   * records and maps as sorted objects, {@link SlotSubset} lists sorted.
   */
  public Map<String, Object> canonical(T record) {
    return shape.canonical(record);
  }

  /** A record type's components and how they bind. */
  private static final class Shape<R extends Record> {
    final RecordComponent[] components;
    final String[] names;
    final Set<String> fields;
    final Constructor<R> constructor;
    final Shape<?>[] nested;

    Shape(Class<R> type) {
      this.components = type.getRecordComponents();
      this.names =
          Arrays.stream(components).map(c -> snakeCase(c.getName())).toArray(String[]::new);
      this.fields = Set.copyOf(Arrays.asList(names));
      this.nested = new Shape<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        if (components[i].getType().isRecord()) {
          nested[i] = new Shape<>(components[i].getType().asSubclass(Record.class));
        }
      }
      try {
        this.constructor =
            type.getDeclaredConstructor(
                Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
      } catch (NoSuchMethodException e) {
        throw new IllegalArgumentException(type + " has no canonical constructor", e);
      }
    }

    /**
     * @param top the top-level component this object belongs to, or -1 for the settings themselves
     * @param unbound the JSON paths whose value did not bind (their violations are not reported)
     */
    R bind(
        Map<?, ?> in,
        String prefix,
        SlotBounds bounds,
        List<FieldError> unknown,
        List<List<FieldError>> byField,
        int top,
        Set<String> unbound) {
      in.keySet().stream()
          .map(String::valueOf)
          .filter(k -> !fields.contains(k))
          .sorted()
          .forEach(
              k ->
                  unknown.add(
                      new FieldError(
                          prefix + k,
                          "is not a field of this slot; fields "
                              + (prefix.isEmpty()
                                  ? ""
                                  : "of " + prefix.substring(0, prefix.length() - 1) + " ")
                              + "are "
                              + new TreeSet<>(fields))));
      Object[] values = new Object[components.length];
      for (int i = 0; i < components.length; i++) {
        int owner = top < 0 ? i : top;
        String path = prefix + names[i];
        Object raw = in.get(names[i]);
        if (raw == null) {
          continue;
        }
        if (nested[i] != null) {
          if (raw instanceof Map<?, ?> object) {
            values[i] =
                nested[i].bind(object, path + ".", bounds, unknown, byField, owner, unbound);
          } else {
            SlotType declared = components[i].getAnnotation(SlotType.class);
            byField
                .get(owner)
                .add(
                    new FieldError(
                        path,
                        declared != null
                            ? declared.value()
                            : "must be an object with the fields "
                                + new TreeSet<>(nested[i].fields)));
            unbound.add(path);
          }
          continue;
        }
        List<FieldError> problems = new ArrayList<>();
        values[i] = bindValue(components[i], path, raw, bounds, problems);
        if (!problems.isEmpty()) {
          byField.get(owner).addAll(problems);
          problems.forEach(p -> unbound.add(p.field()));
          if (values[i] == null) {
            // Nothing bound: the constraints would only repeat the binding's problem.
            unbound.add(path);
          }
        }
      }
      try {
        return constructor.newInstance(values);
      } catch (InstantiationException | IllegalAccessException e) {
        throw new IllegalStateException(e);
      } catch (InvocationTargetException e) {
        throw new IllegalStateException("the settings record refused its values", e.getCause());
      }
    }

    Map<String, Object> canonical(Record record) {
      Map<String, Object> out = new TreeMap<>();
      for (int i = 0; i < components.length; i++) {
        Object value;
        try {
          value = components[i].getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
          throw new IllegalStateException("cannot read " + names[i], e);
        }
        if (value == null) {
          continue;
        }
        if (nested[i] != null) {
          out.put(names[i], nested[i].canonical((Record) value));
        } else if (value instanceof List<?> items
            && components[i].isAnnotationPresent(SlotSubset.class)) {
          out.put(names[i], items.stream().map(String.class::cast).sorted().toList());
        } else if (value instanceof Map<?, ?> map) {
          out.put(names[i], new TreeMap<>(map));
        } else {
          out.put(names[i], value);
        }
      }
      return out;
    }

    int componentOf(Path path) {
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
  }

  /**
   * The bound value of a leaf component; a binding error goes to {@code problems} (then the answer
   * is what bound, for a map's other entries, or null).
   */
  private static Object bindValue(
      RecordComponent component,
      String path,
      Object raw,
      SlotBounds bounds,
      List<FieldError> problems) {
    Class<?> type = component.getType();
    SlotType declared = component.getAnnotation(SlotType.class);
    if (type == Long.class) {
      Long number = integer(raw);
      if (number == null) {
        SlotInteger rule = component.getAnnotation(SlotInteger.class);
        problems.add(
            new FieldError(
                path,
                declared != null
                    ? declared.value()
                    : rule == null
                        ? "must be an integer"
                        : SlotInteger.Check.fill(rule.type(), rule, bounds.bound(rule.bound()))));
      }
      return number;
    }
    if (type == Boolean.class) {
      if (!(raw instanceof Boolean)) {
        problems.add(
            new FieldError(path, declared != null ? declared.value() : "must be true or false"));
        return null;
      }
      return raw;
    }
    if (type == String.class) {
      if (!(raw instanceof String)) {
        problems.add(
            new FieldError(path, declared != null ? declared.value() : "must be a string"));
        return null;
      }
      return raw;
    }
    if (type == List.class) {
      if (!(raw instanceof List<?> items)) {
        SlotSubset rule = component.getAnnotation(SlotSubset.class);
        problems.add(
            new FieldError(
                path,
                declared != null
                    ? declared.value()
                    : rule == null
                        ? "must be a list of strings"
                        : SlotSubset.Check.fill(rule.list(), bounds.choices(rule.of()))));
        return null;
      }
      // An item that is not a string binds as null: the item's constraint names it by index.
      List<String> strings = new ArrayList<>(items.size());
      items.forEach(item -> strings.add(item instanceof String text ? text : null));
      return Collections.unmodifiableList(strings);
    }
    if (type == Map.class) {
      if (!(raw instanceof Map<?, ?> entries)) {
        problems.add(
            new FieldError(
                path, declared != null ? declared.value() : "must be an object of integers"));
        return null;
      }
      Map<String, Long> numbers = new TreeMap<>();
      entries.forEach(
          (key, value) -> {
            Long number = integer(value);
            if (number == null) {
              problems.add(new FieldError(path + "." + key, "must be an integer"));
            } else {
              numbers.put(String.valueOf(key), number);
            }
          });
      return Collections.unmodifiableMap(numbers);
    }
    throw new IllegalStateException(
        "unsupported slot field type " + type + " of " + component.getName());
  }

  /** A JSON integer as a long (clamped beyond the long range), or null for anything else. */
  private static Long integer(Object raw) {
    if (!(raw instanceof Integer
        || raw instanceof Long
        || raw instanceof Short
        || raw instanceof BigInteger)) {
      return null;
    }
    BigInteger number =
        raw instanceof BigInteger big ? big : BigInteger.valueOf(((Number) raw).longValue());
    return number.bitLength() < 64
        ? number.longValue()
        : number.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
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
        } else if (node.getKey() != null) {
          out.append('.').append(node.getKey());
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
