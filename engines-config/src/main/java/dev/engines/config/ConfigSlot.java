package dev.engines.config;

import dev.engines.core.scope.Scope;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A per tenant/env configuration slot an engine offers: its name and the rules its settings follow.
 * Each engine's auto-configuration contributes one bean per slot it reads (engines-nexus {@code
 * storage} and {@code nexus}, engines-gates {@code gates}, …); {@link EnvConfigs} accepts writes to
 * those slots only and validates each with its slot's rules, so the rules live beside the code that
 * reads the settings. A new slot also needs its name in the {@code env_config_slot_check}
 * constraint, through a migration of the module that adds it.
 */
public interface ConfigSlot {

  /**
   * The slot's name, as in {@code PUT /v1/config/{slot}} and the {@code env_config.slot} column.
   */
  String name();

  /**
   * Validates {@code settings} against the deployment's bounds and answers their canonical form to
   * store (sorted keys, normalised values). Unknown fields are refused, so a typo never leaves a
   * default silently in force.
   *
   * @param settings the settings as written; {@code null} counts as none
   * @throws dev.engines.core.error.InvalidFieldsException 400 naming every invalid field
   */
  Map<String, Object> validate(Map<String, Object> settings);

  /**
   * Called inside the transaction that stores a new version of the slot in {@code scope}, so that
   * an engine caching the slot can drop it on this replica when that transaction completes.
   */
  default void written(Scope scope) {}

  /** A slot named {@code name} whose settings {@code rules} validates (as {@link #validate}). */
  static ConfigSlot of(String name, UnaryOperator<Map<String, Object>> rules) {
    return of(name, rules, scope -> {});
  }

  /**
   * A slot named {@code name} whose settings {@code rules} validates (as {@link #validate}), and
   * {@code written} is told of each write (as {@link #written}).
   */
  static ConfigSlot of(
      String name, UnaryOperator<Map<String, Object>> rules, Consumer<Scope> written) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(written, "written");
    return new ConfigSlot() {
      @Override
      public void written(Scope scope) {
        written.accept(scope);
      }

      @Override
      public String name() {
        return name;
      }

      @Override
      public Map<String, Object> validate(Map<String, Object> settings) {
        return rules.apply(settings);
      }
    };
  }
}
