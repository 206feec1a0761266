package dev.engines.tenant.internal;

import com.nimbusds.jwt.JWTParser;
import dev.engines.core.error.EnginesException;
import dev.engines.tenant.AuthSettings;
import dev.engines.tenant.Principal;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Verifies OIDC JWTs against an allowlist of issuers, each with its own JWKS. The issuer is read
 * from the unverified token only to pick the decoder, which then verifies signature, issuer, time
 * claims and audience. Roles never come from claims: the membership table decides.
 */
public final class OidcVerifier {

  private final Map<String, JwtDecoder> decoders = new LinkedHashMap<>();

  public OidcVerifier(AuthSettings settings) {
    for (AuthSettings.TrustedIssuer trusted : settings.trustedIssuers()) {
      if (!settings.developmentMode() && !"https".equals(trusted.jwkSetUri().getScheme())) {
        throw new IllegalStateException(
            "engines.auth.trusted-issuers: jwk-set-uri of "
                + trusted.issuer()
                + " must use https outside development mode");
      }
      NimbusJwtDecoder decoder =
          NimbusJwtDecoder.withJwkSetUri(trusted.jwkSetUri().toString()).build();
      OAuth2TokenValidator<Jwt> validator = JwtValidators.createDefaultWithIssuer(trusted.issuer());
      if (!trusted.audiences().isEmpty()) {
        validator =
            new DelegatingOAuth2TokenValidator<>(
                validator,
                new JwtClaimValidator<List<String>>(
                    "aud",
                    aud -> aud != null && aud.stream().anyMatch(trusted.audiences()::contains)));
      }
      decoder.setJwtValidator(validator);
      decoders.put(trusted.issuer(), decoder);
    }
  }

  /**
   * Verifies a JWT; 401 {@code token_invalid} for anything but a valid token of a trusted issuer.
   */
  public Principal.Oidc verify(String token) {
    String issuer;
    try {
      issuer = JWTParser.parse(token).getJWTClaimsSet().getIssuer();
    } catch (ParseException e) {
      throw tokenInvalid();
    }
    JwtDecoder decoder = issuer == null ? null : decoders.get(issuer);
    if (decoder == null) {
      throw tokenInvalid();
    }
    try {
      Jwt jwt = decoder.decode(token);
      if (jwt.getSubject() == null || jwt.getSubject().isBlank()) {
        throw tokenInvalid();
      }
      return new Principal.Oidc(issuer, jwt.getSubject());
    } catch (JwtException e) {
      throw tokenInvalid();
    }
  }

  private static EnginesException tokenInvalid() {
    return EnginesException.unauthorized(
        "token_invalid", "The token is not a valid JWT from a trusted issuer.");
  }
}
