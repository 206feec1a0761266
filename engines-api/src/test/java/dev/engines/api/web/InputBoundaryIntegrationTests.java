package dev.engines.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.RawHttp;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Input no route accepts is refused at the boundary as a 400 problem naming the parameter, header
 * or field: never a 500 (Tomcat's or the firewall's exception), a non-problem 400 or a 409 from
 * PostgreSQL refusing NUL. Requests go over a raw socket, byte for byte.
 */
class InputBoundaryIntegrationTests extends IntegrationTest {

  private Map<String, String> headers(Member member) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", "Bearer " + member.token());
    headers.put("X-Tenant-Id", member.tenantId());
    headers.put("X-Env", "dev");
    return headers;
  }

  private static void assertFieldProblem(TestApi.Response r, String field) {
    assertThat(r.status()).as("%s", r).isEqualTo(400);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    assertThat(r.code()).as("%s", r).isEqualTo("validation_failed");
    assertThat(r.json().get("errors").get(0).get("field").asString()).as("%s", r).isEqualTo(field);
    assertThat(r.text("request_id")).isNotBlank();
  }

  private static void assertProblem(TestApi.Response r, String code) {
    assertThat(r.status()).as("%s", r).isEqualTo(400);
    assertThat(r.header("Content-Type")).as("%s", r).startsWith("application/problem+json");
    assertThat(r.code()).as("%s", r).isEqualTo(code);
    assertThat(r.text("request_id")).isNotBlank();
  }

  @Test
  void queryWhenInvalidPercentEncodingThenReturns400NamingTheParameter() {
    Member owner = tenants.nexusTenant("ibq");
    RawHttp raw = new RawHttp(api.port());
    assertFieldProblem(raw.send("GET", "/v1/users?cursor=%ff", headers(owner), null), "cursor");
    assertFieldProblem(
        raw.send("POST", "/v1/assets?filename=%ED%A0%80.txt", headers(owner), "abc"), "filename");
    assertFieldProblem(raw.send("GET", "/v1/users?limit=%zz", headers(owner), null), "limit");
    assertFieldProblem(raw.send("GET", "/v1/users?limit=1%", headers(owner), null), "limit");
    assertFieldProblem(raw.send("GET", "/v1/users?%C0%AE=1", headers(owner), null), "%C0%AE");
  }

  @Test
  void queryWhenNulOrControlCharacterThenReturns400NamingTheParameter() {
    Member owner = tenants.nexusTenant("ibn");
    RawHttp raw = new RawHttp(api.port());
    assertFieldProblem(
        raw.send("GET", "/v1/audit?action=user.create%00", headers(owner), null), "action");
    assertFieldProblem(
        raw.send("GET", "/v1/events?surface=ten%00ant", headers(owner), null), "surface");
    assertFieldProblem(
        raw.send("POST", "/v1/assets?filename=a%0Ab.txt", headers(owner), "abc"), "filename");
    assertFieldProblem(
        raw.send("GET", "/v1/atoms?op_type=%C2%85", headers(owner), null), "op_type");
  }

  @Test
  void formBodyWhenNotDecodableThenProblemNot500() {
    Member owner = tenants.nexusTenant("ibf");
    RawHttp raw = new RawHttp(api.port());
    Map<String, String> form = headers(owner);
    form.put("Content-Type", "application/x-www-form-urlencoded");
    TestApi.Response upload = raw.send("POST", "/v1/assets?filename=a.txt", form, "x=%ff");
    assertThat(upload.status()).as("%s", upload).isEqualTo(400);
    assertThat(upload.code()).isEqualTo("validation_failed");
    TestApi.Response put = raw.send("PUT", "/v1/config/storage", form, "x=%ff");
    assertThat(put.status()).as("%s", put).isEqualTo(415);
    assertThat(put.code()).isEqualTo("unsupported_media_type");
  }

  @Test
  void scopingHeaderWhenControlOrZeroWidthCharacterThenReturns400WithItsCode() {
    Member owner = tenants.tenant("ibh");
    RawHttp raw = new RawHttp(api.port());
    Map<String, String> codes =
        Map.of(
            "X-Tenant-Id",
            "tenant_invalid",
            "X-Env",
            "env_invalid",
            "X-User-Id",
            "user_invalid",
            "X-Agent-Id",
            "agent_invalid",
            "Authorization",
            "header_invalid",
            "X-Api-Key",
            "header_invalid",
            "Accept",
            "header_invalid");
    for (var header : codes.entrySet()) {
      // C1 (NEL) and a zero-width space (its UTF-8 bytes read as Latin-1 by Tomcat hold C1) reach
      // the
      // application; C0 and DEL Tomcat refuses itself, as a problem too.
      Map<String, String> expected =
          Map.of(
              "\u0085",
              header.getValue(),
              "\u200b",
              header.getValue(),
              "\u0001",
              "bad_request",
              "\u007f",
              "bad_request");
      for (var bad : expected.entrySet()) {
        Map<String, String> h = headers(owner);
        h.put(header.getKey(), h.getOrDefault(header.getKey(), "x") + bad.getKey());
        TestApi.Response r = raw.send("GET", "/v1/me", h, null);
        assertProblem(r, bad.getValue());
        assertThat(r.body()).doesNotContain(owner.token());
      }
    }
  }

  @Test
  void requestIdWhenControlCharacterThenReplacedNotRefused() {
    Member owner = tenants.tenant("ibr");
    Map<String, String> h = headers(owner);
    h.put("X-Request-Id", "job\u0085-1");
    h.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\u0085");
    TestApi.Response r = new RawHttp(api.port()).send("GET", "/v1/me", h, null);
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(r.header("X-Request-Id")).startsWith("req_");
    assertThat(r.header("traceparent")).doesNotContain("4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void scopingHeaderWhenByteOrderMarkThenReturns400Or401Problem() {
    Member owner = tenants.tenant("ibm");
    RawHttp raw = new RawHttp(api.port());
    Map<String, String> tenant = headers(owner);
    tenant.put("X-Tenant-Id", owner.tenantId() + "\ufeff");
    assertProblem(raw.send("GET", "/v1/me", tenant, null), "tenant_invalid");
    Map<String, String> env = headers(owner);
    env.put("X-Env", "dev\ufeff");
    assertProblem(raw.send("GET", "/v1/me", env, null), "env_invalid");
    Map<String, String> user = headers(owner);
    user.put("X-User-Id", "\ufeffu_aaaaaaaaaaaaaaaaaaaaaaaaaa");
    assertProblem(raw.send("GET", "/v1/me", user, null), "user_invalid");
  }

  @Test
  void bodyWhenNulOrUnpairedSurrogateThenReturns400NamingTheField() {
    Member owner = tenants.nexusTenant("ibb");
    assertFieldProblem(
        api.post("/v1/users")
            .as(owner, "dev")
            .json(
                "{\"email\":\"nul\\u0000@ibb.example\",\"display_name\":\"N\",\"role\":\"viewer\"}")
            .send(),
        "email");
    assertFieldProblem(
        api.post("/v1/gdpr/legal-holds")
            .as(owner, "dev")
            .json("{\"identifiers\":{\"email\":\"held@ibb.example\"},\"reason\":\"a\\u0000b\"}")
            .send(),
        "reason");
    assertFieldProblem(
        api.put("/v1/pii/lists")
            .as(owner, "dev")
            .json("{\"allow\":[\"fine\",\"a\\u0000\"],\"deny\":[]}")
            .send(),
        "allow[1]");
    assertFieldProblem(
        api.post("/v1/usage")
            .as(owner, "dev")
            .json("{\"items\":[{\"ref_type\":\"card\",\"ref_id\":\"card\\u0000\"}]}")
            .send(),
        "items[0].ref_id");
    assertFieldProblem(
        api.put("/v1/config/nexus")
            .as(owner, "dev")
            .json(
                "{\"max_atoms_per_derivation\":1,\"max_atom_text_chars\":1,\"max_atomize_bytes\":1,\"atomizers\":[\"text.lines\\u0000\"]}")
            .send(),
        "atomizers");
    assertFieldProblem(
        api.post("/v1/pii/redact")
            .as(owner, "dev")
            .json("{\"text\":\"lone \\ud800 surrogate\"}")
            .send(),
        "text");
    assertFieldProblem(
        api.post("/v1/api-keys")
            .as(owner, "dev")
            .json("{\"kind\":\"service\",\"name\":\"k\\u0000\",\"role\":\"viewer\"}")
            .send(),
        "name");
    // Newlines and tabs are text: free-text fields keep them.
    TestApi.Response redact =
        api.post("/v1/pii/redact")
            .as(owner, "dev")
            .json("{\"text\":\"line one\\nline\\ttwo\"}")
            .send();
    assertThat(redact.status()).as("%s", redact).isEqualTo(200);
  }
}
