package dev.engines.api.web;

import dev.engines.gates.StrategyLocks;
import dev.engines.kpi.TemperatureConfig;
import dev.engines.pii.Operator;
import dev.engines.session.Sessions;
import dev.engines.vector.Metric;
import io.swagger.v3.oas.models.media.Schema;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The closed sets an engine keeps as plain strings (a lock's scope, a vector metric, a PII
 * operator…), written into the schemas that carry them, so a generated client offers exactly the
 * values the engine accepts. Read from the engines' own constants: a new value reaches the document
 * by itself. Each entry names its schema and property; {@code OpenApiDocumentIntegrationTests}
 * fails when one of them no longer exists, instead of the enum silently disappearing.
 */
final class EngineClosedSets {

  /**
   * A property of a schema, and the values it takes. {@code mapValues}: the values of a map
   * property.
   */
  record Entry(String schema, String property, boolean mapValues, List<String> values) {}

  static final List<Entry> ENTRIES = entries();

  private EngineClosedSets() {}

  private static List<Entry> entries() {
    List<String> turnRoles = sorted(Sessions.ROLES);
    List<String> scopes = sorted(StrategyLocks.SCOPES);
    List<String> sources = sorted(TemperatureConfig.SOURCES);
    List<String> metrics = Arrays.stream(Metric.values()).map(Metric::wire).toList();
    List<String> operators =
        Arrays.stream(Operator.values()).map(o -> o.name().toLowerCase(Locale.ROOT)).toList();
    return List.of(
        new Entry("AppendTurn", "role", false, turnRoles),
        new Entry("Turn", "role", false, turnRoles),
        new Entry("LockBody", "scope", false, scopes),
        new Entry("StrategyLock", "scope", false, scopes),
        new Entry("StrategyLock", "status", false, sorted(StrategyLocks.STATUSES)),
        new Entry("WeightsBody", "source", false, sources),
        new Entry("Weights", "source", false, sources),
        new Entry("VectorSpaceBody", "metric", false, metrics),
        new Entry("VectorSpace", "metric", false, metrics),
        new Entry("VectorSearchResult", "metric", false, metrics),
        new Entry("PolicyBody", "default_operator", false, operators),
        new Entry("PolicyView", "default_operator", false, operators),
        new Entry("PolicyBody", "operators", true, operators),
        new Entry("PolicyView", "operators", true, operators));
  }

  /**
   * Writes every entry's values into {@code schemas}; entries whose schema or property is absent
   * are skipped.
   */
  @SuppressWarnings({"rawtypes", "unchecked"}) // swagger-models' maps hold raw Schema
  static void apply(Map<String, Schema> schemas) {
    for (Entry entry : ENTRIES) {
      Schema schema = schemas.get(entry.schema());
      Schema property =
          schema == null || schema.getProperties() == null
              ? null
              : (Schema) schema.getProperties().get(entry.property());
      if (property == null) {
        continue;
      }
      Schema target = entry.mapValues() ? (Schema) property.getAdditionalProperties() : property;
      if (target != null) {
        target.setEnum(entry.values());
      }
    }
  }

  private static List<String> sorted(Collection<String> values) {
    return values.stream().sorted().toList();
  }
}
