package dev.engines.ledger.internal;

import dev.engines.ledger.DatasetEvent;
import dev.engines.ledger.LedgerSink;
import dev.engines.ledger.RefType;
import dev.engines.core.scope.Scope;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes lineage to an OpenLineage HTTP endpoint (Marquez-compatible {@code /api/v1/lineage}):
 * raw-artifact lifecycle as OpenLineage DatasetEvents, derivations as RunEvents. Other ledger
 * events carry no lineage and are acknowledged without a request. Datasets are named
 * {@code <kind>/<id>} in the namespace {@code engines/<tenant>/<env>}; a RunEvent's run id is a
 * name-based UUID of the ledger event id, so a resent batch produces the same events.
 */
final class OpenLineageSink implements LedgerSink {

  static final String PRODUCER = "https://engines.dev/ledger-relay";
  private static final String SPEC = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final URI endpoint;
  private final Duration timeout;
  private final HttpClient http;

  OpenLineageSink(URI baseUrl, Duration timeout) {
    String base = baseUrl.toString().replaceAll("/+$", "");
    this.endpoint = URI.create(base + "/api/v1/lineage");
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public String name() {
    return "openlineage";
  }

  @Override
  public void deliver(Scope scope, List<DatasetEvent> events) throws IOException, InterruptedException {
    for (DatasetEvent e : events) {
      Map<String, Object> lineage = toOpenLineage(scope, e);
      if (lineage == null) {
        continue;
      }
      HttpRequest request = HttpRequest.newBuilder(endpoint)
          .timeout(timeout)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(lineage), StandardCharsets.UTF_8))
          .build();
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() / 100 != 2) {
        throw new IOException("OpenLineage endpoint answered HTTP " + response.statusCode());
      }
    }
  }

  /** The OpenLineage event for a ledger event, or null when it carries no lineage. */
  static Map<String, Object> toOpenLineage(Scope scope, DatasetEvent e) {
    if (!DatasetEvent.SUCCESS.equals(e.outcome()) || !DatasetEvent.WRITE.equals(e.kind())) {
      return null;
    }
    String namespace = "engines/" + scope.tenantId() + "/" + scope.env().wire();
    if (e.action().contains("derivation")) {
      Map<String, Object> run = new LinkedHashMap<>();
      run.put("eventType", "COMPLETE");
      run.put("eventTime", e.occurredAt().toString());
      run.put("run", Map.of("runId", UUID.nameUUIDFromBytes(e.eventId().getBytes(StandardCharsets.UTF_8)).toString()));
      run.put("job", Map.of("namespace", namespace, "name", e.surface() + "." + e.action()));
      run.put("inputs", datasets(namespace, e.inputRefs()));
      run.put("outputs", datasets(namespace, e.outputRefs()));
      run.put("producer", PRODUCER);
      run.put("schemaURL", SPEC + "RunEvent");
      return run;
    }
    List<DatasetEvent.Ref> assets = e.outputRefs().stream().filter(r -> r.type() == RefType.ASSET).toList();
    if (assets.isEmpty()) {
      return null;
    }
    Map<String, Object> dataset = new LinkedHashMap<>(dataset(namespace, assets.get(0)));
    if (e.action().contains("delete")) {
      dataset.put("facets", Map.of("lifecycleStateChange", Map.of("_producer", PRODUCER,
          "_schemaURL", "https://openlineage.io/spec/facets/1-0-1/LifecycleStateChangeDatasetFacet.json",
          "lifecycleStateChange", "DROP")));
    }
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("eventTime", e.occurredAt().toString());
    event.put("dataset", dataset);
    event.put("producer", PRODUCER);
    event.put("schemaURL", SPEC + "DatasetEvent");
    return event;
  }

  private static List<Map<String, Object>> datasets(String namespace, List<DatasetEvent.Ref> refs) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (DatasetEvent.Ref ref : refs) {
      out.add(dataset(namespace, ref));
    }
    return out;
  }

  private static Map<String, Object> dataset(String namespace, DatasetEvent.Ref ref) {
    return Map.of("namespace", namespace, "name", ref.type().wire() + "/" + ref.id());
  }
}
