package dev.engines.core.version;

import dev.engines.core.error.EnginesException;
import dev.engines.core.error.ProblemCodes;
import java.util.LinkedHashSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The conditions a client puts on a write to a versioned resource (RFC 9110 §13.1.1–2), checked
 * against the version the resource has when the write runs. A version travels as a strong entity
 * tag, {@code "<version>"} ({@link #etag}).
 *
 * <p>Versions count writes from 1; {@code "0"} names the state before the first write, so a
 * resource that reads as version 0 (a kill switch never set) or does not exist yet (a config slot
 * never set) matches {@code If-Match: "0"}: "only if nobody wrote it yet".
 *
 * <ul>
 *   <li>{@code If-Match: "3"} (or a list): the write happens only while the resource is at one of
 *       those versions. Comparison is strong, so a weak tag ({@code W/"3"}) never matches: a write
 *       must not rest on a version that only means "equivalent".
 *   <li>{@code If-Match: *}: only while the resource exists.
 *   <li>{@code If-None-Match: *}: only while it does not exist (create, never overwrite); with
 *       tags, only while it is at none of them (weak comparison).
 * </ul>
 *
 * A condition that does not hold answers 412 {@value ProblemCodes#PRECONDITION_FAILED} and writes
 * nothing; a header that is no list of entity tags answers 400.
 */
public final class Preconditions {

  /** No condition: the write happens whatever the current version. */
  public static final Preconditions NONE = new Preconditions(null, null);

  private static final Pattern TAG = Pattern.compile("\\s*(W/)?\"([\\x21\\x23-\\x7e]*)\"\\s*");
  private static final Pattern VERSION = Pattern.compile("^(?:0|[1-9][0-9]{0,17})$");

  private final Condition ifMatch;
  private final Condition ifNoneMatch;

  private Preconditions(Condition ifMatch, Condition ifNoneMatch) {
    this.ifMatch = ifMatch;
    this.ifNoneMatch = ifNoneMatch;
  }

  /** One header: {@code *}, or the versions named by its strong and its weak tags. */
  private record Condition(boolean any, Set<Long> strong, Set<Long> weak) {}

  /**
   * The conditions of {@code If-Match} and {@code If-None-Match} as sent (null: absent).
   *
   * @throws EnginesException 400 {@code validation_failed} for a header that is neither {@code *}
   *     nor a comma-separated list of quoted entity tags
   */
  public static Preconditions of(String ifMatch, String ifNoneMatch) {
    return new Preconditions(parse("If-Match", ifMatch), parse("If-None-Match", ifNoneMatch));
  }

  /** The strong entity tag of {@code version}. */
  public static String etag(long version) {
    return "\"" + version + "\"";
  }

  /** Whether any condition was sent. */
  public boolean present() {
    return ifMatch != null || ifNoneMatch != null;
  }

  /**
   * Checks the conditions against a resource whose version 0 means "never written" and which exists
   * in no other sense before its first write (a config slot, a KPI, a corridor).
   *
   * @param current the version now; 0 when it was never written (or was deleted)
   * @param what the resource, for the problem's detail
   * @throws EnginesException 412 {@value ProblemCodes#PRECONDITION_FAILED} when a condition does
   *     not hold
   */
  public void check(long current, String what) {
    check(current == 0 ? OptionalLong.empty() : OptionalLong.of(current), what);
  }

  /**
   * Checks the conditions against the resource's current version.
   *
   * @param current the version now (0 for a resource that reads as "never written", such as a kill
   *     switch never set), or empty when the resource does not exist
   * @param what the resource, for the problem's detail (e.g. {@code "The blackboard entry"})
   * @throws EnginesException 412 {@value ProblemCodes#PRECONDITION_FAILED} when a condition does
   *     not hold
   */
  public void check(OptionalLong current, String what) {
    if (ifMatch != null) {
      boolean holds =
          current.isPresent()
              ? ifMatch.any() || ifMatch.strong().contains(current.getAsLong())
              : ifMatch.strong().contains(0L);
      if (!holds) {
        throw failed(
            what
                + (current.isPresent()
                    ? " is at version "
                        + etag(current.getAsLong())
                        + ", which If-Match does not name"
                        + (ifMatch.strong().isEmpty() && !ifMatch.weak().isEmpty()
                            ? " (weak tags never match a write)"
                            : "")
                    : " does not exist")
                + "; read it again and retry.");
      }
    }
    if (ifNoneMatch != null && current.isPresent()) {
      long version = current.getAsLong();
      if (ifNoneMatch.any()
          || ifNoneMatch.strong().contains(version)
          || ifNoneMatch.weak().contains(version)) {
        throw failed(
            what
                + " already exists at version "
                + etag(version)
                + ", which If-None-Match excludes.");
      }
    }
  }

  private static EnginesException failed(String detail) {
    return new EnginesException(412, ProblemCodes.PRECONDITION_FAILED, detail);
  }

  private static Condition parse(String header, String value) {
    if (value == null) {
      return null;
    }
    if (value.trim().equals("*")) {
      return new Condition(true, Set.of(), Set.of());
    }
    Set<Long> strong = new LinkedHashSet<>();
    Set<Long> weak = new LinkedHashSet<>();
    // The tags this API issues are digits; a foreign tag with a comma inside splits into parts
    // that are no tags, and is refused as malformed rather than parsed in full.
    String[] parts = value.split(",", -1);
    if (value.isBlank() || parts.length > 64) {
      throw invalid(header);
    }
    for (String part : parts) {
      Matcher m = TAG.matcher(part);
      if (!m.matches()) {
        throw invalid(header);
      }
      // A well-formed tag this API never issued names no version: it simply matches nothing.
      if (VERSION.matcher(m.group(2)).matches()) {
        (m.group(1) == null ? strong : weak).add(Long.parseLong(m.group(2)));
      }
    }
    return new Condition(false, Set.copyOf(strong), Set.copyOf(weak));
  }

  private static EnginesException invalid(String header) {
    return EnginesException.validation(
        header
            + " must be * or a list of entity tags as this API issues them in ETag,"
            + " e.g. \"3\".");
  }
}
