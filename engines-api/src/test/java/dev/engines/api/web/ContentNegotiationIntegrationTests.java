package dev.engines.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Member;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * The API speaks JSON only. An XML module on the classpath (it arrives with the GCS client) must
 * not open a second wire format: one that answers in camelCase and reads bodies past the JSON
 * checks.
 */
class ContentNegotiationIntegrationTests extends IntegrationTest {

  @Autowired RequestMappingHandlerAdapter adapter;

  private static void assertProblem(TestApi.Response r, int status, String code) {
    assertThat(r.status()).as("%s", r).isEqualTo(status);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    assertThat(r.code()).isEqualTo(code);
    assertThat(r.text("request_id")).isNotBlank();
  }

  @Test
  void readWhenAcceptXmlThenReturns406ProblemJson() {
    Member owner = tenants.tenant("cnx");
    assertProblem(
        api.get("/v1/me").as(owner, "dev").header("Accept", "application/xml").send(),
        406,
        "not_acceptable");
    assertProblem(
        api.get("/v1/users").as(owner, "dev").header("Accept", "text/xml").send(),
        406,
        "not_acceptable");
  }

  @Test
  void problemWhenAcceptXmlThenStillProblemJson() {
    Member owner = tenants.tenant("cnp");
    assertProblem(
        api.get("/v1/users/u_aaaaaaaaaaaaaaaaaaaaaaaaaa")
            .as(owner, "dev")
            .header("Accept", "application/xml")
            .send(),
        404,
        "not_found");
    assertProblem(
        api.get("/v1/me").header("Accept", "application/xml").send(), 401, "unauthenticated");
  }

  @Test
  void writeWhenXmlBodyWithUnknownElementThenReturns415AndCreatesNothing() {
    Member owner = tenants.tenant("cnw");
    String xml =
        "<user><email>xml@cnw.example</email><display_name>X</display_name><role>viewer</role>"
            + "<unknown>1</unknown></user>";
    assertProblem(
        api.post("/v1/users").as(owner, "dev").body(xml, "application/xml").send(),
        415,
        "unsupported_media_type");
    assertThat(api.get("/v1/users").as(owner, "dev").send().body())
        .doesNotContain("xml@cnw.example");
  }

  @Test
  void messageConvertersWhenRegisteredThenNoXmlOrOtherStructuredFormat() {
    assertThat(adapter.getMessageConverters())
        .allSatisfy(
            converter ->
                assertThat(converter.getSupportedMediaTypes())
                    .as("%s", converter.getClass().getName())
                    .noneMatch(
                        type ->
                            type.getSubtype().contains("xml")
                                || type.getSubtype().contains("yaml")
                                || type.getSubtype().contains("cbor")
                                || type.getSubtype().contains("smile")
                                || type.getSubtype().equals("x-www-form-urlencoded")
                                || type.getType().equals("multipart")));
  }
}
