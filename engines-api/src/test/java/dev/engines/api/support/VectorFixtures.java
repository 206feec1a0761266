package dev.engines.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.TestTenants.Member;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Vector spaces and vectors made through the public API, for tests that need them to exist. */
public final class VectorFixtures {

  private final TestApi api;

  public VectorFixtures(TestApi api) {
    this.api = api;
  }

  /** Creates (or finds) space {@code name} in {@code env}; answers its name. */
  public String space(
      Member by, String env, String name, int dimension, String metric, String model) {
    TestApi.Response r =
        api.post("/v1/vector-spaces")
            .as(by, env)
            .json(Map.of("name", name, "dimension", dimension, "metric", metric, "model", model))
            .send();
    assertThat(r.status()).as("%s", r).isIn(200, 201);
    return name;
  }

  /**
   * A 3-dimensional cosine space {@code docs} holding vector {@code v-1}; answers the space name.
   */
  public String space(Member by, String env) {
    space(by, env, "docs", 3, "cosine", "caller");
    upsert(by, env, "docs", List.of(item("v-1", new float[] {1, 0, 0}, Map.of("lang", "en"))));
    return "docs";
  }

  /** The id of a vector in space {@code docs} of {@code env} ({@link #space(Member, String)}). */
  public String vector(Member by, String env) {
    space(by, env);
    return "v-1";
  }

  /** One upsert item. */
  public static Map<String, Object> item(String id, float[] vector, Map<String, Object> metadata) {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("id", id);
    item.put("vector", vector);
    if (metadata != null) {
      item.put("metadata", metadata);
    }
    return item;
  }

  /** Upserts {@code items}, expecting success; answers the response. */
  public TestApi.Response upsert(
      Member by, String env, String space, List<Map<String, Object>> items) {
    TestApi.Response r =
        api.put("/v1/vector-spaces/" + space + "/vectors")
            .as(by, env)
            .json(Map.of("items", items))
            .send();
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r;
  }

  /**
   * {@code n} vectors of {@code dimension} drawn around a few centres, the same for the same seed.
   */
  public static List<float[]> clustered(long seed, int n, int dimension) {
    Random random = new Random(seed);
    float[][] centres = new float[4][dimension];
    for (float[] centre : centres) {
      for (int j = 0; j < dimension; j++) {
        centre[j] = (float) random.nextGaussian();
      }
    }
    List<float[]> vectors = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] centre = centres[random.nextInt(centres.length)];
      float[] v = new float[dimension];
      for (int j = 0; j < dimension; j++) {
        v[j] = centre[j] + 0.5f * (float) random.nextGaussian();
      }
      vectors.add(v);
    }
    return vectors;
  }
}
