package dev.engines.tenant.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.core.error.EnginesException;
import dev.engines.tenant.AuthSettings;
import dev.engines.tenant.AuthSettings.TrustedIssuer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OIDC verifier's rules that need no identity provider: which JWKS locations a deployment may
 * trust, and that anything but a token of a trusted issuer is refused before a key is fetched.
 * Signed tokens from a real issuer are covered by the engines-api JWT integration tests. No Spring,
 * no database, no network (the JWKS URIs are never reached).
 */
class OidcVerifierTests {

  private static final String OPERATOR_SHA =
      "8ada381251fcd32660c699c8756ba8c4e01efa2b378aabe77be0509d9291d3a8";

  @Test
  void constructWhenPlainHttpJwksOutsideDevelopmentModeThenStartupFailsNamingTheIssuer() {
    AuthSettings settings =
        settings(
            false,
            new TrustedIssuer("https://idp.example", URI.create("http://idp.example/jwks"), null));
    assertThatThrownBy(() -> new OidcVerifier(settings))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("https://idp.example")
        .hasMessageContaining("https");
  }

  @Test
  void constructWhenPlainHttpJwksInDevelopmentModeOrHttpsThenAccepted() {
    assertThatCode(
            () ->
                new OidcVerifier(
                    settings(
                        true,
                        new TrustedIssuer(
                            "http://127.0.0.1", URI.create("http://127.0.0.1:1/jwks"), null))))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                new OidcVerifier(
                    settings(
                        false,
                        new TrustedIssuer(
                            "https://idp.example",
                            URI.create("https://idp.example/jwks"),
                            List.of("engines")))))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"not-a-jwt", "a.b.c", "", "eyJhbGciOiJub25lIn0.e30."})
  void verifyWhenMalformedThenTokenInvalid(String token) {
    OidcVerifier verifier =
        new OidcVerifier(
            settings(
                false,
                new TrustedIssuer(
                    "https://idp.example", URI.create("https://idp.example/jwks"), null)));
    assertTokenInvalid(verifier, token);
  }

  @Test
  void verifyWhenIssuerNotTrustedOrMissingThenTokenInvalidWithoutFetchingKeys() {
    OidcVerifier verifier =
        new OidcVerifier(
            settings(
                false,
                new TrustedIssuer(
                    "https://idp.example", URI.create("https://idp.example/jwks"), null)));
    assertTokenInvalid(verifier, unsigned("{\"iss\":\"https://evil.example\",\"sub\":\"u1\"}"));
    assertTokenInvalid(verifier, unsigned("{\"sub\":\"u1\"}"));
  }

  private static void assertTokenInvalid(OidcVerifier verifier, String token) {
    assertThatThrownBy(() -> verifier.verify(token))
        .isInstanceOfSatisfying(
            EnginesException.class,
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.code()).isEqualTo("token_invalid");
            });
  }

  /** A JWT with an RS256 header, the given claims and a bogus signature: parseable, never valid. */
  private static String unsigned(String claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"RS256\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(new byte[64]);
  }

  private static AuthSettings settings(boolean development, TrustedIssuer issuer) {
    return new AuthSettings(OPERATOR_SHA, List.of(issuer), development);
  }
}
