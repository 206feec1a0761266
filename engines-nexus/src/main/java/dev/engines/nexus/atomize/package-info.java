/**
 * Atomizers: deterministic, named, versioned operations that turn the bytes of one raw artifact
 * into atom drafts, each with the span it came from.
 *
 * <p>This package is plumbing (DESIGN §9): an atomizer splits, decodes and renders; it never ranks,
 * summarises, filters by meaning or interprets. Same bytes + same {@link
 * dev.engines.nexus.atomize.Derivation} ⇒ the same drafts in the same order, byte for byte, and so
 * the same {@link dev.engines.nexus.atomize.AtomIds atom ids}. An atomizer's output for a given
 * {@code op_version} is frozen: any change to it (including one caused by a library upgrade, e.g.
 * PDFBox or jsoup) ships as a new {@code op_version}; the exact-output tests catch such changes.
 *
 * <p>Public API: {@link dev.engines.nexus.atomize.Atomizers} (registry), {@link
 * dev.engines.nexus.atomize.Atomizer}, {@link dev.engines.nexus.atomize.Derivation}, {@link
 * dev.engines.nexus.atomize.ParamSpec}, {@link dev.engines.nexus.atomize.AtomDraft}, {@link
 * dev.engines.nexus.atomize.Span} and {@link dev.engines.nexus.atomize.AtomIds}. The atomizer
 * implementations are package-private.
 *
 * <p>The built-in atomizers, all at {@code op_version} 1 (the package-private implementation
 * classes document each rule in full):
 *
 * <ul>
 *   <li>{@code text.lines} — {@code skip_blank} (boolean, default true): one atom per line,
 *       terminator ({@code \n}, {@code \r\n}, {@code \r}) excluded; span line + chars.
 *   <li>{@code text.paragraphs} — {@code min_chars} (1..1,000,000, default 1): runs of non-blank
 *       lines separated by blank ones; shorter paragraphs produce no atom; span chars.
 *   <li>{@code text.window} — {@code size} (2..1,000,000, required), {@code overlap} (default 0,
 *       below size): fixed char windows that never split a surrogate pair; span chars.
 *   <li>{@code json.records} — {@code format} ({@code array}|{@code jsonl}, default array), {@code
 *       pointer} (RFC 6901, default {@code ""}, array only): one canonical-JSON atom per array
 *       element (span json pointer) or per JSON Lines line (span line + chars).
 *   <li>{@code csv.rows} — {@code header} (default true), {@code delimiter} (one char, default
 *       {@code ,}): strict RFC 4180; each data row as a JSON object in column order (header) or a
 *       JSON array of strings; span row + line + chars of the raw record.
 *   <li>{@code html.text} — no params: visible text per block element, scripts and styles dropped;
 *       span element path + chars of the source.
 *   <li>{@code pdf.pages} — no params: PDFBox text per page, trailing whitespace removed, every
 *       page an atom; span page.
 *   <li>{@code media.slices} — {@code duration_ms} (required), {@code slice_ms} (required), {@code
 *       overlap_ms} (default 0, below slice_ms): empty-text atoms with span source start/end ms;
 *       the content is never read.
 * </ul>
 *
 * <p>Text decoding, common to every text kind: content is UTF-8; malformed input fails with 400
 * {@code invalid_encoding}; one leading byte order mark (U+FEFF) is dropped, and every char offset
 * is relative to the decoded text <em>without</em> it. Offsets count UTF-16 code units (Java {@code
 * char}s), end exclusive, so {@code text.substring(start, end)} addresses the source.
 *
 * <p>Canonical JSON, used for {@code json.records} and {@code csv.rows} atom text, {@link
 * dev.engines.nexus.atomize.Derivation#paramsCanonicalJson() params} and {@link
 * dev.engines.nexus.atomize.Span#key() span keys}; written by this package, not by Jackson's
 * serializer, so a library upgrade cannot change ids:
 *
 * <ul>
 *   <li>no whitespace between tokens;
 *   <li>object members sorted by key in UTF-16 code unit order (as RFC 8785), except CSV rows,
 *       whose members keep the header's column order;
 *   <li>strings: {@code "} and {@code \} escaped, control chars below U+0020 as {@code <p>} or
 *       {@code \}{@code u00xx} (lowercase hex), lone surrogates as {@code \}{@code uxxxx};
 *       everything else, non-ASCII included, written as is;
 *   <li>numbers: exact decimal value (never rounded through a double), trailing zeros stripped; an
 *       integer value of at most 21 digits in plain notation ({@code 1.0}, {@code 1e0} and {@code
 *       1} all give {@code 1}); anything else as {@link java.math.BigDecimal#toString()} ({@code
 *       2.5E-7}, {@code 1E+24});
 *   <li>{@code true}, {@code false}, {@code null} as is.
 * </ul>
 *
 * <p>This is RFC 8785 (JCS) for key order, strings and literals, not for numbers: JCS writes an
 * exponent as {@code e} and rounds every number to an IEEE-754 double first; here the exponent is
 * {@code E} and digits are never rounded. Ids depend on these bytes, so the difference stays (ADR
 * 0015; {@code CanonicalJsonRfc8785Tests} runs the RFC's vectors).
 */
package dev.engines.nexus.atomize;
