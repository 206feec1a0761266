package dev.engines.nexus.atomize;

import dev.engines.core.error.EnginesException;
import dev.engines.core.ids.Ids;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What produced a set of atoms: the atomizer's {@code op_type} and {@code op_version} plus its
 * canonical params. Two derivations are equal exactly when they produce the same atoms from the
 * same bytes, which is why defaults are written into {@link #params()} rather than left implicit.
 *
 * <p>Obtain one from {@link Atomizer#derivation(Map)}, which validates the params against the
 * atomizer's schema and applies defaults; this constructor only checks the canonical shape (sorted
 * keys, simple values), and {@link Atomizer#atomize} refuses a derivation its atomizer would not
 * have produced.
 *
 * @param opType the atomizer name, e.g. {@code text.lines}
 * @param opVersion the atomizer version, a positive decimal integer such as {@code 1}
 * @param params canonical params: keys sorted, values {@link String}, {@link Boolean} or {@link
 *     Long}
 */
public record Derivation(String opType, String opVersion, Map<String, Object> params) {

  private static final Pattern OP_TYPE = Pattern.compile("^[a-z][a-z0-9]*(\\.[a-z][a-z0-9_]*)+$");
  private static final Pattern OP_VERSION = Pattern.compile("^[1-9][0-9]{0,8}$");
  private static final Pattern PARAM_NAME = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");

  /** Checks the canonical shape and keeps the params as an unmodifiable map sorted by key. */
  public Derivation {
    if (opType == null || !OP_TYPE.matcher(opType).matches()) {
      throw EnginesException.validation("op_type must look like 'kind.name' (lowercase).");
    }
    if (opVersion == null || !OP_VERSION.matcher(opVersion).matches()) {
      throw EnginesException.validation("op_version must be a positive decimal integer.");
    }
    Objects.requireNonNull(params, "params");
    TreeMap<String, Object> sorted = new TreeMap<>();
    for (Map.Entry<String, Object> entry : params.entrySet()) {
      String name = entry.getKey();
      if (name == null || !PARAM_NAME.matcher(name).matches()) {
        throw EnginesException.validation(
            "Param names must match ^[a-z][a-z0-9_]*$ (at most 64 characters).");
      }
      Object value = entry.getValue();
      if (!(value instanceof String || value instanceof Boolean || value instanceof Long)) {
        throw EnginesException.validation(
            "Param '" + name + "' must be a string, boolean or long in canonical form.");
      }
      sorted.put(name, value);
    }
    params = Collections.unmodifiableSortedMap(sorted);
  }

  /**
   * The params as compact JSON with keys in ascending order and no whitespace, e.g. {@code
   * {"overlap":0,"size":500}}, following the canonical JSON rules in the package documentation;
   * this is the exact input of {@link #paramsHash()}.
   */
  public String paramsCanonicalJson() {
    return CanonicalJson.params(params);
  }

  /** Hex SHA-256 of {@link #paramsCanonicalJson()} in UTF-8. */
  public String paramsHash() {
    return Ids.sha256Hex(paramsCanonicalJson());
  }
}
