/**
 * Atomizers: deterministic, named, versioned operations that turn the bytes of one raw artifact into
 * atom drafts, each with the span it came from.
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
 * <p>Text decoding, common to every text kind: content is UTF-8; malformed input fails with 400
 * {@code invalid_encoding}; one leading byte order mark (U+FEFF) is dropped, and every char offset is
 * relative to the decoded text <em>without</em> it. Offsets count UTF-16 code units (Java {@code
 * char}s), end exclusive, so {@code text.substring(start, end)} addresses the source.
 */
package dev.engines.nexus.atomize;
