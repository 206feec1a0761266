package dev.engines.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Field errors name what the caller sent: JSON paths in snake_case (nested members dotted, list
 * elements indexed) and query parameter names. Regression: bean-validation errors named the Java
 * field ({@code displayName}) and an unknown body field was refused without naming it.
 */
class FieldErrorsIntegrationTests extends IntegrationTest {

  @Test
  void createUserWhenSnakeCaseFieldBlankThenNamesTheJsonField() {
    Member owner = tenants.tenant("fielderr");
    TestApi.Response r =
        api.post("/v1/users")
            .as(owner, "dev")
            .json(Map.of("email", "a@example.test", "display_name", " ", "role", "member"))
            .send();
    assertField(r, "display_name", "must not be blank");
    assertThat(r.body()).doesNotContain("displayName");
  }

  @Test
  void createTenantWhenNestedFieldBlankThenNamesTheDottedJsonPath() {
    TestApi.Response r =
        api.post("/v1/operator/tenants")
            .operator()
            .json(
                Map.of(
                    "tenant_id",
                    "t_fielderr_nested",
                    "name",
                    "N",
                    "owner",
                    Map.of("email", "o@example.test", "display_name", "")))
            .send();
    assertField(r, "owner.display_name", "must not be blank");
  }

  @Test
  void recordUsageWhenListElementInvalidThenNamesTheIndexedPath() {
    Member owner = tenants.nexusTenant("fielderr");
    TestApi.Response r =
        api.post("/v1/usage")
            .as(owner, "dev")
            .json(
                Map.of(
                    "items",
                    List.of(
                        Map.of("ref_type", "atom", "ref_id", "at_1"),
                        Map.of("ref_type", "bogus", "ref_id", "at_2"),
                        Map.of("ref_type", "card", "ref_id", "no spaces allowed"))))
            .send();
    assertThat(fields(r)).containsExactly("items[1].ref_type", "items[2].ref_id");
  }

  @Test
  void recordUsageWhenListElementHasWrongTypeThenNamesTheIndexedJsonPath() {
    Member owner = tenants.nexusTenant("fielderr");
    TestApi.Response r =
        api.post("/v1/usage")
            .as(owner, "dev")
            .json(
                Map.of(
                    "items",
                    List.of(
                        Map.of("ref_type", "atom", "ref_id", "at_1"),
                        Map.of("ref_type", "atom", "ref_id", "at_2", "used_at", "yesterday"))))
            .send();
    assertField(r, "items[1].used_at", "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
  }

  @Test
  void createApiKeyWhenUnknownFieldThenNamesIt() {
    Member owner = tenants.tenant("fielderr");
    TestApi.Response r =
        api.post("/v1/api-keys")
            .as(owner, "dev")
            .json(Map.of("kind", "service", "name", "k", "role", "member", "acts_on_behalf", true))
            .send();
    assertField(r, "acts_on_behalf", "is not a field of this request");
    assertThat(r.json().get("detail").asString()).contains("acts_on_behalf");
  }

  @Test
  void createTenantWhenNestedUnknownFieldThenNamesItsPath() {
    TestApi.Response r =
        api.post("/v1/operator/tenants")
            .operator()
            .json(
                Map.of(
                    "tenant_id",
                    "t_fielderr_unknown",
                    "name",
                    "N",
                    "owner",
                    Map.of("email", "o@example.test", "display_name", "O", "nickname", "x")))
            .send();
    assertField(r, "owner.nickname", "is not a field of this request");
  }

  @Test
  void presignWhenFieldHasWrongTypeThenNamesTheJsonField() {
    Member owner = tenants.nexusTenant("fielderr");
    TestApi.Response r =
        api.post("/v1/assets/presign")
            .as(owner, "dev")
            .json(Map.of("filename", "a.txt", "size_bytes", "large", "sha256", "00"))
            .send();
    assertField(r, "size_bytes", "must be an integer");
  }

  @Test
  void putPolicyWhenNestedFieldHasWrongTypeThenNamesTheDottedJsonPath() {
    Member owner = tenants.tenant("fielderr");
    TestApi.Response r =
        api.put("/v1/pii/policy")
            .as(owner, "dev")
            .json(
                Map.of(
                    "default_operator",
                    "redact",
                    "mask",
                    Map.of("mask_char", "*", "chars_to_mask", "four", "from_end", true)))
            .send();
    assertField(r, "mask.chars_to_mask", "must be an integer");
  }

  @Test
  void listWhenQueryParameterHasWrongTypeThenNamesTheParameter() {
    Member owner = tenants.tenant("fielderr");
    assertField(
        api.get("/v1/events?limit=ten").as(owner, "dev").send(), "limit", "must be an integer");
    assertField(
        api.get("/v1/atoms?train_ok=maybe").as(owner, "dev").send(),
        "train_ok",
        "must be true or false");
  }

  @Test
  void everyJsonBodyRouteWhenBodyHasUnknownFieldThenNamesIt() {
    // Every route the document says takes a JSON body, called by a principal its policy admits.
    Member owner = tenants.tenant("fielderr");
    JsonNode paths = api.get("/v3/api-docs").send().json().get("paths");
    List<String> checked = new ArrayList<>();
    paths
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        op -> {
                          if (!op.getValue()
                              .path("requestBody")
                              .path("content")
                              .has("application/json")) {
                            return;
                          }
                          String uri =
                              path.getKey()
                                  .replace("{slot}", "storage")
                                  .replaceAll("\\{[^}]+}", "x_fielderr");
                          TestApi.Call call =
                              api.call(op.getKey().toUpperCase(Locale.ROOT), uri)
                                  .json(Map.of("zz_not_a_field", 1));
                          TestApi.Response r =
                              (uri.startsWith("/v1/operator/")
                                      ? call.operator()
                                      : call.as(owner, "dev"))
                                  .send();
                          assertThat(r.status())
                              .as("%s %s: %s", op.getKey(), uri, r)
                              .isEqualTo(400);
                          assertThat(r.code())
                              .as("%s %s", op.getKey(), uri)
                              .isEqualTo("validation_failed");
                          assertThat(fields(r))
                              .as("%s %s: %s", op.getKey(), uri, r)
                              .contains("zz_not_a_field");
                          checked.add(op.getKey() + " " + uri);
                        }));
    assertThat(checked).hasSizeGreaterThan(20);
  }

  private static void assertField(TestApi.Response r, String field, String message) {
    assertThat(r.status()).as("%s", r).isEqualTo(400);
    assertThat(r.code()).isEqualTo("validation_failed");
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    List<String> errors = new ArrayList<>();
    r.json()
        .get("errors")
        .forEach(e -> errors.add(e.get("field").asString() + ": " + e.get("message").asString()));
    assertThat(errors).as("%s", r).containsExactly(field + ": " + message);
  }

  private static List<String> fields(TestApi.Response r) {
    assertThat(r.status()).as("%s", r).isEqualTo(400);
    List<String> fields = new ArrayList<>();
    r.json().path("errors").forEach(e -> fields.add(e.get("field").asString()));
    return fields;
  }
}
