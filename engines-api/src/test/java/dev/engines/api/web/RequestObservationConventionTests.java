package dev.engines.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.common.KeyValue;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class RequestObservationConventionTests {

  private final RequestObservationConvention convention = new RequestObservationConvention();

  private Map<String, String> tags(MockHttpServletRequest request, int status) {
    MockHttpServletResponse response = new MockHttpServletResponse();
    response.setStatus(status);
    ServerRequestObservationContext context =
        new ServerRequestObservationContext(request, response);
    context.setPathPattern("/v1/users/{userId}");
    return StreamSupport.stream(convention.getLowCardinalityKeyValues(context).spliterator(), false)
        .collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
  }

  @Test
  void tagsWhenScopedProblemThenEnvAndCodeBesideSpringsTagsAndNoTenant() {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v1/users/u_abc");
    request.addHeader(RequestHeaders.TENANT, "t_acme");
    request.setAttribute(RequestHeaders.ENV_ATTRIBUTE, "dev");
    request.setAttribute(Problems.PROBLEM_CODE_ATTRIBUTE, "not_found");
    assertThat(tags(request, 404))
        .containsEntry("env", "dev")
        .containsEntry("code", "not_found")
        .containsEntry("uri", "/v1/users/{userId}")
        .containsEntry("status", "404")
        .containsEntry("method", "GET")
        .containsEntry("outcome", "CLIENT_ERROR")
        .containsOnlyKeys("env", "code", "uri", "status", "method", "outcome", "exception")
        .doesNotContainValue("t_acme")
        .doesNotContainValue("/v1/users/u_abc");
  }

  @Test
  void tagsWhenNoScopeAndNoProblemThenNone() {
    assertThat(tags(new MockHttpServletRequest("GET", "/v1/me"), 200))
        .containsEntry("env", "none")
        .containsEntry("code", "none");
  }
}
