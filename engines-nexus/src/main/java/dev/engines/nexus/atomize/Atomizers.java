package dev.engines.nexus.atomize;

import dev.engines.core.error.EnginesException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of atomizers, looked up by {@code op_type}. Immutable; one instance serves every
 * tenant (atomizers hold no state).
 *
 * <p>Problem codes raised by this package are the constants below plus {@code validation_failed}.
 */
public final class Atomizers {

  /** 400: no atomizer with the requested {@code op_type} (and {@code op_version}). */
  public static final String UNKNOWN_ATOMIZER = "unknown_atomizer";

  /** 400: text content is not valid UTF-8. */
  public static final String INVALID_ENCODING = "invalid_encoding";

  /** 400: content does not parse as the atomizer's format (JSON, CSV, PDF). */
  public static final String INVALID_CONTENT = "invalid_content";

  private final Map<String, Atomizer> byOpType;

  private Atomizers(List<Atomizer> atomizers) {
    Map<String, Atomizer> map = new LinkedHashMap<>();
    atomizers.stream()
        .sorted(Comparator.comparing(Atomizer::opType))
        .forEach(
            atomizer -> {
              if (map.putIfAbsent(atomizer.opType(), atomizer) != null) {
                throw new IllegalStateException("duplicate atomizer " + atomizer.opType());
              }
            });
    this.byOpType = map;
  }

  /** The built-in atomizers, each at {@code op_version} 1. */
  public static Atomizers standard() {
    return new Atomizers(
        List.of(
            new TextParagraphsAtomizer(),
            new TextLinesAtomizer(),
            new TextWindowAtomizer(),
            new JsonRecordsAtomizer(),
            new CsvRowsAtomizer(),
            new HtmlTextAtomizer(),
            new PdfPagesAtomizer(),
            new MediaSlicesAtomizer()));
  }

  /** The atomizer for {@code opType}, or 400 {@code unknown_atomizer}. */
  public Atomizer get(String opType) {
    Atomizer atomizer = opType == null ? null : byOpType.get(opType);
    if (atomizer == null) {
      throw EnginesException.badRequest(
          UNKNOWN_ATOMIZER, "No atomizer named " + Names.quoted(opType) + ".");
    }
    return atomizer;
  }

  /**
   * The atomizer for {@code opType} at exactly {@code opVersion}, or 400 {@code unknown_atomizer}:
   * used to re-run or verify a stored derivation, which must not silently move to another version.
   */
  public Atomizer get(String opType, String opVersion) {
    Atomizer atomizer = get(opType);
    if (!atomizer.opVersion().equals(opVersion)) {
      throw EnginesException.badRequest(
          UNKNOWN_ATOMIZER,
          "Atomizer " + Names.quoted(opType) + " has no version " + Names.quoted(opVersion) + ".");
    }
    return atomizer;
  }

  /** Every registered atomizer, sorted by {@code op_type}, for the API listing. */
  public List<Atomizer> available() {
    return List.copyOf(byOpType.values());
  }
}
