package dev.engines.pii.gdpr;

/**
 * The action names of the GDPR routes ({@code <engine>:<verb>}): what the kill switch disables and
 * strategy locks permit. None is gated by a strategy lock.
 */
public final class GdprActions {

  public static final String ERASE = "gdpr:erase";
  public static final String EXPORT = "gdpr:export";
  public static final String LEGAL_HOLD_LIST = "gdpr:legal_hold_list";
  public static final String LEGAL_HOLD_GET = "gdpr:legal_hold_get";
  public static final String LEGAL_HOLD_PLACE = "gdpr:legal_hold_place";
  public static final String LEGAL_HOLD_RELEASE = "gdpr:legal_hold_release";
  public static final String RETENTION_LIST = "gdpr:retention_list";
  public static final String RETENTION_RUN = "gdpr:retention_run";
  public static final String RETENTION_UPDATE = "gdpr:retention_update";
  public static final String SUBJECT_LOOKUP = "gdpr:subject_lookup";
  public static final String TENANT_PURGE = "gdpr:tenant_purge";

  private GdprActions() {}
}
