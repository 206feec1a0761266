package dev.engines.api.support;

import dev.engines.api.EnginesApplication;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Another replica of the application beside the suite's: its own Spring context, connection pool (8
 * connections) and server on a free port, over the same database and trusting the same test
 * identity provider. For the tests of what must hold across replicas (shared rate limits, the key
 * cache's invalidation); the caller closes it.
 */
public final class SecondInstance {

  private SecondInstance() {}

  /** Starts the replica; answers its context, whose environment names its port. */
  public static ConfigurableApplicationContext start() {
    return new SpringApplicationBuilder(EnginesApplication.class)
        .profiles("test")
        .properties(
            Map.of(
                "server.port",
                "0",
                "engines.auth.trusted-issuers[0].issuer",
                TestIdp.ISSUER,
                "engines.auth.trusted-issuers[0].jwk-set-uri",
                TestIdp.get().jwksUri().toString(),
                "engines.auth.trusted-issuers[0].audiences[0]",
                TestIdp.AUDIENCE,
                "spring.datasource.hikari.maximum-pool-size",
                "8"))
        .run();
  }

  /** A client of the replica {@link #start} answered. */
  public static TestApi api(ConfigurableApplicationContext instance) {
    return new TestApi(((WebServerApplicationContext) instance).getWebServer().getPort());
  }
}
