package dev.engines.vector;

/**
 * The action names of the vector engine's routes, for the gates: the kill switch disables routes by
 * them, and {@link #INGEST} is the one a strategy lock permits when the env's {@code vector} slot
 * gates ingestion.
 */
public final class VectorActions {

  public static final String SPACE_CREATE = "vector:space_create";
  public static final String SPACE_LIST = "vector:space_list";
  public static final String SPACE_GET = "vector:space_get";
  public static final String SPACE_DELETE = "vector:space_delete";

  /** Upserting vectors and embedding a derivation's atoms; gated when the env's slot says so. */
  public static final String INGEST = "vector:ingest";

  public static final String GET = "vector:get";
  public static final String DELETE = "vector:delete";
  public static final String SEARCH = "vector:search";

  private VectorActions() {}
}
