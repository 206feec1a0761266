package dev.engines.pii;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How a {@link PiiEngine} detects. Invalid settings throw from the constructor, so a bad
 * configuration fails at startup rather than on the first request.
 *
 * @param phoneRegions ISO 3166 region codes (for example {@code US}, {@code GB}) whose national
 *     number formats the phone detector accepts; numbers written with a leading {@code +} are found
 *     whatever the regions. Each must be a region libphonenumber knows.
 * @param maxInputChars the largest input, in chars, that is analysed; a longer one is refused with
 *     {@link PiiUnavailableException} (413, {@code pii_input_too_large}).
 * @param timeBudget the longest one analysis may take; past it the call fails with {@link
 *     PiiUnavailableException} (503, {@code pii_unavailable}). Matching is linear, so the budget is
 *     a backstop, not a tuning knob.
 */
public record PiiSettings(List<String> phoneRegions, int maxInputChars, Duration timeBudget) {

  /** Default size cap: 1 MiB of chars. */
  public static final int DEFAULT_MAX_INPUT_CHARS = 1 << 20;

  /** Default time budget, generous for 1 MiB at the engine's throughput. */
  public static final Duration DEFAULT_TIME_BUDGET = Duration.ofSeconds(2);

  /**
   * Default phone regions: Presidio's defaults ({@code US, UK, DE, FE, IL, IN, CA, BR}) with its
   * two invalid codes corrected to {@code GB} and {@code FR}.
   */
  public static final List<String> DEFAULT_PHONE_REGIONS =
      List.of("US", "GB", "DE", "FR", "IL", "IN", "CA", "BR");

  public PiiSettings {
    Objects.requireNonNull(phoneRegions, "phoneRegions");
    Objects.requireNonNull(timeBudget, "timeBudget");
    Set<String> supported = PhoneNumberUtil.getInstance().getSupportedRegions();
    List<String> regions =
        phoneRegions.stream()
            .map(r -> Objects.requireNonNull(r, "phone region").trim().toUpperCase(Locale.ROOT))
            .distinct()
            .toList();
    for (String region : regions) {
      if (!supported.contains(region)) {
        throw new IllegalArgumentException("Unknown phone region '" + region + "'.");
      }
    }
    if (maxInputChars < 1) {
      throw new IllegalArgumentException("maxInputChars must be positive.");
    }
    if (timeBudget.isNegative() || timeBudget.isZero()) {
      throw new IllegalArgumentException("timeBudget must be positive.");
    }
    phoneRegions = regions;
  }

  /** The defaults: {@link #DEFAULT_PHONE_REGIONS}, 1 MiB chars, 2 s. */
  public static PiiSettings defaults() {
    return new PiiSettings(DEFAULT_PHONE_REGIONS, DEFAULT_MAX_INPUT_CHARS, DEFAULT_TIME_BUDGET);
  }

  /** These settings with other phone regions. */
  public PiiSettings withPhoneRegions(List<String> regions) {
    return new PiiSettings(regions, maxInputChars, timeBudget);
  }

  /** These settings with another size cap. */
  public PiiSettings withMaxInputChars(int max) {
    return new PiiSettings(phoneRegions, max, timeBudget);
  }

  /** These settings with another time budget. */
  public PiiSettings withTimeBudget(Duration budget) {
    return new PiiSettings(phoneRegions, maxInputChars, budget);
  }
}
