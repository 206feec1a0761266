package dev.engines.ledger.internal;

import dev.engines.core.db.ScopedTransactions;
import dev.engines.ledger.Ledger;
import dev.engines.ledger.LedgerSink;
import dev.engines.ledger.RelaySettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The ledger relay and its sinks, scheduled in-process when {@code engines.ledger.relay.enabled}.
 */
@Configuration(proxyBeanMethods = false)
public class RelayConfiguration {

  @Bean
  LedgerRelay ledgerRelay(
      JdbcClient jdbc, ScopedTransactions tx, Ledger ledger, RelaySettings settings, Clock clock) {
    List<LedgerSink> sinks = new ArrayList<>();
    if (settings.sinks().contains("log")) {
      sinks.add(new LogSink());
    }
    if (settings.sinks().contains("openlineage")) {
      sinks.add(
          new OpenLineageSink(
              settings.openlineageUrl(),
              settings.openlineageTimeout(),
              settings.openlineageApiKey(),
              settings.openlineageBatch()));
    }
    return new LedgerRelay(jdbc, tx, ledger, sinks, settings.batchSize(), clock);
  }

  @Bean
  SmartLifecycle ledgerRelaySchedule(LedgerRelay relay, RelaySettings settings) {
    return new SmartLifecycle() {
      private ScheduledExecutorService executor;

      @Override
      public void start() {
        if (!settings.enabled()) {
          return;
        }
        executor =
            Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("ledger-relay").daemon().factory());
        long millis = settings.interval().toMillis();
        executor.scheduleWithFixedDelay(relay::runScheduled, millis, millis, TimeUnit.MILLISECONDS);
      }

      @Override
      public void stop() {
        if (executor != null) {
          executor.shutdown();
          executor = null;
        }
      }

      @Override
      public boolean isRunning() {
        return executor != null;
      }
    };
  }
}
