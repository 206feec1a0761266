package dev.engines.gates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.error.InvalidFieldsException;
import dev.engines.core.gdpr.PurgeFence;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Role;
import dev.engines.core.scope.RouteAction;
import dev.engines.core.scope.Scope;
import dev.engines.ledger.DatasetEvent;
import dev.engines.ledger.EventRecorder;
import dev.engines.ledger.RefType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The rules a strategy lock and an action name obey, checked before anything is stored: no Spring
 * context, no database (the stores are never reached when a rule fails).
 */
class StrategyLocksTests {

  private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  private static final Caller ADMIN =
      new Caller(Scope.of("t_a", "dev"), Caller.ActorType.USER, "u_a", null, null, Role.ADMIN);

  private final StrategyLocks locks;

  StrategyLocksTests() {
    DriverManagerDataSource unused = new DriverManagerDataSource();
    JdbcClient jdbc = JdbcClient.create(unused);
    locks =
        new StrategyLocks(
            jdbc,
            new ScopedTransactions(jdbc, new DataSourceTransactionManager(unused)),
            Clock.fixed(NOW, ZoneOffset.UTC),
            (tenant, env, actor, context, action, type, id, details) -> null,
            new NoEvents(),
            (caller, text) -> text,
            caller -> new GateSlots.GatesSlot(true),
            new PurgeFence(jdbc));
  }

  private List<String> errors(StrategyLocks.NewLock lock) {
    InvalidFieldsException e =
        catchThrowableOfType(InvalidFieldsException.class, () -> locks.create(ADMIN, lock));
    assertThat(e).as("refused before anything is stored").isNotNull();
    return e.errors().stream().map(InvalidFieldsException.FieldError::field).toList();
  }

  private static StrategyLocks.NewLock lock(
      String scope,
      List<String> actions,
      Instant from,
      Instant until,
      String surface,
      String title) {
    return new StrategyLocks.NewLock(scope, actions, from, until, surface, title, null);
  }

  @Test
  void createWhenEveryFieldBrokenThenEachNamed() {
    assertThat(
            errors(
                lock(
                    "weekly",
                    Arrays.asList("*", "Nexus:Derive", null),
                    null,
                    null,
                    "Bad Surface",
                    " ")))
        .containsExactly(
            "scope",
            "allowed_actions[0]",
            "allowed_actions[1]",
            "allowed_actions[2]",
            "valid_from",
            "valid_until",
            "surface",
            "title");
  }

  @Test
  void createWhenStarIsNotAloneOrAnActionRepeatsThenRefused() {
    assertThat(
            errors(
                lock(
                    "other",
                    List.of("kpi:corridor_upsert", "*"),
                    NOW,
                    NOW.plusSeconds(60),
                    null,
                    "t")))
        .containsExactly("allowed_actions[1]");
    assertThat(
            errors(
                lock(
                    "other",
                    List.of("kpi:corridor_upsert", "kpi:corridor_upsert"),
                    NOW,
                    NOW.plusSeconds(60),
                    null,
                    "t")))
        .containsExactly("allowed_actions[1]");
    assertThat(errors(lock("other", List.of(), NOW, NOW.plusSeconds(60), null, "t")))
        .containsExactly("allowed_actions");
  }

  @Test
  void createWhenWindowEmptyOrAlreadyOverThenRefused() {
    assertThat(
            errors(
                lock("budget", List.of("*"), NOW.plusSeconds(60), NOW.plusSeconds(60), null, "t")))
        .as("valid_until must be after valid_from")
        .containsExactly("valid_until");
    assertThat(errors(lock("budget", List.of("*"), NOW.minusSeconds(120), NOW, null, "t")))
        .as("valid_until must be in the future")
        .containsExactly("valid_until");
  }

  @Test
  void actionNamesWhenEngineColonVerbInLowerCaseThenValidElseNot() {
    assertThat(List.of("nexus:derive", "kpi:corridor_upsert", "safety:kill_switch_update", "a:b"))
        .allMatch(a -> GateActions.NAME.matcher(a).matches());
    assertThat(
            List.of(
                "nexus",
                "nexus:",
                ":derive",
                "Nexus:derive",
                "nexus:derive.run",
                "nexus:derive:now",
                "1x:y",
                "*"))
        .noneMatch(a -> GateActions.NAME.matcher(a).matches());
    assertThat(GateActions.NEVER_DISABLED)
        .contains(GateActions.KILL_SWITCH_UPDATE, GateActions.LOCK_APPROVE)
        .allMatch(a -> GateActions.NAME.matcher(a).matches());
  }

  /** The request's event recorder outside a request: records nothing. */
  private static final class NoEvents implements EventRecorder {
    @Override
    public void input(Caller caller, RefType type, String id) {}

    @Override
    public void output(Caller caller, RefType type, String id) {}

    @Override
    public void pii(Caller caller, Map<String, Object> flags, boolean trainOk) {}

    @Override
    public void job(
        Caller caller,
        RouteAction action,
        List<DatasetEvent.Ref> inputs,
        List<DatasetEvent.Ref> outputs) {}
  }
}
