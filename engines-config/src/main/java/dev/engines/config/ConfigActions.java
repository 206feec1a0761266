package dev.engines.config;

/**
 * The action names of the config slot routes ({@code <engine>:<verb>}): what the kill switch
 * disables and strategy locks permit. None is gated by a strategy lock.
 */
public final class ConfigActions {

  public static final String SLOT_GET = "config:slot_get";
  public static final String SLOT_UPDATE = "config:slot_update";
  public static final String SLOT_VERSIONS = "config:slot_versions";

  private ConfigActions() {}
}
