package dev.engines.gates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.engines.core.error.InvalidFieldsException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The gates slot's rules and the deployment's limits: no Spring context, no database. */
class GatesSlotRulesTests {

  private static final Set<String> ACTIONS = Set.of("nexus:derive", "vector:search");
  private static final GatesSettings DEPLOYMENT =
      new GatesSettings(
          Map.of(
              "env",
              new GatesSettings.Limit(100L, 1_000L),
              "write",
              new GatesSettings.Limit(null, 50L)),
          Map.of("sessions", new GatesSettings.Limit(10L, null)),
          null);

  private static List<String> errors(Map<String, Object> settings) {
    return catchThrowableOfType(
            InvalidFieldsException.class,
            () -> new GatesSlotRules(DEPLOYMENT, () -> ACTIONS).validate(settings))
        .errors()
        .stream()
        .map(InvalidFieldsException.FieldError::field)
        .toList();
  }

  @Test
  void validateWhenLimitsWithinCeilingsThenCanonicalAndReadBack() {
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("four_eyes", true);
    in.put("rate_limits", Map.of("env", 1_000, "write", 5));
    in.put("quotas", Map.of("sessions", 3, "requests_per_day", 100));
    in.put(
        "budgets",
        Map.of(
            "cost_units_per_month", 70, "prices", Map.of("nexus:derive", 5, "vector:search", 0)));
    Map<String, Object> out = new GatesSlotRules(DEPLOYMENT, () -> ACTIONS).validate(in);
    assertThat(GatesSlotRules.read(out).fourEyes()).isTrue();
    GatesSlotRules.Limits limits = GatesSlotRules.limits(out);
    assertThat(limits.get("rate_limits", "env")).isEqualTo(1_000L);
    assertThat(limits.get("quotas", "sessions")).isEqualTo(3L);
    assertThat(limits.get("budgets", "cost_units_per_month")).isEqualTo(70L);
    assertThat(limits.price("nexus:derive")).isEqualTo(5L);
    assertThat(limits.price("tenant:me_get")).as("no price, no cost").isZero();
  }

  @Test
  void validateWhenNameUnknownAboveCeilingTenantWideOrPriceForNoActionThenEachFieldNamed() {
    assertThat(
            errors(
                Map.of(
                    "four_eyes",
                    false,
                    "rate_limits",
                    Map.of("env", 1_001, "write", 51, "tenant", 1, "reads", 1),
                    "quotas",
                    Map.of("sessions", 0, "atoms", "many"),
                    "budgets",
                    Map.of("prices", Map.of("nexus:dream", 1, "vector:search", -1)),
                    "limits",
                    Map.of())))
        .containsExactlyInAnyOrder(
            "limits",
            "rate_limits.env",
            "rate_limits.write",
            "rate_limits.tenant",
            "rate_limits.reads",
            "quotas.sessions",
            "quotas.atoms",
            "budgets.prices.nexus:dream",
            "budgets.prices.vector:search");
    assertThat(errors(Map.of("rate_limits", List.of(1))))
        .containsExactlyInAnyOrder("four_eyes", "rate_limits");
  }

  @Test
  void effectiveWhenSlotSilentThenDeploymentValueAndAlwaysWithinTheCeiling() {
    assertThat(DEPLOYMENT.limit("rate_limits", "env").effective(null)).isEqualTo(100L);
    assertThat(DEPLOYMENT.limit("rate_limits", "env").effective(700L)).isEqualTo(700L);
    assertThat(new GatesSettings.Limit(100L, 500L).effective(900L))
        .as("a ceiling lowered since")
        .isEqualTo(500L);
    assertThat(DEPLOYMENT.limit("rate_limits", "write").effective(null))
        .as("no value: the ceiling")
        .isEqualTo(50L);
    assertThat(DEPLOYMENT.limit("quotas", "atoms").effective(null)).as("unlimited").isNull();
    assertThat(GatesSettings.DEFAULTS.limit("rate_limits", "api_key").value()).isEqualTo(12_000L);
    assertThat(
            new GatesSettings(Map.of("api-key", new GatesSettings.Limit(5L, null)), null, null)
                .limit("rate_limits", "api_key")
                .value())
        .as("as YAML spells it")
        .isEqualTo(5L);
  }

  @Test
  void settingsWhenUnknownNameOrValueAboveCeilingThenStartupFails() {
    assertThatThrownBy(
            () ->
                new GatesSettings(
                    Map.of("per_second", new GatesSettings.Limit(1L, null)), null, null))
        .hasMessageContaining("engines.gates.rate-limits has no limit named [per_second]");
    assertThatThrownBy(
            () -> new GatesSettings(null, Map.of("atoms", new GatesSettings.Limit(10L, 5L)), null))
        .hasMessageContaining("engines.gates.quotas.atoms: value 10 is above the ceiling 5");
    assertThatThrownBy(
            () ->
                new GatesSettings(
                    null, null, Map.of("cost_units_per_day", new GatesSettings.Limit(0L, null))))
        .hasMessageContaining("at least 1");
  }
}
