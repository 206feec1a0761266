package dev.engines.core.pii;

import dev.engines.core.scope.Caller;

/**
 * The PII pipeline as modules below {@code engines-pii} see it: every free text a write path is
 * about to store goes through here first. Implemented by {@code dev.engines.pii.PiiPipeline}.
 */
public interface TextRedactor {

  /**
   * {@code text} as it may be stored in {@code scope}, under the scope's redaction policy and
   * lists; the PII flags go to the request's DatasetEvent.
   *
   * @throws dev.engines.core.error.EnginesException 413 {@code pii_input_too_large} or 503 {@code
   *     pii_unavailable} when the text cannot be vouched for; the caller must not store it then
   */
  String redactForStorage(Caller caller, String text);
}
