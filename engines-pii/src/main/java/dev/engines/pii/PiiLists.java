package dev.engines.pii;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A tenant's own terms. Terms match exactly (case-sensitive); a term that starts or ends with a
 * letter or digit only matches where it is not glued to another letter or digit, so {@code Ann}
 * does not match inside {@code Annual}.
 *
 * <ul>
 *   <li>{@code deny}: always flagged, as {@code denyType}, with score 1.
 *   <li>{@code allow}: a detector finding whose text equals an allow term is dropped. The allow
 *       list filters detector findings only: a term on both lists is still flagged, failing closed.
 * </ul>
 *
 * Build one per tenant and reuse it; it is immutable.
 *
 * @param allow terms never flagged by the detectors
 * @param deny terms always flagged
 * @param denyType the entity type given to deny-list matches, {@link PiiTypes#DENY_LIST} by
 *     default; upper-case letters, digits and underscores, like the built-in types
 */
public record PiiLists(Set<String> allow, Set<String> deny, String denyType) {

  private static final PiiLists NONE = new PiiLists(Set.of(), Set.of(), PiiTypes.DENY_LIST);

  public PiiLists {
    allow = sortedCopy(allow, "allow");
    deny = sortedCopy(deny, "deny");
    Objects.requireNonNull(denyType, "denyType");
    if (!denyType.matches("[A-Z][A-Z0-9_]{0,63}")) {
      throw new IllegalArgumentException("denyType must match [A-Z][A-Z0-9_]{0,63}.");
    }
  }

  /** Lists with the default deny type. */
  public static PiiLists of(Set<String> allow, Set<String> deny) {
    return new PiiLists(allow, deny, PiiTypes.DENY_LIST);
  }

  /** No allow and no deny terms. */
  public static PiiLists none() {
    return NONE;
  }

  private static Set<String> sortedCopy(Set<String> terms, String name) {
    Objects.requireNonNull(terms, name);
    TreeSet<String> copy = new TreeSet<>();
    for (String term : terms) {
      if (term == null || term.isEmpty()) {
        throw new IllegalArgumentException(name + " terms must not be null or empty.");
      }
      copy.add(term);
    }
    return Collections.unmodifiableSortedSet(copy);
  }
}
