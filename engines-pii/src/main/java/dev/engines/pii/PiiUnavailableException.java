package dev.engines.pii;

import dev.engines.core.error.EnginesException;

/**
 * The PII engine could not vouch for a text, so the caller must not store or log it. Two causes,
 * told apart by {@link #status()} and {@link #code()}:
 *
 * <ul>
 *   <li>the input is longer than {@link PiiSettings#maxInputChars()}: status 413, code {@code
 *       pii_input_too_large} (the client can split the input and retry);
 *   <li>analysis overran {@link PiiSettings#timeBudget()}: status 503, code {@code
 *       pii_unavailable}.
 * </ul>
 *
 * The message names only lengths and limits, never any of the text.
 */
public final class PiiUnavailableException extends EnginesException {

  /** Problem code when the time budget is exceeded. */
  public static final String UNAVAILABLE = "pii_unavailable";

  /** Problem code when the input exceeds the size cap. */
  public static final String TOO_LARGE = "pii_input_too_large";

  private PiiUnavailableException(int status, String code, String detail) {
    super(status, code, detail);
  }

  /** The input of {@code length} chars exceeds the cap of {@code max} chars. */
  public static PiiUnavailableException tooLarge(int length, int max) {
    return new PiiUnavailableException(
        413,
        TOO_LARGE,
        "Input of " + length + " chars exceeds the PII size cap of " + max + " chars.");
  }

  /** Analysis took longer than the configured budget of {@code budgetMillis}. */
  public static PiiUnavailableException timedOut(long budgetMillis) {
    return new PiiUnavailableException(
        503, UNAVAILABLE, "PII analysis exceeded its time budget of " + budgetMillis + " ms.");
  }
}
