package dev.engines.gates;

import dev.engines.core.gdpr.ErasureHook;
import dev.engines.core.gdpr.SubjectIdentifiers;
import dev.engines.core.gdpr.SubjectRecord;
import dev.engines.core.scope.Scope;
import java.util.List;
import java.util.Optional;

/**
 * The gates engine in GDPR requests: strategy locks (whose titles and descriptions are free text)
 * and kill switch versions go with a tenant purge, env by env. They are indexed under no data
 * subject (the free text was redacted before it was stored), so subject requests find nothing here.
 */
final class GatesErasure implements ErasureHook {

  private final StrategyLocks locks;
  private final KillSwitchStore killSwitches;

  GatesErasure(StrategyLocks locks, KillSwitchStore killSwitches) {
    this.locks = locks;
    this.killSwitches = killSwitches;
  }

  @Override
  public String recordType() {
    return "gates";
  }

  @Override
  public List<String> find(Scope scope, SubjectIdentifiers subject) {
    return List.of();
  }

  @Override
  public Optional<SubjectRecord> export(Scope scope, String recordId) {
    return Optional.empty();
  }

  @Override
  public boolean erase(Scope scope, String recordId) {
    return false;
  }

  @Override
  public int purgeTenant(Scope scope) {
    return locks.purge(scope) + killSwitches.purge(scope);
  }

  @Override
  public boolean envScoped() {
    return true;
  }
}
