package dev.engines.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.TestTenants.Member;
import dev.engines.core.scope.Caller;
import dev.engines.core.scope.Scope;
import dev.engines.nexus.NexusSlots;
import dev.engines.storage.ObjectKey;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Raw assets and atoms made through the public API, for tests that need one to exist. */
public final class NexusFixtures {

  private final TestApi api;

  public NexusFixtures(TestApi api) {
    this.api = api;
  }

  /** The objects under {@code owner}'s tenant/env prefix in the env's current storage location. */
  public static List<ObjectKey> objects(NexusSlots slots, Member owner, String env) {
    Scope scope = Scope.of(owner.tenantId(), env);
    try (Stream<ObjectKey> keys =
        slots.storage(Caller.system(scope, "test")).store().list(ObjectKey.scopePrefix(scope))) {
      return keys.toList();
    }
  }

  /** Uploads {@code text} as a text/plain asset in {@code env}; answers its asset id. */
  public String asset(Member by, String env, String text) {
    TestApi.Response r =
        api.post("/v1/assets?filename=notes.txt").as(by, env).body(text, "text/plain").send();
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.text("asset_id");
  }

  /** A fresh asset in {@code env}. */
  public String asset(Member by, String env) {
    return asset(by, env, "first line\nsecond line\n");
  }

  /** Derives {@code op_type} over an asset and answers the response body. */
  public TestApi.Response derive(
      Member by, String env, String assetId, String opType, Map<String, Object> params) {
    return api.post("/v1/assets/" + assetId + "/derivations")
        .as(by, env)
        .json(Map.of("op_type", opType, "params", params))
        .send();
  }

  /** The id of the first atom of a fresh asset's text.lines derivation in {@code env}. */
  public String atom(Member by, String env) {
    String assetId = asset(by, env);
    TestApi.Response run = derive(by, env, assetId, "text.lines", Map.of());
    assertThat(run.status()).as("%s", run).isEqualTo(200);
    TestApi.Response atoms = api.get("/v1/atoms?asset_id=" + assetId).as(by, env).send();
    assertThat(atoms.status()).as("%s", atoms).isEqualTo(200);
    return atoms.json().get("items").get(0).get("atom_id").asString();
  }
}
