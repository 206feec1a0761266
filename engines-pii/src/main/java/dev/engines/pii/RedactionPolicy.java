package dev.engines.pii;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which {@link Operator} applies to which entity type. The {@code version} travels with every
 * record in {@link PiiFlags} so that a later change of policy can tell which records were treated
 * under which rules.
 *
 * @param version the policy version, at least 1
 * @param defaultOperator the operator for types without an entry in {@code operators}
 * @param operators per-type operators, keyed by entity type name ({@link PiiTypes})
 * @param mask the settings {@link Operator#MASK} uses
 */
public record RedactionPolicy(
    int version, Operator defaultOperator, Map<String, Operator> operators, MaskSettings mask) {

  public RedactionPolicy {
    if (version < 1) {
      throw new IllegalArgumentException("policy version must be at least 1.");
    }
    Objects.requireNonNull(defaultOperator, "defaultOperator");
    Objects.requireNonNull(mask, "mask");
    operators =
        Collections.unmodifiableSortedMap(
            new TreeMap<>(Objects.requireNonNull(operators, "operators")));
  }

  /** Version 1: {@link Operator#REPLACE} for every type. */
  public static RedactionPolicy defaults() {
    return new RedactionPolicy(1, Operator.REPLACE, Map.of(), MaskSettings.all());
  }

  /** The operator for {@code type}. */
  public Operator operatorFor(String type) {
    return operators.getOrDefault(type, defaultOperator);
  }
}
