package dev.engines.session;

import dev.engines.core.error.InvalidFieldsException.FieldError;
import dev.engines.storage.ObjectKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A typed pointer: what session memory and message bundles hold instead of content. It names a
 * thing by type and id and is resolved under the reader's scope when loaded.
 *
 * @param type {@code atom} (Nexus atom), {@code asset} (raw asset), {@code turn} (a turn of one of
 *     the same user's sessions), {@code vector} (a vector of the vector engine) or {@code external}
 *     (a thing outside Engines, such as a card; never resolved)
 * @param id its id; a vector's is {@code <space>/<vector id>} (a vector id is unique in its space
 *     only)
 */
public record Pointer(String type, String id) {

  public static final String ATOM = "atom";
  public static final String ASSET = "asset";
  public static final String TURN = "turn";
  public static final String VECTOR = "vector";
  public static final String EXTERNAL = "external";

  /**
   * A vector pointer's id: the space's name, a slash and the vector's id (their own patterns: a
   * space name holds no slash).
   */
  static final String VECTOR_ID = "^([a-z][a-z0-9_-]{0,63})/([A-Za-z0-9_.:-]{1,200})$";

  /** The most pointers in one list (pinned refs, summary refs, a bundle). */
  public static final int MAX_PER_LIST = 200;

  /** The id each type takes. */
  private static final Map<String, Pattern> IDS =
      Map.of(
          ATOM, Pattern.compile("^at_[0-9a-f]{32}$"),
          ASSET, Pattern.compile(ObjectKey.ASSET_ID_PATTERN),
          TURN, Pattern.compile(TurnIds.PATTERN),
          VECTOR, Pattern.compile(VECTOR_ID),
          EXTERNAL, Pattern.compile("^[A-Za-z0-9_.:-]{1,200}$"));

  /**
   * Checks a list of pointers (required, at most {@value #MAX_PER_LIST}, no pointer twice); every
   * problem goes to {@code errors} under {@code field}.
   */
  static List<Pointer> validate(
      String field, List<Pointer> pointers, int min, List<FieldError> errors) {
    if (pointers == null) {
      errors.add(new FieldError(field, "is required (a list of {type, id}; empty for none)"));
      return List.of();
    }
    if (pointers.size() < min || pointers.size() > MAX_PER_LIST) {
      errors.add(new FieldError(field, "must hold " + min + " to " + MAX_PER_LIST + " pointers"));
      return List.of();
    }
    List<Pointer> valid = new ArrayList<>();
    Set<Pointer> seen = new HashSet<>();
    for (int i = 0; i < pointers.size(); i++) {
      Pointer p = pointers.get(i);
      String at = field + "[" + i + "]";
      if (p == null) {
        errors.add(new FieldError(at, "must be an object {type, id}"));
      } else if (p.type() == null || !IDS.containsKey(p.type())) {
        errors.add(
            new FieldError(at + ".type", "must be one of atom, asset, turn, vector, external"));
      } else if (p.id() == null || !IDS.get(p.type()).matcher(p.id()).matches()) {
        errors.add(
            new FieldError(
                at + ".id",
                "must be an id of a " + p.type() + " (" + IDS.get(p.type()).pattern() + ")"));
      } else if (!seen.add(p)) {
        errors.add(new FieldError(at, "is listed twice"));
      } else {
        valid.add(p);
      }
    }
    return List.copyOf(valid);
  }
}
