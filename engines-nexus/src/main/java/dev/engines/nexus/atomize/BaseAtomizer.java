package dev.engines.nexus.atomize;

import dev.engines.core.error.EnginesException;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Shared param handling and ordinal numbering, so every atomizer validates, defaults and numbers
 * its drafts the same way.
 */
abstract class BaseAtomizer implements Atomizer {

  /** All built-in atomizers are at their first output version. */
  static final String VERSION_1 = "1";

  private final String opType;
  private final String description;
  private final List<ParamSpec> params;

  BaseAtomizer(String opType, String description, List<ParamSpec> params) {
    this.opType = opType;
    this.description = description;
    this.params = List.copyOf(params);
  }

  @Override
  public final String opType() {
    return opType;
  }

  @Override
  public String opVersion() {
    return VERSION_1;
  }

  @Override
  public final String description() {
    return description;
  }

  @Override
  public final List<ParamSpec> params() {
    return params;
  }

  @Override
  public boolean readsWholeContent() {
    return false;
  }

  @Override
  public final Derivation derivation(Map<String, ?> raw) {
    Map<String, ?> given = raw == null ? Map.of() : raw;
    for (String name : given.keySet()) {
      if (params.stream().noneMatch(spec -> spec.name().equals(name))) {
        throw EnginesException.validation(
            "Unknown param " + Names.quoted(name) + " for " + opType + ".");
      }
    }
    Map<String, Object> canonical = new HashMap<>();
    for (ParamSpec spec : params) {
      Object value = given.get(spec.name());
      if (value == null) {
        if (spec.required()) {
          throw EnginesException.validation(
              "Param '" + spec.name() + "' is required for " + opType + ".");
        }
        value = spec.defaultValue();
      }
      canonical.put(spec.name(), spec.normalise(value));
    }
    checkTogether(canonical);
    return new Derivation(opType, opVersion(), canonical);
  }

  /** Cross-param rules (e.g. overlap below size); throws 400 {@code validation_failed}. */
  void checkTogether(Map<String, Object> params) {}

  @Override
  public final long atomize(InputStream content, Derivation derivation, Consumer<AtomDraft> sink)
      throws IOException {
    if (!derivation.equals(derivation(derivation.params()))) {
      throw EnginesException.validation(
          "The derivation was not produced by " + opType + " version " + opVersion() + ".");
    }
    Emitter emitter = new Emitter(sink);
    run(content, derivation.params(), emitter);
    return emitter.count;
  }

  /** Produces the drafts; {@code params} are canonical (validated, defaults applied). */
  abstract void run(InputStream content, Map<String, Object> params, Emitter emitter)
      throws IOException;

  /** Numbers drafts 0, 1, 2, … in the order they are emitted. */
  static final class Emitter {
    private final Consumer<AtomDraft> sink;
    private long count;

    Emitter(Consumer<AtomDraft> sink) {
      this.sink = sink;
    }

    void emit(String text, Span span) {
      sink.accept(new AtomDraft(count++, text, span));
    }
  }

  static long longParam(Map<String, Object> params, String name) {
    return (Long) params.get(name);
  }

  static boolean boolParam(Map<String, Object> params, String name) {
    return (Boolean) params.get(name);
  }

  static String stringParam(Map<String, Object> params, String name) {
    return (String) params.get(name);
  }
}
