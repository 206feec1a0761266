package dev.engines.gates;

import dev.engines.core.error.EnginesException;
import dev.engines.core.quota.Quotas;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.ledger.DatasetEvent;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.RefType;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The quotas on what an env holds ({@link Quotas}): the limit in force is the env's {@code gates}
 * slot value under {@code quotas}, within the deployment's {@link GatesSettings}; the total is the
 * env's row of {@code usage_totals}, which triggers on the owners' tables keep (V65, V66, V67).
 * Unlimited resources take no lock at all.
 */
final class ResourceQuotas implements Quotas {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<Map<String, Object>> SETTINGS = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final GatesSettings settings;
  private final EventRecorder events;

  ResourceQuotas(JdbcClient jdbc, GatesSettings settings, EventRecorder events) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.events = Objects.requireNonNull(events, "events");
  }

  @Override
  public void reserve(Caller caller, Resource resource, long amount) {
    Scope scope = caller.scope();
    String name = resource.wire();
    Long limit =
        settings
            .limit(GatesSlotRules.QUOTAS, name)
            .effective(slot(jdbc, scope).get(GatesSlotRules.QUOTAS, name));
    if (limit == null || amount <= 0) {
      return;
    }
    jdbc.sql(
            "INSERT INTO usage_totals (tenant_id, env, meter, used) VALUES (:t, :e, :meter, 0) ON CONFLICT DO NOTHING")
        .param("t", scope.tenantId())
        .param("e", scope.env().wire())
        .param("meter", name)
        .update();
    // The row lock orders this env's writers of the resource until their transactions end; each
    // then
    // reads the total the previous one's triggers left.
    long used =
        jdbc.sql(
                "SELECT used FROM usage_totals WHERE tenant_id = :t AND env = :e AND meter = :meter FOR UPDATE")
            .param("t", scope.tenantId())
            .param("e", scope.env().wire())
            .param("meter", name)
            .query(BigDecimal.class)
            .single()
            .longValue();
    String gate = "quota/" + name;
    List<DatasetEvent.Ref> refs = List.of(new DatasetEvent.Ref(RefType.GATE, gate));
    if (used + amount > limit) {
      events.input(caller, RefType.GATE, gate);
      events.related(
          caller, GateChain.SURFACE, GateChain.DECISION, GateRefusal.QUOTA_EXCEEDED, refs);
      throw new EnginesException(
          429,
          GateRefusal.QUOTA_EXCEEDED,
          "The quota "
              + name
              + " ("
              + limit
              + ") has "
              + (limit - used)
              + " left; this request needs "
              + amount
              + ".");
    }
    double threshold = limit * GateChain.WARNING_PERCENT / 100.0;
    if (used < threshold && used + amount >= threshold) {
      events.related(caller, GateChain.SURFACE, GateChain.USAGE_WARNING, null, refs);
    }
  }

  /** The limits of the env's stored gates slot, inside a transaction bound to {@code scope}. */
  static GatesSlotRules.Limits slot(JdbcClient jdbc, Scope scope) {
    String stored =
        jdbc.sql(
                "SELECT settings::text FROM env_config WHERE tenant_id = :t AND env = :e AND slot = :slot"
                    + " ORDER BY version DESC LIMIT 1")
            .param("t", scope.tenantId())
            .param("e", scope.env().wire())
            .param("slot", GatesSlotRules.SLOT)
            .query(String.class)
            .optional()
            .orElse(null);
    return GatesSlotRules.limits(stored == null ? null : JSON.readValue(stored, SETTINGS));
  }
}
