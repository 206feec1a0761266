package dev.engines.ledger.internal;

import dev.engines.core.scope.Scope;
import dev.engines.ledger.DatasetEvent;
import dev.engines.ledger.LedgerSink;
import dev.engines.ledger.RefType;
import dev.engines.ledger.internal.OpenLineageEvents.Dataset;
import dev.engines.ledger.internal.OpenLineageEvents.Event;
import dev.engines.ledger.internal.OpenLineageEvents.EventType;
import dev.engines.ledger.internal.OpenLineageEvents.Job;
import dev.engines.ledger.internal.OpenLineageEvents.LifecycleStateChange;
import dev.engines.ledger.internal.OpenLineageEvents.Run;
import dev.engines.ledger.internal.OpenLineageEvents.RunEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes lineage to an OpenLineage HTTP endpoint (Marquez-compatible {@code /api/v1/lineage}) as
 * typed events ({@link OpenLineageEvents}): raw-artifact lifecycle as DatasetEvents, derivations as
 * a RunEvent pair, {@code START} then {@code COMPLETE}, with the same run id. Other ledger events
 * carry no lineage and are acknowledged without a request. Datasets are named {@code <kind>/<id>}
 * in the namespace {@code engines/<tenant>/<env>}; a run id is a name-based UUID of the ledger
 * event id, so a resent batch produces the same events.
 *
 * <p>A derivation reaches the ledger once it is done, so its START and COMPLETE carry the same
 * time. With an API key every request carries {@code Authorization: Bearer <key>} (the {@code
 * api_key} auth of OpenLineage's clients). Batched, a relay batch goes as one JSON array to {@code
 * /api/v1/lineage/batch}; otherwise one event per request, in order. Either way the relay moves its
 * cursor only when every request of the batch was answered 2xx.
 */
final class OpenLineageSink implements LedgerSink {

  static final String PRODUCER = "https://engines.dev/ledger-relay";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final URI single;
  private final URI batch;
  private final Duration timeout;
  private final String authorization;
  private final boolean batched;
  private final HttpClient http;

  OpenLineageSink(URI baseUrl, Duration timeout) {
    this(baseUrl, timeout, null, false);
  }

  /**
   * @param apiKey sent as a bearer token; null for none
   * @param batched one request per relay batch to the batch endpoint
   */
  OpenLineageSink(URI baseUrl, Duration timeout, String apiKey, boolean batched) {
    String base = baseUrl.toString().replaceAll("/+$", "");
    this.single = URI.create(base + "/api/v1/lineage");
    this.batch = URI.create(base + "/api/v1/lineage/batch");
    this.timeout = timeout;
    this.authorization = apiKey == null || apiKey.isBlank() ? null : "Bearer " + apiKey;
    this.batched = batched;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public String name() {
    return "openlineage";
  }

  @Override
  public void deliver(Scope scope, List<DatasetEvent> events)
      throws IOException, InterruptedException {
    List<Event> lineage = new ArrayList<>();
    for (DatasetEvent e : events) {
      lineage.addAll(toOpenLineage(scope, e));
    }
    if (lineage.isEmpty()) {
      return;
    }
    if (batched) {
      post(batch, JSON.writeValueAsString(lineage));
      return;
    }
    for (Event event : lineage) {
      post(single, JSON.writeValueAsString(event));
    }
  }

  private void post(URI endpoint, String body) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<Void> response =
        http.send(request.build(), HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() / 100 != 2) {
      throw new IOException("OpenLineage endpoint answered HTTP " + response.statusCode());
    }
  }

  /**
   * The OpenLineage events of a ledger event: none, a DatasetEvent, or a derivation's START and
   * COMPLETE.
   */
  static List<Event> toOpenLineage(Scope scope, DatasetEvent e) {
    if (!DatasetEvent.SUCCESS.equals(e.outcome()) || !DatasetEvent.WRITE.equals(e.kind())) {
      return List.of();
    }
    String namespace = "engines/" + scope.tenantId() + "/" + scope.env().wire();
    String time = e.occurredAt().toString();
    if (e.action().contains("derivation")) {
      Run run =
          new Run(UUID.nameUUIDFromBytes(e.eventId().getBytes(StandardCharsets.UTF_8)).toString());
      Job job = new Job(namespace, e.surface() + "." + e.action());
      List<Dataset> inputs = datasets(namespace, e.inputRefs());
      List<Dataset> outputs = datasets(namespace, e.outputRefs());
      return List.of(
          new RunEvent(EventType.START, time, run, job, inputs, List.of(), PRODUCER),
          new RunEvent(EventType.COMPLETE, time, run, job, inputs, outputs, PRODUCER));
    }
    List<DatasetEvent.Ref> assets =
        e.outputRefs().stream().filter(r -> r.type() == RefType.ASSET).toList();
    if (assets.isEmpty()) {
      return List.of();
    }
    DatasetEvent.Ref asset = assets.get(0);
    Dataset dataset =
        e.action().contains("delete")
            ? new Dataset(
                namespace,
                name(asset),
                Map.of("lifecycleStateChange", LifecycleStateChange.drop(PRODUCER)))
            : new Dataset(namespace, name(asset));
    return List.of(new OpenLineageEvents.DatasetEvent(time, dataset, PRODUCER));
  }

  private static List<Dataset> datasets(String namespace, List<DatasetEvent.Ref> refs) {
    return refs.stream().map(ref -> new Dataset(namespace, name(ref))).toList();
  }

  private static String name(DatasetEvent.Ref ref) {
    return ref.type().wire() + "/" + ref.id();
  }
}
