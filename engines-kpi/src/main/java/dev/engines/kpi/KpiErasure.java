package dev.engines.kpi;

import dev.engines.core.gdpr.ErasureHook;
import dev.engines.core.gdpr.SubjectIdentifiers;
import dev.engines.core.gdpr.SubjectRecord;
import dev.engines.core.scope.Scope;
import java.util.List;
import java.util.Optional;

/**
 * The KPI engine in GDPR requests: definitions (whose descriptions are free text), corridors,
 * Temperature configuration, observations and kept snapshots go with a tenant purge, env by env.
 * They are indexed under no data subject (free text was redacted before it was stored), so subject
 * requests find nothing here.
 */
final class KpiErasure implements ErasureHook {

  private final Kpis kpis;
  private final Temperatures temperatures;
  private final Observations observations;

  KpiErasure(Kpis kpis, Temperatures temperatures, Observations observations) {
    this.kpis = kpis;
    this.temperatures = temperatures;
    this.observations = observations;
  }

  @Override
  public String recordType() {
    return "kpi";
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
    return temperatures.purge(scope) + observations.purge(scope) + kpis.purge(scope);
  }

  @Override
  public boolean envScoped() {
    return true;
  }
}
