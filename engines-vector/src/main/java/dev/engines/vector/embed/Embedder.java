package dev.engines.vector.embed;

/**
 * A built-in sentence-embedding model that runs in-process: no network, nothing downloaded. The
 * same text gives the same vector, bit for bit, on a machine.
 */
public interface Embedder {

  /** The model id vector spaces name, e.g. {@code all-minilm-l6-v2-q}. */
  String model();

  /** The length of every vector it returns. */
  int dimension();

  /** The embedding of {@code text}, L2-normalised. */
  float[] embed(String text);
}
