package dev.engines.nexus.atomize;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A deterministic, named, versioned operation that turns one artifact's bytes into atom drafts.
 * Implementations are stateless and thread-safe.
 *
 * <p>Memory: streaming atomizers ({@link #readsWholeContent()} false) hold at most one atom's worth
 * of text (plus one window for {@code text.window}). The others read the whole artifact into memory
 * (a parsed JSON tree, an HTML DOM, a PDF), so the caller must cap the content size before calling
 * {@link #atomize}; the atomizer itself applies no cap.
 */
public interface Atomizer {

  /** The stable name, e.g. {@code text.lines}. */
  String opType();

  /** The version of this atomizer's output; any output change ships as a new version. */
  String opVersion();

  /** One sentence on what the atomizer does, for the API listing. */
  String description();

  /** The params it accepts, in listing order. */
  List<ParamSpec> params();

  /** Whether {@link #atomize} buffers the whole content, so the caller must cap its size. */
  boolean readsWholeContent();

  /**
   * Validates raw params (from an API request or from storage) and applies defaults, so the
   * returned derivation — and its {@link Derivation#paramsHash()} — always names every param.
   * Unknown params, missing required ones and bad values fail with 400 {@code validation_failed}
   * naming the param. A param given as {@code null} counts as left out.
   *
   * @param params raw params; {@code null} means none
   */
  Derivation derivation(Map<String, ?> params);

  /**
   * Reads {@code content} and hands each draft to {@code sink} in ordinal order, starting at 0.
   * Drafts are passed on as soon as they are complete, so the caller can store them in batches.
   * Content that is not valid UTF-8 fails with 400 {@code invalid_encoding}; content that does not
   * parse as the atomizer's format fails with 400 {@code invalid_content}. Neither message contains
   * content. The caller owns and closes {@code content}.
   *
   * @param content the artifact's bytes ({@code media.slices} never reads them)
   * @param derivation a derivation this atomizer produced; another one fails with 400 {@code
   *     validation_failed}
   * @param sink receives the drafts; an exception it throws stops the run and propagates
   * @return the number of drafts produced
   * @throws IOException when reading {@code content} fails (not when its bytes are malformed)
   */
  long atomize(InputStream content, Derivation derivation, Consumer<AtomDraft> sink)
      throws IOException;
}
