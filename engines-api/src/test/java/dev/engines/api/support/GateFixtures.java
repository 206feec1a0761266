package dev.engines.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.ids.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Gates slots, strategy locks and KPIs made through the public API, for tests that need them. */
public final class GateFixtures {

  private final TestApi api;

  public GateFixtures(TestApi api) {
    this.api = api;
  }

  /** Writes the env's gates slot as {@code admin}. */
  public void slot(Member admin, String env, boolean fourEyes) {
    TestApi.Response r =
        api.put("/v1/config/gates").as(admin, env).json(Map.of("four_eyes", fourEyes)).send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
  }

  /** A lock body valid from a minute ago for an hour; {@code surface} null for every surface. */
  public static Map<String, Object> lockBody(String surface, List<String> actions) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("scope", "kpi_corridor");
    body.put("allowed_actions", actions);
    body.put("valid_from", Instant.now().minus(Duration.ofMinutes(1)).toString());
    body.put("valid_until", Instant.now().plus(Duration.ofHours(1)).toString());
    if (surface != null) {
      body.put("surface", surface);
    }
    body.put("title", "Q3 thresholds");
    body.put("description", "Agreed in the weekly review.");
    return body;
  }

  /** Drafts a lock as {@code by}; answers its id. */
  public String draft(Member by, String env, String surface, List<String> actions) {
    TestApi.Response r =
        api.post("/v1/strategy-locks").as(by, env).json(lockBody(surface, actions)).send();
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.text("lock_id");
  }

  /**
   * A lock drafted and approved by {@code owner} in {@code env}, whose gates slot is set to allow
   * that (no four eyes); answers its id.
   */
  public String approved(Member owner, String env, String surface, String... actions) {
    slot(owner, env, false);
    String lockId = draft(owner, env, surface, List.of(actions));
    TestApi.Response r =
        api.post("/v1/strategy-locks/" + lockId + "/approve").as(owner, env).send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return lockId;
  }

  /**
   * A kept Temperature snapshot of {@code surface} in {@code env}, whose weights {@code owner} sets
   * under a lock of its own first; answers the snapshot's id.
   */
  public String snapshot(Member owner, String env, String surface) {
    approved(owner, env, surface, "temperature:upsert_weights");
    TestApi.Response weights =
        api.put("/v1/temperature/" + surface + "/weights")
            .as(owner, env)
            .json(Map.of("weights", Map.of("conversion", 1), "source", "tenant_override"))
            .send();
    assertThat(weights.status()).as("%s", weights).isEqualTo(200);
    TestApi.Response kept =
        api.post("/v1/temperature/" + surface + "/snapshots").as(owner, env).json(Map.of()).send();
    assertThat(kept.status()).as("%s", kept).isEqualTo(201);
    return kept.text("snapshot_id");
  }

  /** A new KPI {@code k_<random>} on {@code surface} in {@code env}; answers its name. */
  public String kpi(Member admin, String env, String surface) {
    String name = "k_" + Ids.randomToken(10);
    TestApi.Response r =
        api.put("/v1/kpis/" + name)
            .as(admin, env)
            .json(Map.of("description", "Orders per visit", "unit", "%", "surface", surface))
            .send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return name;
  }
}
