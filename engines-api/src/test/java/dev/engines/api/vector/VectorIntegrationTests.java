package dev.engines.api.vector;

import static dev.engines.api.support.VectorFixtures.item;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.GateFixtures;
import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.NexusFixtures;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.api.support.VectorFixtures;
import dev.engines.core.gdpr.SubjectIdentifiers;
import dev.engines.core.gdpr.SubjectIndex;
import dev.engines.core.ids.Ids;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.core.scope.TenantId;
import dev.engines.vector.VectorSpaces;
import dev.engines.vector.Vectors;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Vector spaces, upserts and search end to end through HTTP against PostgreSQL with pgvector: the
 * failures of every route, filter semantics, exact result counts, determinism, and isolation
 * between tenants and envs (at the SQL level too).
 */
class VectorIntegrationTests extends IntegrationTest {

  @Autowired SubjectIndex subjectIndex;

  @Autowired Vectors vectorService;

  private VectorFixtures vectors() {
    return new VectorFixtures(api);
  }

  private TestApi.Response search(Member by, String env, String space, Map<String, Object> body) {
    return api.post("/v1/vector-spaces/" + space + "/search").as(by, env).json(body).send();
  }

  private static List<String> ids(TestApi.Response r) {
    List<String> ids = new ArrayList<>();
    r.json().get("items").forEach(i -> ids.add(i.get("id").asString()));
    return ids;
  }

  @Test
  void spaceWhenCreatedListedReadAndDeletedThenCountsAndCreateIsIdempotent() {
    Member owner = tenants.nexusTenant("vsp");
    Map<String, Object> body =
        Map.of("name", "notes", "dimension", 3, "metric", "l2", "model", "caller");
    TestApi.Response created = api.post("/v1/vector-spaces").as(owner, "dev").json(body).send();
    assertThat(created.status()).as("%s", created).isEqualTo(201);
    assertThat(created.text("space_id")).startsWith("vs_");
    assertThat(created.text("search")).isEqualTo("exact");
    TestApi.Response again = api.post("/v1/vector-spaces").as(owner, "dev").json(body).send();
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.text("space_id")).isEqualTo(created.text("space_id"));
    TestApi.Response clash =
        api.post("/v1/vector-spaces")
            .as(owner, "dev")
            .json(Map.of("name", "notes", "dimension", 4, "metric", "l2", "model", "caller"))
            .send();
    assertThat(clash.status()).isEqualTo(409);
    assertThat(clash.code()).isEqualTo("space_exists");

    vectors().space(owner, "dev", "alpha", 384, "cosine", "all-minilm-l6-v2-q");
    vectors()
        .upsert(
            owner,
            "dev",
            "notes",
            List.of(
                item("a", new float[] {1, 2, 3}, null), item("b", new float[] {3, 2, 1}, null)));
    TestApi.Response list = api.get("/v1/vector-spaces?limit=1").as(owner, "dev").send();
    assertThat(list.json().get("items").get(0).get("name").asString()).isEqualTo("alpha");
    assertThat(list.json().get("items").get(0).get("search").asString()).isEqualTo("hnsw");
    TestApi.Response next =
        api.get("/v1/vector-spaces?cursor=" + list.text("next_cursor")).as(owner, "dev").send();
    assertThat(next.json().get("items").get(0).get("name").asString()).isEqualTo("notes");
    assertThat(next.json().get("items").get(0).get("vector_count").asLong()).isEqualTo(2);

    TestApi.Response deleted = api.delete("/v1/vector-spaces/notes").as(owner, "dev").send();
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json().get("vector_count").asLong()).isEqualTo(2);
    assertThat(api.get("/v1/vector-spaces/notes").as(owner, "dev").send().status()).isEqualTo(404);
    Scope dev = Scope.of(owner.tenantId(), "dev");
    assertThat(
            tx.read(
                Caller.system(dev, "test"),
                () ->
                    jdbc.sql(
                            "SELECT count(*) FROM vectors WHERE tenant_id = :t AND env = 'dev' AND space_id = :s")
                        .param("t", owner.tenantId())
                        .param("s", created.text("space_id"))
                        .query(Long.class)
                        .single()))
        .isZero();
  }

  @Test
  void createWhenDefinitionBreaksTheSlotThenEveryFieldNamed() {
    Member owner = tenants.tenant("vslot");
    tenants.configure(
        owner,
        "dev",
        "vector",
        Map.of(
            "max_dimension",
            8,
            "metrics",
            List.of("l2"),
            "models",
            List.of("caller"),
            "ingest_gated",
            false));
    TestApi.Response r =
        api.post("/v1/vector-spaces")
            .as(owner, "dev")
            .json(
                Map.of(
                    "name",
                    "Bad Name",
                    "dimension",
                    9,
                    "metric",
                    "cosine",
                    "model",
                    "all-minilm-l6-v2-q"))
            .send();
    assertThat(r.status()).as("%s", r).isEqualTo(400);
    assertThat(fields(r)).containsExactlyInAnyOrder("name", "dimension", "metric", "model");
    tenants.configure(owner, "dev", "vector", Map.of("max_dimension", 1536, "ingest_gated", false));
    TestApi.Response model =
        api.post("/v1/vector-spaces")
            .as(owner, "dev")
            .json(
                Map.of(
                    "name",
                    "m",
                    "dimension",
                    768,
                    "metric",
                    "cosine",
                    "model",
                    "all-minilm-l6-v2-q"))
            .send();
    assertThat(fields(model)).containsExactly("dimension");
    TestApi.Response slot =
        api.put("/v1/config/vector")
            .as(owner, "dev")
            .json(Map.of("max_dimension", 5000, "ingest_gated", "no"))
            .send();
    assertThat(slot.status()).isEqualTo(400);
    assertThat(fields(slot)).containsExactlyInAnyOrder("max_dimension", "ingest_gated");
  }

  private static List<String> fields(TestApi.Response r) {
    List<String> fields = new ArrayList<>();
    r.json().get("errors").forEach(e -> fields.add(e.get("field").asString()));
    return fields;
  }

  @Test
  void upsertWhenAnItemIsInvalidThenProblemNamesItsIndexAndNothingIsWritten() {
    Member owner = tenants.nexusTenant("vbad");
    vectors().space(owner, "dev", "s", 3, "cosine", "caller");
    List<Object> items = new ArrayList<>();
    items.add(item("ok-1", new float[] {1, 0, 0}, Map.of("a", 1)));
    items.add(item("short", new float[] {1, 0}, null));
    items.add(Map.of("id", "inf", "vector", List.of(1, 1e39, 0)));
    items.add(Map.of("id", "nan", "vector", List.of(1, "NaN", 0)));
    items.add(item("zero", new float[] {0, 0, 0}, null));
    items.add(item("ok-1", new float[] {0, 1, 0}, Map.of("nested", Map.of("x", 1))));
    items.add(Map.of("id", "txt", "text", "caller spaces take no text"));
    items.add(
        Map.of(
            "id",
            "bad id!",
            "vector",
            List.of(1, 2, 3),
            "ref",
            Map.of("type", "card", "id", "c1")));
    TestApi.Response r =
        api.put("/v1/vector-spaces/s/vectors").as(owner, "dev").json(Map.of("items", items)).send();
    assertThat(r.status()).as("%s", r).isEqualTo(400);
    assertThat(fields(r))
        .containsExactlyInAnyOrder(
            "items[1].vector",
            "items[2].vector[1]",
            "items[3].vector[1]",
            "items[4].vector",
            "items[5].id",
            "items[5].metadata.nested",
            "items[6].text",
            "items[7].id",
            "items[7].ref.type");
    assertThat(r.body()).doesNotContain("caller spaces take no text");
    TestApi.Response space = api.get("/v1/vector-spaces/s").as(owner, "dev").send();
    assertThat(space.json().get("vector_count").asLong()).as("nothing written").isZero();

    TestApi.Response ref =
        api.put("/v1/vector-spaces/s/vectors")
            .as(owner, "dev")
            .json(
                Map.of(
                    "items",
                    List.of(
                        item("fine", new float[] {1, 1, 1}, null),
                        Map.of(
                            "id",
                            "dangling",
                            "vector",
                            List.of(1, 2, 3),
                            "ref",
                            Map.of("type", "atom", "id", "at_" + "0".repeat(32))))))
            .send();
    assertThat(ref.status()).as("%s", ref).isEqualTo(400);
    assertThat(fields(ref)).containsExactly("items[1].ref.id");
    assertThat(
            api.get("/v1/vector-spaces/s")
                .as(owner, "dev")
                .send()
                .json()
                .get("vector_count")
                .asLong())
        .isZero();
    assertThat(
            api.put("/v1/vector-spaces/none/vectors")
                .as(owner, "dev")
                .json(Map.of("items", List.of(item("a", new float[] {1, 0, 0}, null))))
                .send()
                .status())
        .isEqualTo(404);
    TestApi.Response empty =
        api.put("/v1/vector-spaces/s/vectors")
            .as(owner, "dev")
            .json(Map.of("items", List.of()))
            .send();
    assertThat(fields(empty)).containsExactly("items");
  }

  @Test
  void upsertWhenSentAgainThenUnchangedAndWhenChangedThenUpdated() {
    Member owner = tenants.nexusTenant("videm");
    vectors().space(owner, "dev", "s", 3, "l2", "caller");
    List<Map<String, Object>> items =
        List.of(
            item("a", new float[] {1, 2, 3}, Map.of("n", 1)),
            item("b", new float[] {4, 5, 6}, null));
    JsonNode first = vectors().upsert(owner, "dev", "s", items).json();
    assertThat(first.get("added").asInt()).isEqualTo(2);
    JsonNode second = vectors().upsert(owner, "dev", "s", items).json();
    assertThat(second.get("unchanged").asInt()).isEqualTo(2);
    assertThat(second.get("items").get(0).get("status").asString()).isEqualTo("unchanged");
    JsonNode third =
        vectors()
            .upsert(owner, "dev", "s", List.of(item("a", new float[] {1, 2, 3}, Map.of("n", 2))))
            .json();
    assertThat(third.get("updated").asInt()).isEqualTo(1);
    JsonNode stored = api.get("/v1/vector-spaces/s/vectors/a").as(owner, "dev").send().json();
    assertThat(stored.get("metadata").get("n").asInt()).isEqualTo(2);
    assertThat(stored.get("vector").toString()).isEqualTo("[1.0,2.0,3.0]");
    TestApi.Response deleted = api.delete("/v1/vector-spaces/s/vectors/a").as(owner, "dev").send();
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(api.get("/v1/vector-spaces/s/vectors/a").as(owner, "dev").send().status())
        .isEqualTo(404);
    assertThat(api.delete("/v1/vector-spaces/s/vectors/a").as(owner, "dev").send().status())
        .isEqualTo(404);
  }

  @Test
  void upsertWhenMetadataHoldsPiiThenRedactedAndFlaggedPerItemAndSearchShowsNoText() {
    Member owner = tenants.nexusTenant("vpii");
    vectors().space(owner, "dev", "s", 3, "cosine", "caller");
    JsonNode r =
        vectors()
            .upsert(
                owner,
                "dev",
                "s",
                List.of(
                    item(
                        "p",
                        new float[] {1, 0, 0},
                        Map.of("author", "mail jane.roe@example.com now", "year", 2024)),
                    item("q", new float[] {0, 1, 0}, Map.of("author", "nobody"))))
            .json();
    assertThat(r.get("items").get(0).get("pii_flags").get("EMAIL_ADDRESS").asInt()).isEqualTo(1);
    assertThat(r.get("items").get(0).get("train_ok").asBoolean()).isFalse();
    assertThat(r.get("items").get(1).get("train_ok").asBoolean()).isTrue();
    TestApi.Response found =
        search(owner, "dev", "s", Map.of("vector", new float[] {1, 0, 0}, "k", 2));
    assertThat(found.body()).doesNotContain("jane.roe@example.com").doesNotContain("\"text\"");
    assertThat(found.json().get("items").get(0).get("metadata").get("author").asString())
        .doesNotContain("jane.roe");
    Scope dev = Scope.of(owner.tenantId(), "dev");
    assertThat(
            tx.read(
                Caller.system(dev, "test"),
                () ->
                    jdbc.sql(
                            "SELECT metadata::text FROM vectors WHERE tenant_id = :t AND env = 'dev'"
                                + " AND vector_id = 'p'")
                        .param("t", owner.tenantId())
                        .query(String.class)
                        .single()))
        .doesNotContain("jane.roe");
  }

  @Test
  void searchWhenFilteredThenEqualityInAndRangeCombineWithAnd() {
    Member owner = tenants.nexusTenant("vflt");
    vectors().space(owner, "dev", "s", 2, "l2", "caller");
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      items.add(
          item(
              "v" + i,
              new float[] {i, 0},
              Map.of(
                  "lang",
                  i % 2 == 0 ? "en" : "de",
                  "year",
                  2015 + i,
                  "draft",
                  i % 3 == 0,
                  "code",
                  i % 4 == 0 ? "1" : "x")));
    }
    items.add(item("no-meta", new float[] {0.5f, 0}, null));
    vectors().upsert(owner, "dev", "s", items);
    float[] origin = {0, 0};
    assertThat(
            ids(
                search(
                    owner,
                    "dev",
                    "s",
                    Map.of("vector", origin, "k", 100, "filter", Map.of("lang", "de")))))
        .containsExactly("v1", "v3", "v5", "v7", "v9", "v11");
    assertThat(
            ids(
                search(
                    owner,
                    "dev",
                    "s",
                    Map.of(
                        "vector",
                        origin,
                        "k",
                        100,
                        "filter",
                        Map.of("lang", "en", "year", Map.of("gte", 2019, "lt", 2025))))))
        .containsExactly("v4", "v6", "v8");
    assertThat(
            ids(
                search(
                    owner,
                    "dev",
                    "s",
                    Map.of(
                        "vector",
                        origin,
                        "k",
                        100,
                        "filter",
                        Map.of("year", Map.of("in", List.of(2015, 2026, 1)))))))
        .containsExactly("v0", "v11");
    assertThat(
            ids(
                search(
                    owner,
                    "dev",
                    "s",
                    Map.of("vector", origin, "k", 100, "filter", Map.of("draft", true)))))
        .containsExactly("v0", "v3", "v6", "v9");
    assertThat(
            ids(
                search(
                    owner,
                    "dev",
                    "s",
                    Map.of("vector", origin, "k", 100, "filter", Map.of("code", 1)))))
        .as("the string \"1\" is not the number 1")
        .isEmpty();
    assertThat(
            ids(
                search(
                    owner,
                    "dev",
                    "s",
                    Map.of("vector", origin, "k", 100, "filter", Map.of("lang", Map.of("gt", 1))))))
        .as("a range never matches a string")
        .isEmpty();
    TestApi.Response bad =
        search(
            owner,
            "dev",
            "s",
            Map.of(
                "vector",
                origin,
                "k",
                0,
                "filter",
                Map.of("lang", Map.of("like", "e%"), "year", Map.of("in", List.of()))));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(fields(bad)).containsExactlyInAnyOrder("k", "filter.lang", "filter.year.in");
  }

  @Test
  void searchWhenNumbersShareTheirNearestDoubleOrStringsAreLongThenTheExactValueDecides() {
    Member owner = tenants.nexusTenant("vnum");
    vectors().space(owner, "dev", "s", 2, "l2", "caller");
    String longText = "ü".repeat(999) + "a";
    vectors()
        .upsert(
            owner,
            "dev",
            "s",
            List.of(
                item("p", new float[] {1, 0}, Map.of("n", 9007199254740993L, "text", longText)),
                item(
                    "q",
                    new float[] {2, 0},
                    Map.of("n", 9007199254740992L, "text", "ü".repeat(999) + "b")),
                item("r", new float[] {3, 0}, Map.of("n", 1e300)),
                item(
                    "s",
                    new float[] {4, 0},
                    Map.of("n", new BigInteger("123456789012345678901234567890"))),
                item("t", new float[] {5, 0}, Map.of("n", 0.1, "text", "1")),
                item("u", new float[] {6, 0}, Map.of("n", -5, "text", 1)),
                item("w", new float[] {7, 0}, Map.of("n", BigInteger.TEN.pow(400)))));
    float[] origin = {0, 0};
    Function<Map<String, Object>, List<String>> matching =
        filter ->
            ids(search(owner, "dev", "s", Map.of("vector", origin, "k", 100, "filter", filter)));
    // 2^53 + 1 and 2^53 have the same nearest double: the index finds both, the exact value keeps
    // one.
    assertThat(matching.apply(Map.of("n", 9007199254740993L))).containsExactly("p");
    assertThat(matching.apply(Map.of("n", 9007199254740992L))).containsExactly("q");
    assertThat(matching.apply(Map.of("n", Map.of("gt", 9007199254740992L))))
        .containsExactly("p", "r", "s", "w");
    assertThat(
            matching.apply(Map.of("n", Map.of("gte", 9007199254740992L, "lt", 9007199254740993L))))
        .containsExactly("q");
    assertThat(matching.apply(Map.of("n", new BigInteger("123456789012345678901234567890"))))
        .containsExactly("s");
    assertThat(matching.apply(Map.of("n", new BigInteger("123456789012345678901234567891"))))
        .isEmpty();
    // Beyond the double range the key is Infinity for all: the exact value still tells them apart.
    assertThat(matching.apply(Map.of("n", Map.of("gte", 1e299)))).containsExactly("r", "w");
    assertThat(matching.apply(Map.of("n", BigInteger.TEN.pow(400)))).containsExactly("w");
    assertThat(matching.apply(Map.of("n", BigInteger.TEN.pow(400).add(BigInteger.ONE)))).isEmpty();
    assertThat(matching.apply(Map.of("n", Map.of("gt", BigInteger.TEN.pow(399)))))
        .containsExactly("w");
    assertThat(matching.apply(Map.of("n", Map.of("lte", 0.1, "gt", -5)))).containsExactly("t");
    assertThat(matching.apply(Map.of("n", 0.1))).containsExactly("t");
    assertThat(matching.apply(Map.of("n", Map.of("in", List.of(-5.0, 0.1, "x")))))
        .containsExactly("t", "u");
    // Strings of 1,000 chars (2,000 bytes) are matched by their hash, exactly; "1" is not 1.
    assertThat(matching.apply(Map.of("text", longText))).containsExactly("p");
    assertThat(matching.apply(Map.of("text", "1"))).containsExactly("t");
    assertThat(matching.apply(Map.of("text", Map.of("in", List.of(1, "1")))))
        .containsExactly("t", "u");
    assertThat(matching.apply(Map.of("text", Map.of("in", List.of(1, "1")), "n", Map.of("lt", 0))))
        .containsExactly("u");
  }

  @Test
  void writesWhenMetadataChangesThenItsFilterRowsFollowTheVectorInTheSameTransaction() {
    Member owner = tenants.nexusTenant("vside");
    vectors().space(owner, "dev", "s", 2, "l2", "caller");
    vectors()
        .upsert(
            owner,
            "dev",
            "s",
            List.of(
                item("a", new float[] {1, 0}, Map.of("lang", "en", "n", 1, "ok", true)),
                item("b", new float[] {0, 1}, Map.of("lang", "de"))));
    assertThat(metadataRows(owner))
        .containsExactly("a/lang/string", "a/n/number", "a/ok/bool", "b/lang/string");
    vectors()
        .upsert(owner, "dev", "s", List.of(item("a", new float[] {1, 0}, Map.of("lang", "fr"))));
    assertThat(metadataRows(owner)).containsExactly("a/lang/string", "b/lang/string");
    float[] q = {1, 0};
    assertThat(
            ids(
                search(
                    owner,
                    "dev",
                    "s",
                    Map.of("vector", q, "k", 10, "filter", Map.of("lang", "fr")))))
        .containsExactly("a");
    assertThat(
            ids(
                search(
                    owner,
                    "dev",
                    "s",
                    Map.of("vector", q, "k", 10, "filter", Map.of("lang", "en")))))
        .isEmpty();
    assertThat(
            ids(
                search(
                    owner, "dev", "s", Map.of("vector", q, "k", 10, "filter", Map.of("ok", true)))))
        .isEmpty();
    // A batch refused for one item writes no row for the others either.
    TestApi.Response refused =
        api.put("/v1/vector-spaces/s/vectors")
            .as(owner, "dev")
            .json(
                Map.of(
                    "items",
                    List.of(
                        item("c", new float[] {1, 1}, Map.of("lang", "it")),
                        Map.of(
                            "id",
                            "d",
                            "vector",
                            List.of(1, 1),
                            "ref",
                            Map.of("type", "asset", "id", "ra_" + "a".repeat(26))))))
            .send();
    assertThat(refused.status()).as("%s", refused).isEqualTo(400);
    assertThat(metadataRows(owner)).containsExactly("a/lang/string", "b/lang/string");
    assertThat(api.delete("/v1/vector-spaces/s/vectors/b").as(owner, "dev").send().status())
        .isEqualTo(200);
    assertThat(metadataRows(owner)).containsExactly("a/lang/string");
    assertThat(api.delete("/v1/vector-spaces/s").as(owner, "dev").send().status()).isEqualTo(200);
    assertThat(metadataRows(owner)).isEmpty();
  }

  private List<String> metadataRows(Member owner) {
    Scope scope = Scope.of(owner.tenantId(), "dev");
    return tx.read(
        Caller.system(scope, "test"),
        () ->
            jdbc.sql(
                    "SELECT vector_id || '/' || key || '/' || CASE WHEN value_sha256 IS NOT NULL THEN 'string'"
                        + " WHEN value_number IS NOT NULL THEN 'number' ELSE 'bool' END FROM vector_metadata WHERE tenant_id = :t AND env = :e"
                        + " ORDER BY 1")
                .param("t", owner.tenantId())
                .param("e", "dev")
                .query(String.class)
                .list());
  }

  /**
   * Regression: under row-level security the jsonb containment filter could not use an index (its
   * operator is not leakproof), so a filter read every vector of the space.
   */
  @Test
  void filterWhenSearchedUnderRowLevelSecurityThenTheMetadataIndexesServeItAndMatchContainment()
      throws Exception {
    Member owner = tenants.nexusTenant("vfidx");
    vectors().space(owner, "dev", "s", 2, "l2", "caller");
    for (int batch = 0; batch < 3; batch++) {
      List<Map<String, Object>> items = new ArrayList<>();
      for (int i = batch * 1000; i < (batch + 1) * 1000; i++) {
        items.add(
            item(
                "v" + i,
                new float[] {i % 97, i % 89},
                Map.of("tag", "t" + i % 100, "n", i, "rare", i % 100 == 7)));
      }
      vectors().upsert(owner, "dev", "s", items);
    }
    Scope scope = Scope.of(owner.tenantId(), "dev");
    Map<String, Map<String, Object>> filters = new LinkedHashMap<>();
    filters.put("vector_metadata_string_idx", Map.of("tag", "t42"));
    filters.put("vector_metadata_number_idx", Map.of("n", Map.of("gte", 100, "lt", 130)));
    filters.put("vector_metadata_bool_idx", Map.of("rare", true));
    Map<String, String> containment =
        Map.of(
            "vector_metadata_string_idx",
            "metadata @> '{\"tag\": \"t42\"}'",
            "vector_metadata_number_idx",
            "(metadata ->> 'n')::int >= 100 AND (metadata ->> 'n')::int < 130",
            "vector_metadata_bool_idx",
            "metadata @> '{\"rare\": true}'");
    for (Map.Entry<String, Map<String, Object>> f : filters.entrySet()) {
      long before = scans(f.getKey());
      TestApi.Response r =
          search(
              owner,
              "dev",
              "s",
              Map.of("vector", new float[] {0, 0}, "k", 100, "filter", f.getValue()));
      assertThat(r.text("method")).isEqualTo("exact");
      // The same vectors, nearest first then by id, as the stored metadata itself says (no index).
      List<String> expected =
          tx.read(
              Caller.system(scope, "test"),
              () ->
                  jdbc.sql(
                          "SELECT vector_id FROM vectors WHERE tenant_id = :t AND env = :e AND "
                              + containment.get(f.getKey())
                              + " ORDER BY embedding <-> '[0,0]', vector_id LIMIT 100")
                      .param("t", owner.tenantId())
                      .param("e", "dev")
                      .query(String.class)
                      .list());
      assertThat(ids(r)).as(f.getKey()).isNotEmpty().isEqualTo(expected);
      long after = before;
      for (int i = 0; i < 50 && after == before; i++) {
        Thread.sleep(100);
        after = scans(f.getKey());
      }
      assertThat(after).as("%s served the filter", f.getKey()).isGreaterThan(before);
    }
  }

  @Test
  void searchWhenKExceedsMatchesThenExactlyMinKAndOrderedByDistanceThenId() {
    Member owner = tenants.nexusTenant("vmin");
    vectors().space(owner, "dev", "s", 2, "l2", "caller");
    vectors()
        .upsert(
            owner,
            "dev",
            "s",
            List.of(
                item("b", new float[] {1, 1}, null),
                item("a", new float[] {1, 1}, null),
                item("c", new float[] {2, 2}, null),
                item("z", new float[] {0, 0}, null)));
    TestApi.Response r = search(owner, "dev", "s", Map.of("vector", new float[] {0, 0}, "k", 10));
    assertThat(ids(r)).containsExactly("z", "a", "b", "c");
    assertThat(r.json().get("items").get(1).get("distance").asDouble())
        .isCloseTo(Math.sqrt(2), org.assertj.core.data.Offset.offset(1e-6));
    assertThat(ids(search(owner, "dev", "s", Map.of("vector", new float[] {0, 0}, "k", 2))))
        .containsExactly("z", "a");
    assertThat(r.json().get("items").get(0).get("vector").isNull())
        .as("no vector unless asked for")
        .isTrue();
    TestApi.Response with =
        search(
            owner,
            "dev",
            "s",
            Map.of("vector", new float[] {0, 0}, "k", 1, "include_vectors", true));
    assertThat(with.json().get("items").get(0).get("vector").toString()).isEqualTo("[0.0,0.0]");
  }

  @Test
  void searchWhenSpaceIsLargeThenHnswPathMatchesExactRankingAndFilteredFallbackStillAnswersMinK() {
    Member owner = tenants.nexusTenant("vann");
    vectors().space(owner, "dev", "big", 384, "cosine", "caller");
    List<float[]> data = VectorFixtures.clustered(11, 120, 384);
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      items.add(item(String.format("v%03d", i), data.get(i), Map.of("bucket", i % 40)));
    }
    vectors().upsert(owner, "dev", "big", items);
    float[] q = VectorFixtures.clustered(12, 1, 384).getFirst();
    TestApi.Response r = search(owner, "dev", "big", Map.of("vector", q, "k", 10));
    assertThat(r.text("method")).isEqualTo("hnsw");
    List<String> expected =
        IntStream.range(0, data.size())
            .boxed()
            .sorted(
                Comparator.comparingDouble((Integer i) -> cosineDistance(q, data.get(i)))
                    .thenComparing(i -> i))
            .limit(10)
            .map(i -> String.format("v%03d", i))
            .toList();
    assertThat(ids(r)).isEqualTo(expected);
    JsonNode items0 = r.json().get("items");
    for (int i = 0; i < 10; i++) {
      assertThat(items0.get(i).get("distance").asDouble())
          .isCloseTo(
              cosineDistance(q, data.get(Integer.parseInt(ids(r).get(i).substring(1)))),
              org.assertj.core.data.Offset.offset(1e-5));
    }
    // 3 of 120 vectors match: fewer than the exact-search bound, so every match is measured.
    TestApi.Response filtered =
        search(owner, "dev", "big", Map.of("vector", q, "k", 10, "filter", Map.of("bucket", 7)));
    assertThat(ids(filtered)).containsExactlyInAnyOrder("v007", "v047", "v087");
    assertThat(filtered.text("method")).isEqualTo("exact");
    // Determinism: the same search answers the same bytes.
    assertThat(search(owner, "dev", "big", Map.of("vector", q, "k", 10)).body())
        .isEqualTo(r.body());
  }

  private static double cosineDistance(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return 1 - dot / Math.sqrt(na * nb);
  }

  @Test
  void searchWhenAnotherTenantOrEnvHasTheSameSpaceThenNeverSeesItsVectors() {
    Member a = tenants.nexusTenant("visoa");
    Member b = tenants.nexusTenant("visob");
    for (Member m : List.of(a, b)) {
      for (String env : List.of("dev", "prod")) {
        vectors().space(m, env, "shared", 384, "cosine", "caller");
      }
    }
    List<float[]> data = VectorFixtures.clustered(21, 60, 384);
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      items.add(item("a-dev-" + i, data.get(i), Map.of("owner", "a")));
    }
    vectors().upsert(a, "dev", "shared", items);
    vectors().upsert(b, "dev", "shared", List.of(item("b-dev-0", data.get(0), null)));
    vectors().upsert(a, "prod", "shared", List.of(item("a-prod-0", data.get(0), null)));
    for (String method : List.of("big-k", "filtered")) {
      Map<String, Object> body = new LinkedHashMap<>(Map.of("vector", data.get(0), "k", 100));
      if (method.equals("filtered")) {
        body.put("filter", Map.of("owner", "a"));
      }
      assertThat(ids(search(b, "dev", "shared", body)))
          .as(method)
          .allMatch(id -> id.startsWith("b-dev"));
      assertThat(ids(search(a, "prod", "shared", body)))
          .as(method)
          .allMatch(id -> id.startsWith("a-prod"));
    }
    assertThat(ids(search(b, "dev", "shared", Map.of("vector", data.get(0), "k", 100))))
        .containsExactly("b-dev-0");
    assertThat(api.get("/v1/vector-spaces/shared/vectors/a-dev-0").as(b, "dev").send().status())
        .isEqualTo(404);
    assertThat(api.get("/v1/vector-spaces/shared/vectors/a-dev-0").as(a, "prod").send().status())
        .isEqualTo(404);
  }

  @Test
  void sqlWhenAQueryForgetsTheTenantThenRowLevelSecurityShowsNothingElse() {
    Member a = tenants.nexusTenant("vrlsa");
    Member b = tenants.nexusTenant("vrlsb");
    new VectorFixtures(api).space(a, "dev");
    new VectorFixtures(api).space(b, "dev");
    // No binding at all: the application role sees no vector and no space.
    assertThat(jdbc.sql("SELECT count(*) FROM vectors").query(Long.class).single()).isZero();
    assertThat(jdbc.sql("SELECT count(*) FROM vector_spaces").query(Long.class).single()).isZero();
    // Bound to tenant a's dev: a statement without any tenant condition still sees only a's dev
    // rows.
    Scope aDev = Scope.of(a.tenantId(), "dev");
    assertThat(
            tx.read(
                Caller.system(aDev, "test"),
                () ->
                    jdbc.sql("SELECT DISTINCT tenant_id || '/' || env FROM vectors")
                        .query(String.class)
                        .list()))
        .containsExactly(a.tenantId() + "/dev");
    assertThat(
            tx.read(
                Caller.system(Scope.of(a.tenantId(), "prod"), "test"),
                () -> jdbc.sql("SELECT count(*) FROM vectors").query(Long.class).single()))
        .isZero();
    // Nor can a write put a row into another tenant's space.
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                tx.write(
                    Caller.system(aDev, "test"),
                    () ->
                        jdbc.sql("UPDATE vectors SET tenant_id = :b")
                            .param("b", b.tenantId())
                            .update()))
        .isInstanceOf(org.springframework.dao.DataAccessException.class);
  }

  @Test
  void everyVectorRouteWhenEnvHasNoVectorSlotThen409ConfigMissingAndOneFailedEvent() {
    Member owner = tenants.nexusTenant("vmiss");
    List<String[]> routes =
        List.of(
            new String[] {
              "POST",
              "/v1/vector-spaces",
              "{\"name\":\"s\",\"dimension\":3,\"metric\":\"l2\",\"model\":\"caller\"}"
            },
            new String[] {"GET", "/v1/vector-spaces", null},
            new String[] {"GET", "/v1/vector-spaces/s", null},
            new String[] {"DELETE", "/v1/vector-spaces/s", null},
            new String[] {
              "PUT",
              "/v1/vector-spaces/s/vectors",
              "{\"items\":[{\"id\":\"a\",\"vector\":[1,2,3]}]}"
            },
            new String[] {"GET", "/v1/vector-spaces/s/vectors/a", null},
            new String[] {"DELETE", "/v1/vector-spaces/s/vectors/a", null},
            new String[] {"POST", "/v1/vector-spaces/s/search", "{\"vector\":[1,2,3],\"k\":1}"},
            new String[] {"POST", "/v1/vector-spaces/s/index", "{\"asset_id\":\"as_x\"}"});
    for (String[] route : routes) {
      String requestId = "vmiss-" + Ids.randomToken(10);
      TestApi.Call call =
          api.call(route[0], route[1]).as(owner, "staging").header("X-Request-Id", requestId);
      if (route[2] != null) {
        call.json(route[2]);
      }
      TestApi.Response r = call.send();
      assertThat(r.status()).as("%s %s: %s", route[0], route[1], r).isEqualTo(409);
      assertThat(r.code()).isEqualTo("config_missing");
      assertThat(r.json().get("detail").asString()).contains("vector");
      JsonNode events =
          api.get("/v1/events?request_id=" + requestId)
              .as(owner, "staging")
              .send()
              .json()
              .get("items");
      assertThat(events).hasSize(1);
      assertThat(events.get(0).get("error_code").asString()).isEqualTo("config_missing");
    }
  }

  @Test
  void searchWhenRecordedThenOneEventWithTheReturnedIdsAsOutputRefsAndNoVectors() {
    Member owner = tenants.nexusTenant("vled");
    vectors().space(owner, "dev", "s", 2, "l2", "caller");
    vectors()
        .upsert(
            owner,
            "dev",
            "s",
            List.of(
                item("near", new float[] {0, 0}, null),
                item("far", new float[] {9, 9}, null),
                item("mid", new float[] {1, 1}, null)));
    TestApi.Response r =
        api.post("/v1/vector-spaces/s/search")
            .as(owner, "dev")
            .header("X-Request-Id", "vled-search-1")
            .json(Map.of("vector", new float[] {0.25f, 0.5f}, "k", 2))
            .send();
    assertThat(ids(r)).containsExactly("near", "mid");
    JsonNode event =
        api.get("/v1/events?request_id=vled-search-1")
            .as(owner, "dev")
            .send()
            .json()
            .get("items")
            .get(0);
    assertThat(event.get("surface").asString()).isEqualTo("vector");
    assertThat(event.get("action").asString()).isEqualTo("vector.search");
    assertThat(event.get("output_refs").toString())
        .contains("\"near\"")
        .contains("\"mid\"")
        .doesNotContain("\"far\"");
    // The query's components never reach the event; the timestamp is left out of the check, as
    // 08:42:30.259 once showed that its digits can spell "0.25" too.
    assertThat(event.toString().replace(event.get("occurred_at").asString(), ""))
        .doesNotContain("0.25");
  }

  @Test
  void searchWhenDimensionHasNoIndexThenExactAndDistancesOfEachMetric() {
    Member owner = tenants.nexusTenant("vmet");
    vectors().space(owner, "dev", "ip", 2, "inner_product", "caller");
    vectors().space(owner, "dev", "l2", 2, "l2", "caller");
    for (String space : List.of("ip", "l2")) {
      vectors()
          .upsert(
              owner,
              "dev",
              space,
              List.of(item("x", new float[] {1, 2}, null), item("y", new float[] {3, 1}, null)));
    }
    TestApi.Response ip = search(owner, "dev", "ip", Map.of("vector", new float[] {1, 1}, "k", 2));
    assertThat(ids(ip)).containsExactly("y", "x");
    assertThat(ip.json().get("items").get(0).get("distance").asDouble())
        .as("negative inner product")
        .isEqualTo(-4.0);
    assertThat(ip.text("method")).isEqualTo("exact");
    TestApi.Response l2 = search(owner, "dev", "l2", Map.of("vector", new float[] {1, 1}, "k", 2));
    assertThat(ids(l2)).containsExactly("x", "y");
    assertThat(l2.json().get("items").get(0).get("distance").asDouble()).isEqualTo(1.0);
  }

  @Test
  void indexWhenDerivationEmbeddedThenAtomRefsSkippedOnRerunAndSearchByTextFindsTheAtom() {
    Member owner = tenants.nexusTenant("vidx");
    NexusFixtures nexus = new NexusFixtures(api);
    String assetId =
        nexus.asset(
            owner,
            "dev",
            "The cat sat on the mat.\nQuarterly taxes are due in April.\nWrite to ann@example.com\n");
    assertThat(nexus.derive(owner, "dev", assetId, "text.lines", Map.of()).status()).isEqualTo(200);
    vectors().space(owner, "dev", "atoms", 384, "cosine", "all-minilm-l6-v2-q");
    vectors().space(owner, "dev", "raw", 3, "cosine", "caller");
    assertThat(
            api.post("/v1/vector-spaces/raw/index")
                .as(owner, "dev")
                .json(Map.of("asset_id", assetId))
                .send()
                .code())
        .isEqualTo("model_mismatch");
    TestApi.Response run =
        api.post("/v1/vector-spaces/atoms/index")
            .as(owner, "dev")
            .json(Map.of("asset_id", assetId))
            .send();
    assertThat(run.status()).as("%s", run).isEqualTo(200);
    assertThat(run.json().get("embedded").asInt()).isEqualTo(3);
    assertThat(run.json().get("complete").asBoolean()).isTrue();
    TestApi.Response rerun =
        api.post("/v1/vector-spaces/atoms/index")
            .as(owner, "dev")
            .json(Map.of("asset_id", assetId))
            .send();
    assertThat(rerun.json().get("embedded").asInt()).isZero();
    assertThat(rerun.json().get("skipped").asInt()).isEqualTo(3);

    TestApi.Response found =
        search(
            owner,
            "dev",
            "atoms",
            Map.of("text", "The cat sat on the mat.", "k", 1, "include_vectors", true));
    JsonNode hit = found.json().get("items").get(0);
    assertThat(hit.get("ref").get("type").asString()).isEqualTo("atom");
    assertThat(hit.get("distance").asDouble())
        .as("same text, same vector")
        .isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(hit.get("metadata").get("asset_id").asString()).isEqualTo(assetId);
    // The embedding of a caller's text in an upsert is the same bytes as the index route's.
    vectors()
        .upsert(
            owner,
            "dev",
            "atoms",
            List.of(Map.of("id", "mine", "text", "The cat sat on the mat.")));
    JsonNode mine = api.get("/v1/vector-spaces/atoms/vectors/mine").as(owner, "dev").send().json();
    assertThat(mine.get("vector").toString()).isEqualTo(hit.get("vector").toString());
    TestApi.Response email =
        search(owner, "dev", "atoms", Map.of("text", "Write to ann@example.com", "k", 3));
    assertThat(email.body()).doesNotContain("ann@example.com");

    // Deleting the asset takes every vector that points at its atoms, in the same transaction.
    assertThat(api.delete("/v1/assets/" + assetId).as(owner, "dev").send().status()).isEqualTo(200);
    assertThat(ids(search(owner, "dev", "atoms", Map.of("text", "cat", "k", 10))))
        .containsExactly("mine");
  }

  @Test
  void erasureWhenTheSubjectsAssetIsSoftDeletedThenVectorsPointingAtItOrItsAtomsGoAndOthersStay() {
    Member owner = tenants.nexusTenant("verase");
    NexusFixtures nexus = new NexusFixtures(api);
    String theirs = nexus.asset(owner, "dev", "about the subject\n");
    assertThat(nexus.derive(owner, "dev", theirs, "text.lines", Map.of()).status()).isEqualTo(200);
    String atomId =
        api.get("/v1/atoms?asset_id=" + theirs)
            .as(owner, "dev")
            .send()
            .json()
            .get("items")
            .get(0)
            .get("atom_id")
            .asString();
    String other = nexus.asset(owner, "dev", "someone else\n");
    vectors().space(owner, "dev", "s", 2, "l2", "caller");
    vectors()
        .upsert(
            owner,
            "dev",
            "s",
            List.of(
                Map.of(
                    "id",
                    "by-atom",
                    "vector",
                    List.of(1, 0),
                    "ref",
                    Map.of("type", "atom", "id", atomId)),
                Map.of(
                    "id",
                    "by-asset",
                    "vector",
                    List.of(0, 1),
                    "ref",
                    Map.of("type", "asset", "id", theirs)),
                Map.of(
                    "id",
                    "unrelated",
                    "vector",
                    List.of(1, 1),
                    "ref",
                    Map.of("type", "asset", "id", other)),
                Map.of(
                    "id",
                    "external",
                    "vector",
                    List.of(2, 2),
                    "ref",
                    Map.of("type", "external", "id", "crm:1"))));
    String email = "erase-" + Ids.randomToken(8) + "@example.test";
    SubjectIdentifiers subject = SubjectIdentifiers.of(Map.of("email", email));
    tx.tenantLevel(
        TenantId.of(owner.tenantId()),
        () -> {
          subjectIndex.register(TenantId.of(owner.tenantId()), subject, "raw_asset", theirs);
          return null;
        });
    TestApi.Response erased =
        api.post("/v1/gdpr/erasure")
            .as(owner, "dev")
            .json(Map.of("identifiers", Map.of("email", email)))
            .send();
    assertThat(erased.status()).as("%s", erased).isEqualTo(200);
    assertThat(ids(search(owner, "dev", "s", Map.of("vector", new float[] {1, 0}, "k", 10))))
        .containsExactly("unrelated", "external");
    // The retention purge removes the asset for good later; its vectors are gone already.
    assertThat(
            api.get("/v1/vector-spaces/s")
                .as(owner, "dev")
                .send()
                .json()
                .get("vector_count")
                .asLong())
        .isEqualTo(2);
  }

  @Test
  void schemaWhenMigratedThenOneHnswIndexPerIndexedDimensionAndMetricAndSearchesUseIt()
      throws Exception {
    List<String> indexes =
        jdbc.sql(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'vectors' AND indexdef LIKE '%USING hnsw%'"
                    + " ORDER BY indexname")
            .query(String.class)
            .list();
    List<String> expected = new ArrayList<>();
    for (int dimension : new java.util.TreeSet<>(VectorSpaces.INDEXED_DIMENSIONS)) {
      for (String metric : List.of("cosine", "ip", "l2")) {
        expected.add("vectors_hnsw_" + dimension + "_" + metric);
      }
    }
    assertThat(indexes).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(
            jdbc.sql(
                    "SELECT string_to_array(extversion, '.')::int[] >= ARRAY[0, 8, 0] FROM pg_extension WHERE extname = 'vector'")
                .query(Boolean.class)
                .single())
        .as("pgvector >= 0.8")
        .isTrue();

    Member owner = tenants.nexusTenant("vplan");
    vectors().space(owner, "dev", "big", 384, "l2", "caller");
    List<float[]> data = VectorFixtures.clustered(31, 60, 384);
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      items.add(item("v" + i, data.get(i), null));
    }
    vectors().upsert(owner, "dev", "big", items);
    long before = scans("vectors_hnsw_384_l2");
    TestApi.Response r = search(owner, "dev", "big", Map.of("vector", data.get(5), "k", 5));
    assertThat(r.text("method")).isEqualTo("hnsw");
    assertThat(ids(r).getFirst()).isEqualTo("v5");
    long after = before;
    for (int i = 0; i < 50 && after == before; i++) {
      Thread.sleep(100);
      after = scans("vectors_hnsw_384_l2");
    }
    assertThat(after).as("the HNSW index served the search").isGreaterThan(before);
  }

  private long scans(String index) {
    jdbc.sql("SELECT pg_stat_clear_snapshot()").query().singleRow();
    return jdbc.sql("SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = :i")
        .param("i", index)
        .query(Long.class)
        .single();
  }

  @Test
  void locateWhenVectorRemovedThenTombstoneOnlyInItsScopeUntilTheRetentionPasses() {
    Member owner = tenants.nexusTenant("vtomb");
    Member other = tenants.nexusTenant("vtombx");
    vectors().space(owner, "dev");
    Scope dev = Scope.of(owner.tenantId(), "dev");
    assertThat(tx.read(Caller.system(dev, "test"), () -> vectorService.locate(dev, "docs", "v-1")))
        .hasValueSatisfying(l -> assertThat(l.vector().id()).isEqualTo("v-1"));
    assertThat(api.delete("/v1/vector-spaces/docs/vectors/v-1").as(owner, "dev").send().status())
        .isEqualTo(200);
    assertThat(tx.read(Caller.system(dev, "test"), () -> vectorService.locate(dev, "docs", "v-1")))
        .hasValueSatisfying(
            l -> {
              assertThat(l.vector()).isNull();
              assertThat(l.removedWithAsset()).isNull();
            });
    for (Scope elsewhere :
        List.of(Scope.of(owner.tenantId(), "prod"), Scope.of(other.tenantId(), "dev"))) {
      assertThat(
              tx.read(
                  Caller.system(elsewhere, "test"),
                  () -> vectorService.locate(elsewhere, "docs", "v-1")))
          .as("%s", elsewhere)
          .isEmpty();
    }
    clock.advance(Duration.ofDays(31));
    assertThat(tx.read(Caller.system(dev, "test"), () -> vectorService.locate(dev, "docs", "v-1")))
        .as("past the retention")
        .isEmpty();
  }

  @Test
  void tenantPurgeWhenRunThenEverySpaceOfEveryEnvIsGone() {
    Member owner = tenants.nexusTenant("vpurge");
    vectors().space(owner, "dev");
    vectors().space(owner, "prod");
    assertThat(api.delete("/v1/vector-spaces/docs/vectors/v-1").as(owner, "prod").send().status())
        .isEqualTo(200);
    TestApi.Response purge =
        api.post("/v1/gdpr/tenant-purge")
            .as(owner, "dev")
            .json(Map.of("confirm_tenant_id", owner.tenantId()))
            .send();
    assertThat(purge.status()).as("%s", purge).isEqualTo(200);
    assertThat(purge.json().get("deleted").get("vector_space").asInt()).isEqualTo(2);
    for (String env : List.of("dev", "prod")) {
      Scope scope = Scope.of(owner.tenantId(), env);
      assertThat(
              tx.read(
                  Caller.system(scope, "test"),
                  () ->
                      jdbc.sql(
                              "SELECT count(*) FROM vector_spaces WHERE tenant_id = :t AND env = :e")
                          .param("t", owner.tenantId())
                          .param("e", env)
                          .query(Long.class)
                          .single()))
          .as(env)
          .isZero();
      for (String table : List.of("vectors", "vector_metadata", "vector_tombstones")) {
        assertThat(
                tx.read(
                    Caller.system(scope, "test"),
                    () ->
                        jdbc.sql(
                                "SELECT count(*) FROM "
                                    + table
                                    + " WHERE tenant_id = :t AND env = :e")
                            .param("t", owner.tenantId())
                            .param("e", env)
                            .query(Long.class)
                            .single()))
            .as(env + " " + table)
            .isZero();
      }
    }
  }

  @Test
  void ingestWhenSlotGatesItThenStrategyLockRequiredUntilOneIsApprovedAndTheWriteIsAudited() {
    Member owner = tenants.nexusTenant("vgate");
    vectors().space(owner, "dev", "s", 2, "l2", "caller");
    tenants.configure(owner, "dev", "vector", Map.of("max_dimension", 1536, "ingest_gated", true));
    List<Map<String, Object>> items = List.of(item("a", new float[] {1, 2}, null));
    TestApi.Response refused =
        api.put("/v1/vector-spaces/s/vectors").as(owner, "dev").json(Map.of("items", items)).send();
    assertThat(refused.status()).as("%s", refused).isEqualTo(409);
    assertThat(refused.code()).isEqualTo("strategy_lock_required");
    assertThat(
            api.get("/v1/vector-spaces/s")
                .as(owner, "dev")
                .send()
                .json()
                .get("vector_count")
                .asLong())
        .isZero();
    // A lock for one surface does not permit it: ingest concerns no surface, so only an
    // all-surfaces lock does.
    new GateFixtures(api).approved(owner, "dev", "checkout", "vector:ingest");
    assertThat(
            api.put("/v1/vector-spaces/s/vectors")
                .as(owner, "dev")
                .json(Map.of("items", items))
                .send()
                .code())
        .isEqualTo("strategy_lock_required");
    String lockId = new GateFixtures(api).approved(owner, "dev", null, "vector:ingest");
    vectors().upsert(owner, "dev", "s", items);
    JsonNode entries =
        api.get("/v1/audit?action=vector.ingest").as(owner, "dev").send().json().get("items");
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).toString()).contains(lockId).contains("vector:ingest");
    // Searching is never gated.
    assertThat(search(owner, "dev", "s", Map.of("vector", new float[] {1, 2}, "k", 1)).status())
        .isEqualTo(200);
  }

  @Test
  void slotWhenWrittenThenVectorRoutesWork() {
    Member owner = tenants.tenant("vslotok");
    tenants.configure(owner, "staging", "vector", TestTenants.VECTOR);
    assertThat(api.get("/v1/vector-spaces").as(owner, "staging").send().status()).isEqualTo(200);
  }
}
