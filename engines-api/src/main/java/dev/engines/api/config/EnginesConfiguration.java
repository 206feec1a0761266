package dev.engines.api.config;

import dev.engines.core.db.CommitHook;
import dev.engines.core.db.FailFastDataSource;
import dev.engines.core.db.ScopedTransactions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Wires what the application shares with every engine: the fail-fast connection pool, the clock and
 * the scoped transactions with every commit hook (the idempotency key's record, the request's
 * DatasetEvent from engines-ledger). Each engine module brings its own wiring, settings and
 * readiness check ({@code AutoConfiguration.imports}).
 */
@Configuration(proxyBeanMethods = false)
public class EnginesConfiguration {

  /**
   * Wraps the connection pool so that, once it found the database unreachable, requests fail at
   * once instead of each waiting out the pool's connection timeout ({@link FailFastDataSource}).
   */
  @Bean
  static BeanPostProcessor failFastDataSource() {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String name) {
        return bean instanceof DataSource pool && !(bean instanceof FailFastDataSource)
            ? new FailFastDataSource(pool)
            : bean;
      }
    };
  }

  /**
   * {@code engines.database.unreachable}: 1 while the service fails fast because the database is
   * gone.
   */
  @Bean
  MeterBinder databaseReachability(DataSource dataSource) throws SQLException {
    FailFastDataSource source = dataSource.unwrap(FailFastDataSource.class);
    return registry ->
        Gauge.builder("engines.database.unreachable", source, s -> s.down() ? 1 : 0)
            .description(
                "1 while the database is unreachable and requests fail fast with 503 database_unavailable")
            .register(registry);
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  /**
   * {@code hooks}: every commit hook, in order ({@code Ordered} first): the idempotency key's
   * record, then the request's DatasetEvent ({@code requestLedger}, a hook too), in the change's
   * transaction.
   */
  @Bean
  ScopedTransactions scopedTransactions(
      JdbcClient jdbc, PlatformTransactionManager transactionManager, List<CommitHook> hooks) {
    return new ScopedTransactions(jdbc, transactionManager, CommitHook.all(hooks));
  }
}
