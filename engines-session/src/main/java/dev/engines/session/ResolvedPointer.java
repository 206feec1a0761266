package dev.engines.session;

/**
 * A pointer as its reader found it, under the reader's tenant, env and user.
 *
 * @param ref the pointer
 * @param state {@value #RESOLVED}: {@code target} holds the thing; {@value #NOT_FOUND}: nothing by
 *     that id in the reader's scope (also what another tenant's, env's or user's id reads as);
 *     {@value #DELETED}, {@value #ERASED}, {@value #EXPIRED}: tombstones of a target that is gone;
 *     {@value #EXTERNAL}: a thing outside Engines, returned as given and never resolved
 * @param target the atom, raw asset (metadata), turn or vector (without its embedding) when
 *     resolved, else null
 */
public record ResolvedPointer(Pointer ref, String state, Object target) {

  public static final String RESOLVED = "resolved";
  public static final String NOT_FOUND = "not_found";
  public static final String DELETED = "deleted";
  public static final String ERASED = "erased";
  public static final String EXPIRED = "expired";
  public static final String EXTERNAL = "external";
}
