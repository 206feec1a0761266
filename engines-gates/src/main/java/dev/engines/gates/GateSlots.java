package dev.engines.gates;

import dev.engines.config.SlotFields;
import dev.engines.core.error.InvalidFieldsException.FieldError;
import dev.engines.core.scope.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where the gates engine finds a tenant/env's {@code gates} config slot, stored per tenant/env and
 * read fresh on every call. The module's auto-configuration implements it over the stored slots
 * (engines-config); nothing falls back to a default: an env that never set the slot cannot use what
 * needs it.
 */
@FunctionalInterface
public interface GateSlots {

  /**
   * The gates slot of {@code scope}.
   *
   * @throws dev.engines.core.error.EnginesException 409 {@code config_missing} naming the {@code
   *     gates} slot when it was never set
   */
  GatesSlot gates(Scope scope);

  /**
   * The settings of the gates slot.
   *
   * @param fourEyes whether a strategy lock must be approved by someone other than its author
   */
  record GatesSlot(boolean fourEyes) {

    /** The slot's name. */
    public static final String SLOT = "gates";

    /**
     * Validates settings for the slot: {@code four_eyes}, a required boolean, and nothing else.
     *
     * @throws dev.engines.core.error.InvalidFieldsException naming every invalid field
     */
    public static Map<String, Object> validate(Map<String, Object> settings) {
      Map<String, Object> in = settings == null ? Map.of() : settings;
      Map<String, Object> out = new TreeMap<>();
      List<FieldError> errors = new ArrayList<>();
      SlotFields.unknown(in, Set.of("four_eyes"), errors);
      if (in.get("four_eyes") instanceof Boolean fourEyes) {
        out.put("four_eyes", fourEyes);
      } else {
        errors.add(new FieldError("four_eyes", "is required: true or false"));
      }
      SlotFields.requireValid(SLOT, errors);
      return out;
    }

    /** Reads stored settings (validated when written). */
    public static GatesSlot read(Map<String, Object> stored) {
      return new GatesSlot((Boolean) stored.get("four_eyes"));
    }
  }
}
