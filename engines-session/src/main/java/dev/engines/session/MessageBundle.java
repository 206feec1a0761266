package dev.engines.session;

import java.time.Instant;
import java.util.List;

/**
 * Pointers forwarded from one session to another of the same user, tenant and env; it lives in the
 * receiving session's inbox.
 *
 * @param bundleId keyed and content-addressed: forwarding the same pointers between the same
 *     sessions again is the same bundle
 */
public record MessageBundle(
    String bundleId,
    String fromSessionId,
    String toSessionId,
    List<Pointer> refs,
    Instant createdAt,
    String createdBy) {

  public MessageBundle {
    refs = List.copyOf(refs);
  }
}
