package dev.engines.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.core.scope.Trace;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class TraceFilterTests {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT_ID = "00f067aa0ba902b7";

  private record Result(Trace trace, MockHttpServletResponse response) {
    String traceparent() {
      return response.getHeader("traceparent");
    }
  }

  private static Result send(String header, String value) throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v1/me");
    if (value != null) {
      request.addHeader(header, value);
    }
    MockHttpServletResponse response = new MockHttpServletResponse();
    new TraceFilter().doFilter(request, response, new MockFilterChain());
    return new Result((Trace) request.getAttribute(RequestHeaders.TRACE_ATTRIBUTE), response);
  }

  private static Result traceparent(String value) throws Exception {
    return send("traceparent", value);
  }

  @Test
  void traceparentWhenNotSampledThenTraceAndFlagKept() throws Exception {
    Result r = traceparent("00-" + TRACE_ID + "-" + PARENT_ID + "-00");
    assertThat(r.trace().traceId()).isEqualTo(TRACE_ID);
    assertThat(r.traceparent())
        .matches("^00-" + TRACE_ID + "-[0-9a-f]{16}-00$")
        .doesNotContain(PARENT_ID);
    assertThat(traceparent("00-" + TRACE_ID + "-" + PARENT_ID + "-01").traceparent())
        .endsWith("-01");
  }

  @Test
  void traceparentWhenFutureVersionThenReadByItsFirstFields() throws Exception {
    Result extended = traceparent("cc-" + TRACE_ID + "-" + PARENT_ID + "-00-what-the-future-holds");
    assertThat(extended.trace().traceId()).isEqualTo(TRACE_ID);
    assertThat(extended.traceparent()).startsWith("00-" + TRACE_ID + "-").endsWith("-00");
    Result plain = traceparent("01-" + TRACE_ID + "-" + PARENT_ID + "-03");
    assertThat(plain.trace().traceId()).isEqualTo(TRACE_ID);
    assertThat(plain.traceparent()).endsWith("-01");
  }

  @Test
  void traceparentWhenInvalidThenNewSampledTrace() throws Exception {
    for (String invalid :
        new String[] {
          "00-" + TRACE_ID + "-0000000000000000-01", // all-zero parent id
          "00-00000000000000000000000000000000-" + PARENT_ID + "-01", // all-zero trace id
          "ff-" + TRACE_ID + "-" + PARENT_ID + "-01", // version ff is invalid
          "00-" + TRACE_ID + "-" + PARENT_ID + "-01-extra", // version 00 is exactly 55 characters
          "cc-" + TRACE_ID + "-" + PARENT_ID + "-01extra", // more fields only after a '-'
          "00-" + TRACE_ID.toUpperCase() + "-" + PARENT_ID + "-01",
          "00-" + TRACE_ID + "-" + PARENT_ID,
          "garbage"
        }) {
      Result r = traceparent(invalid);
      assertThat(r.trace().traceId()).as(invalid).matches("^[0-9a-f]{32}$").isNotEqualTo(TRACE_ID);
      assertThat(r.traceparent()).as(invalid).matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$");
    }
  }

  @Test
  void requestIdWhenValidThenEchoedElseReplacedAndReturned() throws Exception {
    String longest = "a".repeat(128);
    assertThat(send("X-Request-Id", longest).response().getHeader("X-Request-Id"))
        .isEqualTo(longest);
    assertThat(send("X-Request-Id", "job-42:step_3.a").response().getHeader("X-Request-Id"))
        .isEqualTo("job-42:step_3.a");
    for (String invalid :
        new String[] {"a".repeat(129), "has space", "semi;colon", "ünicode", ""}) {
      Result r = send("X-Request-Id", invalid);
      assertThat(r.response().getHeader("X-Request-Id"))
          .as(invalid)
          .startsWith("req_")
          .isEqualTo(r.trace().requestId());
    }
    Result none = send("X-Request-Id", null);
    assertThat(none.response().getHeader("X-Request-Id")).startsWith("req_");
  }
}
