package dev.engines.pii;

/**
 * How {@link Operator#MASK} masks: {@code charsToMask} chars of the value (all of them when the
 * value is shorter) are replaced by {@code maskChar}, counted from the end when {@code fromEnd}, so
 * {@code ('*', 4, true)} turns {@code 4111111111111111} into {@code 411111111111****}.
 *
 * @param maskChar the replacement char
 * @param charsToMask how many chars to mask, at least 1
 * @param fromEnd mask the last chars instead of the first
 */
public record MaskSettings(char maskChar, int charsToMask, boolean fromEnd) {

  public MaskSettings {
    if (charsToMask < 1) {
      throw new IllegalArgumentException("charsToMask must be at least 1.");
    }
  }

  /** Masks every char with {@code *}. */
  public static MaskSettings all() {
    return new MaskSettings('*', Integer.MAX_VALUE, false);
  }
}
