package dev.engines.pii;

import dev.engines.core.error.EnginesException;

/** The problems re-identification answers with; their codes are part of the API. */
public final class PiiTokenProblems {

  /** 400: the token is malformed, altered, or not of this tenant/env/type. */
  public static final String INVALID = "pii_token_invalid";

  /** 410: the token's subject was erased and its key destroyed; the value is gone for good. */
  public static final String SUBJECT_ERASED = "subject_erased";

  private PiiTokenProblems() {}

  /** 400 {@code pii_token_invalid}. */
  public static EnginesException invalid() {
    return EnginesException.badRequest(
        INVALID, "The token is malformed or was not issued for this tenant and environment.");
  }

  /** 410 {@code subject_erased}. */
  public static EnginesException subjectErased() {
    return new EnginesException(
        410,
        SUBJECT_ERASED,
        "The data subject of this token was erased and its key destroyed; the value cannot be recovered.");
  }
}
