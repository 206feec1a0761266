package dev.engines.api.web;

import dev.engines.core.error.EnginesException;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Versions as entity tags, for every versioned resource: a read answers {@code ETag: "<version>"}
 * and a write may send it back as {@code If-Match} ({@code "0"}: only if never written) to fail with
 * 409 {@code version_conflict} when someone else wrote in between.
 */
public final class ETags {

  private static final Pattern ETAG = Pattern.compile("^(?:W/)?\"?([0-9]{1,9})\"?$");

  private ETags() {}

  /** The entity tag of {@code version}. */
  public static String of(int version) {
    return "\"" + version + "\"";
  }

  /**
   * The version an {@code If-Match} header names; empty without the header.
   *
   * @throws EnginesException 400 {@code validation_failed} for a tag this API never issued
   */
  public static OptionalInt expected(String ifMatch) {
    if (ifMatch == null) {
      return OptionalInt.empty();
    }
    Matcher m = ETAG.matcher(ifMatch.trim());
    if (!m.matches()) {
      throw EnginesException.validation("If-Match must be a version this API issued as an ETag, e.g. \"3\" (\"0\": none yet).");
    }
    return OptionalInt.of(Integer.parseInt(m.group(1)));
  }
}
