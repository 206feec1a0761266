package dev.engines.tenant;

import dev.engines.core.config.RequiredSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code engines.auth} configuration slot. Required.
 *
 * @param operatorTokenSha256 hex SHA-256 of the operator credential ({@code eop_…}); the token
 *     itself is never configured, so configuration dumps cannot leak it
 * @param trustedIssuers OIDC issuers whose JWTs are accepted (may be empty: API keys only)
 * @param developmentMode local conveniences (plain-http JWKS URIs); refused by the production
 *     readiness check
 */
@Validated
@RequiredSettings
@ConfigurationProperties("engines.auth")
public record AuthSettings(
    @NotBlank
        @Pattern(
            regexp = "^[0-9a-f]{64}$",
            message = "must be the lowercase hex SHA-256 of the operator token")
        String operatorTokenSha256,
    @NotNull @Valid List<TrustedIssuer> trustedIssuers,
    boolean developmentMode) {

  /**
   * One trusted OIDC issuer.
   *
   * @param issuer the exact {@code iss} claim value
   * @param jwkSetUri where its signing keys are published
   * @param audiences accepted {@code aud} values; empty accepts any audience
   */
  public record TrustedIssuer(
      @NotBlank String issuer, @NotNull URI jwkSetUri, List<String> audiences) {
    public TrustedIssuer {
      audiences = audiences == null ? List.of() : List.copyOf(audiences);
    }
  }
}
