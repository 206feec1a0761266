package dev.engines.tenant;

/**
 * The action names of the tenant routes ({@code <engine>:<verb>}): what the kill switch disables
 * and strategy locks permit. None is gated by a strategy lock.
 */
public final class TenantActions {

  public static final String API_KEY_CREATE = "tenant:api_key_create";
  public static final String API_KEY_GET = "tenant:api_key_get";
  public static final String API_KEY_LIST = "tenant:api_key_list";
  public static final String API_KEY_REVOKE = "tenant:api_key_revoke";
  public static final String API_KEY_ROTATE = "tenant:api_key_rotate";
  public static final String ME_GET = "tenant:me_get";
  public static final String TENANT_GET = "tenant:tenant_get";
  public static final String USER_CREATE = "tenant:user_create";
  public static final String USER_DEACTIVATE = "tenant:user_deactivate";
  public static final String USER_GET = "tenant:user_get";
  public static final String USER_LIST = "tenant:user_list";
  public static final String USER_REACTIVATE = "tenant:user_reactivate";
  public static final String USER_REMOVE = "tenant:user_remove";
  public static final String USER_ROLE_CHANGE = "tenant:user_role_change";

  private TenantActions() {}
}
