package dev.engines.pii;

/**
 * The action names of the PII routes ({@code <engine>:<verb>}): what the kill switch disables and
 * strategy locks permit. None is gated by a strategy lock.
 */
public final class PiiActions {

  public static final String ANALYZE = "pii:analyze";
  public static final String LISTS_GET = "pii:lists_get";
  public static final String LISTS_UPDATE = "pii:lists_update";
  public static final String POLICY_GET = "pii:policy_get";
  public static final String POLICY_UPDATE = "pii:policy_update";
  public static final String POLICY_VERSIONS = "pii:policy_versions";
  public static final String REDACT = "pii:redact";
  public static final String REIDENTIFY = "pii:reidentify";

  private PiiActions() {}
}
