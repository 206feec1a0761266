package dev.engines.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.engines.core.scope.Scope;
import dev.engines.ledger.DatasetEvent;
import dev.engines.ledger.RefType;
import dev.engines.ledger.RelaySettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenLineage sink against a real local HTTP server that captures each request: the events on
 * the wire are valid OpenLineage (the spec's required members, types and values), derivations send
 * START then COMPLETE, the API key goes as a bearer token, a batch goes as one array.
 */
class OpenLineageSinkTests {

  /** One captured request. */
  record Captured(String path, String authorization, String contentType, String body) {}

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Scope SCOPE = Scope.of("t_lineage", "dev");

  private HttpServer server;
  private final List<Captured> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(201);

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.add(
              new Captured(
                  exchange.getRequestURI().getPath(),
                  exchange.getRequestHeaders().getFirst("Authorization"),
                  exchange.getRequestHeaders().getFirst("Content-Type"),
                  new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
          exchange.sendResponseHeaders(status.get(), -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  private static DatasetEvent event(
      String id,
      String action,
      String kind,
      List<DatasetEvent.Ref> in,
      List<DatasetEvent.Ref> out) {
    return new DatasetEvent(
        id,
        SCOPE,
        Instant.parse("2026-12-07T04:00:00Z"),
        "nexus",
        action,
        kind,
        "user",
        "u_test",
        null,
        null,
        null,
        in,
        out,
        null,
        true,
        DatasetEvent.SUCCESS,
        null,
        "0123456789abcdef0123456789abcdef",
        "req-1");
  }

  private static final DatasetEvent.Ref ASSET = new DatasetEvent.Ref(RefType.ASSET, "ra_one");

  private static List<DatasetEvent> lifecycle() {
    return List.of(
        event("ev_create", "asset.create", DatasetEvent.WRITE, List.of(), List.of(ASSET)),
        event(
            "ev_derive",
            "derivation.create",
            DatasetEvent.WRITE,
            List.of(ASSET),
            List.of(new DatasetEvent.Ref(RefType.DERIVATION, "dv_1"))),
        event(
            "ev_read",
            "atom.get",
            DatasetEvent.READ,
            List.of(new DatasetEvent.Ref(RefType.ATOM, "at_1")),
            List.of()),
        event("ev_delete", "asset.delete", DatasetEvent.WRITE, List.of(ASSET), List.of(ASSET)));
  }

  /**
   * The members the OpenLineage 2-0-2 schema requires of a RunEvent, with their types and values.
   */
  private static void assertRunEvent(JsonNode e, String type) {
    assertThat(e.get("eventType").asString()).isEqualTo(type);
    assertThat(Instant.parse(e.get("eventTime").asString()))
        .isEqualTo(Instant.parse("2026-12-07T04:00:00Z"));
    assertThat(UUID.fromString(e.get("run").get("runId").asString()))
        .isEqualTo(UUID.nameUUIDFromBytes("ev_derive".getBytes(StandardCharsets.UTF_8)));
    assertThat(e.get("job").get("namespace").asString()).isEqualTo("engines/t_lineage/dev");
    assertThat(e.get("job").get("name").asString()).isEqualTo("nexus.derivation.create");
    assertThat(URI.create(e.get("producer").asString()).isAbsolute()).isTrue();
    assertThat(e.get("schemaURL").asString())
        .isEqualTo("https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent");
    for (JsonNode dataset : e.get("inputs")) {
      assertThat(dataset.get("namespace").isString() && dataset.get("name").isString()).isTrue();
    }
  }

  private static void assertDatasetEvent(JsonNode e) {
    assertThat(e.has("eventType")).as("a DatasetEvent has no eventType").isFalse();
    assertThat(Instant.parse(e.get("eventTime").asString())).isNotNull();
    assertThat(e.get("dataset").get("namespace").asString()).isEqualTo("engines/t_lineage/dev");
    assertThat(e.get("dataset").get("name").asString()).isEqualTo("asset/ra_one");
    assertThat(e.get("producer").asString()).isEqualTo(OpenLineageSink.PRODUCER);
    assertThat(e.get("schemaURL").asString())
        .isEqualTo("https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent");
  }

  @Test
  void deliverWhenLifecycleAndDerivationThenDatasetEventsAndStartThenCompleteOnePerRequest()
      throws Exception {
    new OpenLineageSink(url(), Duration.ofSeconds(2)).deliver(SCOPE, lifecycle());

    assertThat(requests).extracting(Captured::path).containsOnly("/api/v1/lineage");
    assertThat(requests).extracting(Captured::contentType).containsOnly("application/json");
    assertThat(requests).extracting(Captured::authorization).containsOnlyNulls();
    List<JsonNode> bodies = new ArrayList<>();
    for (Captured c : requests) {
      bodies.add(JSON.readTree(c.body()));
    }
    assertThat(bodies).hasSize(4);
    assertDatasetEvent(bodies.get(0));
    assertRunEvent(bodies.get(1), "START");
    assertThat(bodies.get(1).get("outputs")).isEmpty();
    assertRunEvent(bodies.get(2), "COMPLETE");
    assertThat(bodies.get(2).get("inputs").get(0).get("name").asString()).isEqualTo("asset/ra_one");
    assertThat(bodies.get(2).get("outputs").get(0).get("name").asString())
        .isEqualTo("derivation/dv_1");
    assertThat(bodies.get(1).get("run"))
        .as("START and COMPLETE share the run")
        .isEqualTo(bodies.get(2).get("run"));
    assertDatasetEvent(bodies.get(3));
    JsonNode drop = bodies.get(3).get("dataset").get("facets").get("lifecycleStateChange");
    assertThat(drop.get("lifecycleStateChange").asString()).isEqualTo("DROP");
    assertThat(drop.get("_producer").asString()).isEqualTo(OpenLineageSink.PRODUCER);
    assertThat(drop.get("_schemaURL").asString()).endsWith("LifecycleStateChangeDatasetFacet.json");
  }

  @Test
  void deliverWhenBatchedWithApiKeyThenOneArrayToTheBatchEndpointWithBearerToken()
      throws Exception {
    new OpenLineageSink(url(), Duration.ofSeconds(2), "ol-secret-key", true)
        .deliver(SCOPE, lifecycle());

    assertThat(requests).hasSize(1);
    Captured only = requests.get(0);
    assertThat(only.path()).isEqualTo("/api/v1/lineage/batch");
    assertThat(only.authorization()).isEqualTo("Bearer ol-secret-key");
    JsonNode array = JSON.readTree(only.body());
    assertThat(array.isArray()).isTrue();
    assertThat(array.size()).isEqualTo(4);
    assertRunEvent(array.get(1), "START");
    assertRunEvent(array.get(2), "COMPLETE");
  }

  @Test
  void deliverWhenOnlyReadsThenNoRequestAtAll() throws Exception {
    new OpenLineageSink(url(), Duration.ofSeconds(2), null, true)
        .deliver(SCOPE, List.of(lifecycle().get(2)));

    assertThat(requests).isEmpty();
  }

  @Test
  void deliverWhenEndpointAnswersNon2xxThenFailsSoTheRelayKeepsItsCursor() {
    status.set(401);
    assertThatThrownBy(
            () ->
                new OpenLineageSink(url(), Duration.ofSeconds(2), "wrong", true)
                    .deliver(SCOPE, lifecycle()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("401")
        .hasMessageNotContaining("wrong");
  }

  @Test
  void settingsWhenPrintedThenTheApiKeyIsLeftOut() {
    RelaySettings settings =
        new RelaySettings(
            true, null, 0, List.of("openlineage"), url(), null, "ol-secret-key", true);
    assertThat(settings.toString())
        .doesNotContain("ol-secret-key")
        .contains("openlineageApiKey=<redacted>");
  }
}
