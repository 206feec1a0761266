package dev.engines.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.core.db.ScopedTransactions;
import dev.engines.ledger.Ledger;
import dev.engines.ledger.RequestLedger;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

class RequestOutcomeFilterTests {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  // No request event is pending in these requests, so the ledger is never asked to write.
  private final RequestLedger ledger = new RequestLedger(new Ledger(null), Clock.systemUTC(), true,
      new ScopedTransactions(JdbcClient.create(new DriverManagerDataSource()), new DataSourceTransactionManager(new DriverManagerDataSource())));
  private final RequestOutcomeFilter filter = new RequestOutcomeFilter(ledger, meters);

  @AfterEach
  void clear() {
    MDC.clear();
    ledger.close();
  }

  private void request(String tenant) throws Exception {
    MDC.put("tenant_id", tenant);
    MDC.put("env", "dev");
    filter.doFilter(new MockHttpServletRequest("GET", "/v1/me"), new MockHttpServletResponse(), new MockFilterChain());
  }

  @Test
  void metricsWhenManyTenantsThenOneSeriesWithoutTenantTag() throws Exception {
    request("t_a");
    request("t_b");
    request("t_c");
    assertThat(meters.find("engines.requests").tag("env", "dev").counters()).hasSize(1);
    assertThat(meters.find("engines.requests").tag("env", "dev").counter().count()).isEqualTo(3);
    assertThat(meters.getMeters()).allSatisfy(m -> {
      assertThat(m.getId().getTag("tenant")).as("%s", m.getId()).isNull();
      assertThat(m.getId().getTags()).noneMatch(t -> t.getValue().startsWith("t_"));
    });
  }

  @Test
  void requestWhenNoScopeResolvedThenEnvTaggedNone() throws Exception {
    filter.doFilter(new MockHttpServletRequest("GET", "/v1/me"), new MockHttpServletResponse(), new MockFilterChain());
    assertThat(meters.find("engines.requests").tag("env", "none").counter().count()).isEqualTo(1);
  }
}
