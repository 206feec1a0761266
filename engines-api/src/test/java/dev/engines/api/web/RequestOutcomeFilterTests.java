package dev.engines.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.ledger.RequestLedger;
import dev.engines.core.ledger.Ledger;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class RequestOutcomeFilterTests {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  // No request event is pending in these requests, so the ledger is never asked to write.
  private final RequestOutcomeFilter filter = new RequestOutcomeFilter(new RequestLedger(new Ledger(null), Clock.systemUTC(), true), meters, 2);

  @AfterEach
  void clear() {
    MDC.clear();
  }

  private void request(String tenant) throws Exception {
    MDC.put("tenant_id", tenant);
    MDC.put("env", "dev");
    filter.doFilter(new MockHttpServletRequest("GET", "/v1/me"), new MockHttpServletResponse(), new MockFilterChain());
  }

  private double count(String tenantTag) {
    var counter = meters.find("engines.requests").tag("tenant", tenantTag).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void tenantTagWhenMoreTenantsThanTheLimitThenLaterOnesShareOther() throws Exception {
    request("t_a");
    request("t_b");
    request("t_c");
    request("t_d");
    request("t_a");
    assertThat(count("t_a")).isEqualTo(2);
    assertThat(count("t_b")).isEqualTo(1);
    assertThat(count("t_c")).isZero();
    assertThat(count("other")).isEqualTo(2);
  }

  @Test
  void requestWhenNoTenantResolvedThenTaggedNone() throws Exception {
    filter.doFilter(new MockHttpServletRequest("GET", "/v1/me"), new MockHttpServletResponse(), new MockFilterChain());
    assertThat(count("none")).isEqualTo(1);
  }
}
