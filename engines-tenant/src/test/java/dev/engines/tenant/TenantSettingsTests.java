package dev.engines.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.core.readiness.ReadinessFinding;
import dev.engines.tenant.internal.AuthReadinessCheck;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module's deployment settings ({@code engines.tenant}, {@code engines.auth}) as startup
 * validates them, and the module's production-readiness finding. No Spring, no database.
 */
class TenantSettingsTests {

  private static final String OPERATOR_SHA =
      "8ada381251fcd32660c699c8756ba8c4e01efa2b378aabe77be0509d9291d3a8";

  private static ValidatorFactory factory;
  private static Validator validator;

  @BeforeAll
  static void validator() {
    factory = Validation.buildDefaultValidatorFactory();
    validator = factory.getValidator();
  }

  @AfterAll
  static void close() {
    factory.close();
  }

  @Test
  void tenantSettingsWhenOverlapWithinItsMaximumThenValid() {
    assertThat(
            violations(
                new TenantSettings(Duration.ofHours(1), Duration.ofDays(7), Duration.ofDays(365))))
        .isEmpty();
    assertThat(violations(new TenantSettings(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1))))
        .isEmpty();
  }

  @Test
  void tenantSettingsWhenOverlapAboveMaximumNegativeOrTtlNotPositiveThenConsistentIsNamed() {
    assertThat(
            violations(
                new TenantSettings(Duration.ofDays(8), Duration.ofDays(7), Duration.ofDays(365))))
        .containsExactly("consistent");
    assertThat(
            violations(
                new TenantSettings(Duration.ofHours(-1), Duration.ofDays(7), Duration.ofDays(365))))
        .containsExactly("consistent");
    assertThat(
            violations(new TenantSettings(Duration.ofHours(1), Duration.ofDays(7), Duration.ZERO)))
        .containsExactly("consistent");
    assertThat(violations(new TenantSettings(null, null, null)))
        .containsExactlyInAnyOrder("keyRotationOverlap", "maxKeyRotationOverlap", "maxKeyTtl");
  }

  @Test
  void authSettingsWhenOperatorHashNotLowercaseHexSha256ThenNamed() {
    assertThat(violations(new AuthSettings(OPERATOR_SHA, List.of(), false))).isEmpty();
    assertThat(violations(new AuthSettings(OPERATOR_SHA.toUpperCase(), List.of(), false)))
        .containsExactly("operatorTokenSha256");
    assertThat(violations(new AuthSettings("eop_the-token-itself", List.of(), false)))
        .containsExactly("operatorTokenSha256");
    assertThat(violations(new AuthSettings(OPERATOR_SHA, null, false)))
        .containsExactly("trustedIssuers");
  }

  @Test
  void authSettingsWhenTrustedIssuerIncompleteThenNestedFieldNamed() {
    AuthSettings settings =
        new AuthSettings(
            OPERATOR_SHA, List.of(new AuthSettings.TrustedIssuer(" ", null, null)), false);
    assertThat(violations(settings))
        .containsExactlyInAnyOrder("trustedIssuers[0].issuer", "trustedIssuers[0].jwkSetUri");
    assertThat(
            new AuthSettings.TrustedIssuer(
                    "https://idp.example", URI.create("https://idp.example/jwks"), null)
                .audiences())
        .as("no audiences: any audience")
        .isEmpty();
  }

  @Test
  void readinessWhenDevelopmentModeThenAuthDevelopmentFindingElseNone() {
    assertThat(new AuthReadinessCheck(new AuthSettings(OPERATOR_SHA, List.of(), true)).findings())
        .extracting(ReadinessFinding::code)
        .containsExactly("auth.development");
    assertThat(new AuthReadinessCheck(new AuthSettings(OPERATOR_SHA, List.of(), false)).findings())
        .isEmpty();
  }

  private static Set<String> violations(Object settings) {
    Set<ConstraintViolation<Object>> violations = validator.validate(settings);
    return violations.stream().map(v -> v.getPropertyPath().toString()).collect(Collectors.toSet());
  }
}
