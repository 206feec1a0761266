package dev.engines.core.error;

/** Stable problem codes shared by several modules. Module-specific codes live beside their use. */
public final class ProblemCodes {
  public static final String VALIDATION_FAILED = "validation_failed";
  public static final String NOT_FOUND = "not_found";
  public static final String TENANT_REQUIRED = "tenant_required";
  public static final String ENV_REQUIRED = "env_required";
  public static final String TENANT_MISMATCH = "tenant_mismatch";
  public static final String ENV_FORBIDDEN = "env_forbidden";
  public static final String FORBIDDEN_ROLE = "forbidden_role";
  public static final String UNAUTHENTICATED = "unauthenticated";
  public static final String CONFIG_MISSING = "config_missing";
  public static final String CONFLICT = "conflict";

  /** 412: an {@code If-Match} (or {@code If-None-Match}) precondition did not hold. */
  public static final String PRECONDITION_FAILED = "precondition_failed";

  public static final String INTERNAL = "internal_error";

  private ProblemCodes() {}
}
