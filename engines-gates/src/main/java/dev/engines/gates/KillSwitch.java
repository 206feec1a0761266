package dev.engines.gates;

import java.time.Instant;
import java.util.List;

/**
 * A tenant/env's kill switch as it stands: the actions and providers it disables. Version 0 is the
 * switch of an env that never set one: nothing disabled.
 *
 * @param disabledActions action names refused with 403 {@code kill_switch_blocked}, sorted
 * @param disabledProviders providers refused likewise where Engines calls them itself (the raw
 *     storage backends {@code filesystem}, {@code s3}, {@code gcs}); other names are kept for the
 *     callers that read the switch, sorted
 * @param updatedAt when this version was written; null for version 0
 * @param updatedBy the actor id that wrote it; null for version 0
 */
public record KillSwitch(
    int version,
    List<String> disabledActions,
    List<String> disabledProviders,
    Instant updatedAt,
    String updatedBy) {

  /** The switch of an env that never set one. */
  static final KillSwitch NONE = new KillSwitch(0, List.of(), List.of(), null, null);

  public KillSwitch {
    disabledActions = List.copyOf(disabledActions);
    disabledProviders = List.copyOf(disabledProviders);
  }
}
