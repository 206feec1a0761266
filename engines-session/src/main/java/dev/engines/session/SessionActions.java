package dev.engines.session;

/**
 * The action names of the session routes ({@code <engine>:<verb>}): what the kill switch disables
 * and strategy locks permit. None of them is gated by a strategy lock: sessions are the user's own
 * working data.
 */
public final class SessionActions {

  public static final String CREATE = "session:create";
  public static final String LIST = "session:list";
  public static final String GET = "session:get";
  public static final String UPDATE = "session:update";
  public static final String DELETE = "session:delete";
  public static final String TURN_APPEND = "session:turn_append";
  public static final String TURN_LIST = "session:turn_list";
  public static final String TURN_GET = "session:turn_get";
  public static final String MEMORY_PUT = "session:memory_put";
  public static final String MEMORY_GET = "session:memory_get";
  public static final String BLACKBOARD_PUT = "session:blackboard_put";
  public static final String BLACKBOARD_GET = "session:blackboard_get";
  public static final String BLACKBOARD_DELETE = "session:blackboard_delete";
  public static final String BLACKBOARD_LIST = "session:blackboard_list";
  public static final String BUNDLE_FORWARD = "session:bundle_forward";
  public static final String INBOX_LIST = "session:inbox_list";
  public static final String INBOX_GET = "session:inbox_get";

  private SessionActions() {}
}
