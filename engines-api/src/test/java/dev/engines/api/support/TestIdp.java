package dev.engines.api.support;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * A local OIDC identity provider for tests: a freshly generated RSA key pair whose public JWKS is
 * served over real HTTP on loopback, and a minting method for signed JWTs.
 */
public final class TestIdp {

  public static final String ISSUER = "https://idp.test.engines";
  public static final String AUDIENCE = "engines";

  private static TestIdp instance;

  private final RSAKey key;
  private final RSAKey stranger;
  private final HttpServer server;

  private TestIdp() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("test-key").generate();
    stranger = new RSAKeyGenerator(2048).keyID("test-key").generate();
    byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/jwks",
        exchange -> {
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, jwks.length);
          exchange.getResponseBody().write(jwks);
          exchange.close();
        });
    server.start();
  }

  public static synchronized TestIdp get() {
    if (instance == null) {
      try {
        instance = new TestIdp();
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the test identity provider", e);
      }
    }
    return instance;
  }

  public URI jwksUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
  }

  /** A valid token for {@code subject}, signed by the trusted key. */
  public String token(String subject) {
    return sign(key, ISSUER, subject, AUDIENCE, Instant.now().plusSeconds(300));
  }

  /** A token with every field chosen by the test. */
  public String token(
      boolean trustedKey, String issuer, String subject, String audience, Instant expiresAt) {
    return sign(trustedKey ? key : stranger, issuer, subject, audience, expiresAt);
  }

  private static String sign(
      RSAKey signer, String issuer, String subject, String audience, Instant expiresAt) {
    try {
      JWTClaimsSet claims =
          new JWTClaimsSet.Builder()
              .issuer(issuer)
              .subject(subject)
              .audience(List.of(audience))
              .issueTime(Date.from(Instant.now().minusSeconds(5)))
              .expirationTime(Date.from(expiresAt))
              .claim("role", "owner")
              .build();
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256)
                  .keyID(signer.getKeyID())
                  .type(JOSEObjectType.JWT)
                  .build(),
              claims);
      jwt.sign(new RSASSASigner(signer));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
