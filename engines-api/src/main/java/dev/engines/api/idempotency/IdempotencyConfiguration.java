package dev.engines.api.idempotency;

import dev.engines.core.cluster.ClusterJobs;
import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.gdpr.ErasureHook;
import dev.engines.core.idempotency.Idempotency;
import dev.engines.core.idempotency.IdempotencyKeys;
import dev.engines.core.idempotency.IdempotencySettings;
import dev.engines.core.idempotency.IdempotencyStore;
import dev.engines.core.readiness.ProductionReadinessCheck;
import dev.engines.core.readiness.ReadinessFinding;
import dev.engines.ledger.RequestLedger;
import dev.engines.pii.PiiProperties;
import dev.engines.tenant.TenantDirectory;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Safe retries of creating routes ({@code Idempotency-Key}, docs/api.md "Retries",
 * docs/adr/0011-idempotency-keys.md): the store and its keys (derived from {@code
 * engines.pii.master-key} under the label {@code engines-idempotency/v1}), the filter around such
 * requests, the interceptor after the gates, the commit hook that records a change's key in the
 * change's own transaction, the tenant purge of keys, and the sweep of expired ones. Its settings
 * ({@code engines.idempotency.*}, all optional) are enabled with engines-core's. The store and the
 * hook are static beans: the scoped transactions are built with the hook, and the rest needs those
 * transactions.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class IdempotencyConfiguration implements WebMvcConfigurer {

  /** After the gates ({@code GateInterceptor}, order 1): a blocked action claims no key. */
  static final int INTERCEPTOR_ORDER = 2;

  private static final Logger log = LoggerFactory.getLogger(IdempotencyConfiguration.class);

  private final ObjectProvider<Idempotency> idempotency;
  private final ObjectProvider<RequestLedger> ledger;

  public IdempotencyConfiguration(
      ObjectProvider<Idempotency> idempotency, ObjectProvider<RequestLedger> ledger) {
    this.idempotency = idempotency;
    this.ledger = ledger;
  }

  @Bean
  static IdempotencyStore idempotencyStore(JdbcClient jdbc) {
    return new IdempotencyStore(jdbc);
  }

  /** One of the commit hooks the scoped transactions are built with, before the ledger's. */
  @Bean
  static IdempotencyCommitHook idempotencyCommitHook(IdempotencyStore store) {
    return new IdempotencyCommitHook(store);
  }

  @Bean
  IdempotencyKeys idempotencyKeys(PiiProperties pii) {
    return IdempotencyKeys.fromSecret(pii.masterKey());
  }

  @Bean
  Idempotency idempotency(
      IdempotencyStore store,
      ScopedTransactions tx,
      Clock clock,
      IdempotencyKeys keys,
      IdempotencySettings settings) {
    return new Idempotency(store, tx, clock, keys, settings);
  }

  /** After the trace, outcome and input filters (orders +0 to +2), before authentication. */
  @Bean
  FilterRegistrationBean<IdempotencyFilter> idempotencyFilter(
      Idempotency idempotency, RequestLedger ledger) {
    FilterRegistrationBean<IdempotencyFilter> registration =
        new FilterRegistrationBean<>(new IdempotencyFilter(idempotency, ledger));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
    return registration;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry
        .addInterceptor(new IdempotencyInterceptor(idempotency.getObject(), ledger.getObject()))
        .order(INTERCEPTOR_ORDER);
  }

  /**
   * Keys go with a tenant purge, env by env. Subject requests find nothing in them: a kept response
   * opens only with the client's key, which Engines does not keep, and is gone within 24 h.
   */
  @Bean
  ErasureHook idempotencyKeysErasure(IdempotencyStore store) {
    return ErasureHook.purgeOnly("idempotency_key", store::purge);
  }

  @Bean
  IdempotencySweep idempotencySweep(
      Idempotency idempotency, TenantDirectory tenants, ClusterJobs cluster) {
    return new IdempotencySweep(idempotency, tenants, cluster);
  }

  /** The sweep on {@code engines.idempotency.sweep-cron}, unless it is {@code -}. */
  @Bean
  SchedulingConfigurer idempotencySweepSchedule(
      IdempotencySweep sweep, IdempotencySettings settings) {
    return registrar -> {
      if (settings.sweepEnabled()) {
        registrar.addCronTask(
            () -> {
              try {
                sweep.tick();
              } catch (RuntimeException e) {
                log.error("idempotency sweep: the run failed; the next one retries", e);
              }
            },
            settings.sweepCron());
      }
    };
  }

  @Bean
  ProductionReadinessCheck idempotencyReadinessCheck(IdempotencySettings settings) {
    return () ->
        settings.sweepEnabled()
            ? List.of()
            : List.of(
                new ReadinessFinding(
                    "idempotency.sweep_disabled",
                    "engines.idempotency.sweep-cron is -: expired idempotency keys and their responses are never deleted; set a schedule."));
  }
}
