package dev.engines.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class FailFastDataSourceTests {

  /** A pool that fails (as configured) or hands out an inert connection, counting the asks. */
  private static final class Pool implements DataSource {
    volatile SQLException failure;
    final AtomicInteger asks = new AtomicInteger();

    @Override
    public Connection getConnection() throws SQLException {
      asks.incrementAndGet();
      if (failure != null) {
        throw failure;
      }
      return (Connection)
          Proxy.newProxyInstance(
              Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, method, args) -> null);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() {
      return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) {
      return null;
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }

  @Test
  void getConnectionWhenServerFoundUnreachableThenLaterCallersFailAtOnceUntilTheProbeConnects()
      throws Exception {
    Pool pool = new Pool();
    FailFastDataSource source = new FailFastDataSource(pool);
    pool.failure =
        new SQLTransientConnectionException(
            "not available", "08001", new SQLException("refused", "08001"));
    assertThatThrownBy(source::getConnection).isSameAs(pool.failure);
    assertThat(source.down()).isTrue();

    int asked = pool.asks.get();
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(source::getConnection)
          .isInstanceOf(SQLTransientConnectionException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"));
    }
    assertThat(pool.asks.get() - asked)
        .as("callers never wait on the pool; only the probe asks")
        .isLessThanOrEqualTo(1);

    pool.failure = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (source.down() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(source.down()).as("the probe connected").isFalse();
    try (Connection connection = source.getConnection()) {
      assertThat(connection).isNotNull();
    }
  }

  @Test
  void getConnectionWhenPoolMerelyBusyThenNotDown() {
    Pool pool = new Pool();
    FailFastDataSource source = new FailFastDataSource(pool);
    pool.failure = new SQLTransientConnectionException("request timed out after 5000ms");
    assertThatThrownBy(source::getConnection).isSameAs(pool.failure);
    assertThat(source.down()).isFalse();
  }
}
