package dev.engines.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.TestTenants.Member;
import java.util.List;
import java.util.Map;

/** Sessions, turns and bundles made through the public API, for tests that need them. */
public final class SessionFixtures {

  private final TestApi api;

  public SessionFixtures(TestApi api) {
    this.api = api;
  }

  /**
   * A new session of {@code member}'s user in {@code env} (whose session slot is set); answers its
   * id.
   */
  public String session(Member member, String env) {
    TestApi.Response r =
        api.post("/v1/sessions").as(member, env).json(Map.of("title", "fixture")).send();
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.text("session_id");
  }

  /** Appends a turn to {@code sessionId}; answers the response. */
  public TestApi.Response turn(
      Member member, String env, String sessionId, String role, String content) {
    return api.post("/v1/sessions/" + sessionId + "/turns")
        .as(member, env)
        .json(Map.of("role", role, "content", content))
        .send();
  }

  /** A turn in a new session of {@code member}'s user; answers its id. */
  public String turn(Member member, String env) {
    TestApi.Response r = turn(member, env, session(member, env), "user", "fixture turn");
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.text("turn_id");
  }

  /** A bundle forwarded between two new sessions of {@code member}'s user; answers its id. */
  public String bundle(Member member, String env) {
    String to = session(member, env);
    TestApi.Response r =
        api.post("/v1/sessions/" + session(member, env) + "/bundles")
            .as(member, env)
            .json(
                Map.of(
                    "to_session_id",
                    to,
                    "refs",
                    List.of(Map.of("type", "external", "id", "card:1"))))
            .send();
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.text("bundle_id");
  }
}
