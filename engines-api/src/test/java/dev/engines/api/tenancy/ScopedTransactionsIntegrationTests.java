package dev.engines.api.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.api.support.IntegrationTest;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import org.junit.jupiter.api.Test;

/**
 * {@code writeUnflushed} lowers {@code synchronous_commit} for its own transaction only, keeps the
 * tenant binding, and a write that must reach the WAL never joins such a transaction.
 */
class ScopedTransactionsIntegrationTests extends IntegrationTest {

  private String synchronousCommit() {
    return jdbc.sql("SELECT current_setting('synchronous_commit')").query(String.class).single();
  }

  @Test
  void writeUnflushedWhenOpenThenOnlyItsTransactionSkipsTheWalFlushAndItStaysBound() {
    Scope scope = Scope.of(tenants.tenant("unf").tenantId(), "dev");
    String serverDefault = tx.write(Caller.system(scope, "test"), this::synchronousCommit);

    String inside = tx.writeUnflushed(Caller.system(scope, "test"), this::synchronousCommit);
    String tenantInside =
        tx.writeUnflushed(
            Caller.system(scope, "test"),
            () -> jdbc.sql("SELECT current_setting('app.tenant_id')").query(String.class).single());

    assertThat(serverDefault).isNotEqualTo("off");
    assertThat(inside).isEqualTo("off");
    assertThat(tenantInside).isEqualTo(scope.tenantId());
    assertThat(tx.write(Caller.system(scope, "test"), this::synchronousCommit))
        .as("the next transaction on the pool")
        .isEqualTo(serverDefault);
  }

  @Test
  void writeWhenNestedInAnUnflushedTransactionThenRefusedButReadsAndTheOtherWayRoundJoin() {
    Scope scope = Scope.of(tenants.tenant("unn").tenantId(), "dev");

    assertThatThrownBy(
            () ->
                tx.writeUnflushed(
                    Caller.system(scope, "test"),
                    () -> tx.write(Caller.system(scope, "test"), this::synchronousCommit)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot join an unflushed transaction");
    assertThat(
            tx.writeUnflushed(
                Caller.system(scope, "test"),
                () -> tx.read(Caller.system(scope, "test"), this::synchronousCommit)))
        .as("a read needs no flush: it joins the unflushed transaction")
        .isEqualTo("off");
    assertThat(
            tx.write(
                Caller.system(scope, "test"),
                () -> tx.writeUnflushed(Caller.system(scope, "test"), this::synchronousCommit)))
        .as("an unflushed write inside a flushed one commits with it, flushed")
        .isNotEqualTo("off");
  }
}
