package dev.engines.vector;

import dev.engines.core.error.EnginesException;

/** Problem codes of the vector engine besides the shared ones. */
public final class VectorProblems {

  /** 409: a space with this name exists in the env with another dimension, metric or model. */
  public static final String SPACE_EXISTS = "space_exists";

  /**
   * 409: the route needs a built-in model and the space's embeddings come from the caller (or the
   * reverse).
   */
  public static final String MODEL_MISMATCH = "model_mismatch";

  private VectorProblems() {}

  static EnginesException spaceNotFound() {
    return EnginesException.notFound("Vector space");
  }

  static EnginesException vectorNotFound() {
    return EnginesException.notFound("Vector");
  }
}
