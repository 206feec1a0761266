package dev.engines.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.RawHttp;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Errors that no controller raises are problems too: the 401 challenge, the error page itself,
 * paths the security firewall rejects, requests Tomcat rejects before any servlet runs (sent over a
 * raw socket: a well-behaved client refuses to send them) and uploads that end early.
 */
class ProblemResponsesIntegrationTests extends IntegrationTest {

  /**
   * A problem with a code, the request id in body and header, and a status below 500 unless {@code
   * status} says otherwise.
   */
  static void assertProblem(TestApi.Response r, int status, String code) {
    assertThat(r.status()).as("%s", r).isEqualTo(status);
    assertThat(r.header("Content-Type")).as("%s", r).startsWith("application/problem+json");
    if (code != null) {
      assertThat(r.code()).as("%s", r).isEqualTo(code);
    } else {
      assertThat(r.code()).as("%s", r).matches("^[a-z_]+$");
    }
    assertThat(r.text("request_id")).as("%s", r).isNotBlank().isEqualTo(r.header("X-Request-Id"));
    assertThat(r.json().get("status").asInt()).isEqualTo(status);
  }

  private Map<String, String> headers(Member member) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", "Bearer " + member.token());
    headers.put("X-Tenant-Id", member.tenantId());
    headers.put("X-Env", "dev");
    return headers;
  }

  @Test
  void unauthenticatedWhenNoCredentialThenBearerChallenge() {
    TestApi.Response r = api.get("/v1/me").send();
    assertProblem(r, 401, "unauthenticated");
    assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"engines\"");
  }

  @Test
  void answersWhenRefusedOrServedThenOpenNoSession() {
    Member owner = tenants.tenant("nss");
    List<TestApi.Response> answers =
        List.of(
            api.get("/v1/me").send(),
            api.get("/actuator/prometheus").send(),
            api.get("/actuator/prometheus").bearer(owner.token()).send(),
            api.get("/v1/me").as(owner, "dev").send());
    assertThat(answers).extracting(TestApi.Response::status).containsExactly(401, 401, 403, 200);
    assertThat(answers).allSatisfy(r -> assertThat(r.header("Set-Cookie")).as("%s", r).isNull());
  }

  @Test
  void unauthenticatedWhenCredentialRefusedThenInvalidTokenChallenge() {
    List<TestApi.Response> refused =
        List.of(
            api.get("/v1/me")
                .bearer("eng_aaaaaaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")
                .send(),
            api.get("/v1/me")
                .header("X-Api-Key", "eng_aaaaaaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")
                .send(),
            api.get("/v1/me").bearer("not-a-token").send());
    for (TestApi.Response r : refused) {
      assertThat(r.status()).as("%s", r).isEqualTo(401);
      assertThat(r.header("WWW-Authenticate"))
          .as("%s", r)
          .isEqualTo("Bearer realm=\"engines\", error=\"invalid_token\"");
    }
  }

  @Test
  void errorPathWhenRequestedDirectlyThenReturns404Problem() {
    assertProblem(api.get("/error").send(), 404, "not_found");
    assertProblem(api.post("/error").json("{}").send(), 404, "not_found");
    assertProblem(api.get("/error").operator().send(), 404, "not_found");
  }

  @Test
  void pathWhenFirewallRejectsThenReturns400Problem() {
    Member owner = tenants.tenant("fwl");
    RawHttp raw = new RawHttp(api.port());
    for (String path :
        List.of(
            "/v1/me;x=1",
            "/v1;jsessionid=1/me",
            "/v1/%2e%2e/v1/me",
            "/v1/./me",
            "/v1//me",
            "/v1/%2e/me",
            "/v1/%25/me",
            "/v1/me/..")) {
      assertProblem(raw.send("GET", path, headers(owner), null), 400, "request_rejected");
    }
  }

  @Test
  void requestWhenTomcatRejectsThenReturnsProblem() {
    Member owner = tenants.tenant("tcr");
    RawHttp raw = new RawHttp(api.port());
    for (String path :
        List.of("/v1%2fme", "/v1%5cme", "/v1/me%00", "/v1/users/%ff", "/v1/me?x=\u00e9")) {
      assertProblem(raw.send("GET", path, headers(owner), null), 400, "bad_request");
    }
    Map<String, String> large = headers(owner);
    large.put("X-Large", "a".repeat(9000));
    assertProblem(raw.send("GET", "/v1/me", large, null), 400, "bad_request");
    Map<String, String> nul = headers(owner);
    nul.put("X-Nul", "a\u0000b");
    assertProblem(raw.send("GET", "/v1/me", nul, null), 400, "bad_request");
    assertProblem(
        raw.exchange(
            "GET /v1/me HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1),
            false),
        400,
        "bad_request");
    assertProblem(
        raw.exchange(
            "GET /v1/me HTTP/1.1\r\nHost: x\r\nX-A:\u0000\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1),
            false),
        400,
        "bad_request");
  }

  @Test
  void uploadWhenClientSendsLessThanContentLengthThenUploadInterruptedProblem() {
    Member owner = tenants.nexusTenant("upi");
    StringBuilder request =
        new StringBuilder(
            "POST /v1/assets?filename=short.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
    headers(owner)
        .forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    request.append(
        "X-Request-Id: upi-short-1\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nonly a few bytes");
    TestApi.Response r =
        new RawHttp(api.port()).exchange(request.toString().getBytes(StandardCharsets.UTF_8), true);
    assertProblem(r, 400, "upload_interrupted");
    var events =
        api.get("/v1/events?request_id=upi-short-1").as(owner, "dev").send().json().get("items");
    assertThat(events).hasSize(1);
    assertThat(events.get(0).get("error_code").asString()).isEqualTo("upload_interrupted");
  }
}
