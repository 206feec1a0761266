package dev.engines.session;

import dev.engines.core.error.EnginesException;
import dev.engines.core.scope.Caller;

/** Problem codes of the session engine besides the shared ones. */
public final class SessionProblems {

  /**
   * 400: a session route called by a service key without {@code X-User-Id}: sessions belong to
   * users.
   */
  public static final String USER_REQUIRED = "user_required";

  /** 410: the session's TTL has passed; it answers this at once, before the sweep removes it. */
  public static final String SESSION_EXPIRED = "session_expired";

  /** 409: a create named a session id the user already has, with other settings. */
  public static final String SESSION_EXISTS = "session_exists";

  /** 409: the session holds as many turns as its env's slot allows. */
  public static final String TURN_LIMIT_REACHED = "turn_limit_reached";

  /** 409: an append named a {@code seq} that is not the session's next turn (and not a replay). */
  public static final String TURN_SEQ_CONFLICT = "turn_seq_conflict";

  /** 409: the session holds as many blackboard entries as its env's slot allows. */
  public static final String BLACKBOARD_FULL = "blackboard_full";

  /** 413: a blackboard value is larger than its env's slot allows. */
  public static final String VALUE_TOO_LARGE = "value_too_large";

  /** 409: {@code train_ok} was set back to true after it was withdrawn. */
  public static final String TRAIN_OK_WITHDRAWN = "train_ok_withdrawn";

  private SessionProblems() {}

  /**
   * The user whose sessions {@code caller} works on; 400 {@value #USER_REQUIRED} for a service key
   * without one.
   */
  static String user(Caller caller) {
    String user = caller.effectiveUserId();
    if (user == null) {
      throw EnginesException.badRequest(
          USER_REQUIRED,
          "Sessions belong to users: a service key sends X-User-Id"
              + " (with the act-on-behalf grant) to work on that user's sessions.");
    }
    return user;
  }

  static EnginesException sessionNotFound() {
    return EnginesException.notFound("Session");
  }

  static EnginesException expired() {
    return new EnginesException(
        410, SESSION_EXPIRED, "The session's TTL has passed; it can no longer be read or written.");
  }
}
