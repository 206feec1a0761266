package dev.engines.core.gdpr;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What identifies a data subject in a GDPR request, normalised: {@code email} lower-cased, {@code
 * phone} reduced to {@code +} and digits. The values are personal data: they live only in memory
 * for the duration of one request and are never stored, logged or put in events or audit entries
 * (the subject's HMAC pseudonym is).
 *
 * @param values identifier kind ({@code email}, {@code phone}) → normalised value
 */
public record SubjectIdentifiers(SortedMap<String, String> values) {

  public SubjectIdentifiers {
    values =
        Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(values, "values")));
  }

  private static final Pattern NOT_DIGITS = Pattern.compile("[^0-9]");

  /**
   * Normalises raw identifiers; unknown kinds and blank values are refused with an {@link
   * IllegalArgumentException}.
   */
  public static SubjectIdentifiers of(Map<String, String> raw) {
    TreeMap<String, String> normalised = new TreeMap<>();
    raw.forEach(
        (kind, value) -> {
          if (value == null || value.isBlank() || value.length() > 320) {
            throw new IllegalArgumentException("identifier values are 1 to 320 chars");
          }
          switch (kind) {
            case "email" -> normalised.put(kind, value.trim().toLowerCase(Locale.ROOT));
            case "phone" -> {
              String digits = NOT_DIGITS.matcher(value).replaceAll("");
              if (digits.isEmpty()) {
                // Without digits every such value would be one and the same subject.
                throw new IllegalArgumentException("a phone identifier holds digits");
              }
              normalised.put(kind, (value.trim().startsWith("+") ? "+" : "") + digits);
            }
            default -> throw new IllegalArgumentException("identifier kinds are email and phone");
          }
        });
    if (normalised.isEmpty()) {
      throw new IllegalArgumentException("at least one identifier is required");
    }
    return new SubjectIdentifiers(normalised);
  }

  /** The value of one kind, or null. */
  public String get(String kind) {
    return values.get(kind);
  }

  @Override
  public String toString() {
    return "SubjectIdentifiers" + values.keySet();
  }
}
