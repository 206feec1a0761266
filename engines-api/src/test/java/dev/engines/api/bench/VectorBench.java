package dev.engines.api.bench;

import com.pgvector.PGvector;
import dev.engines.vector.VectorSettings;
import dev.engines.vector.embed.Embedder;
import dev.engines.vector.embed.Embedders;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The vector benchmark behind {@code bin/engines bench vector} (not a test): 200,000 vectors of 384
 * dimensions, clustered and seeded (the same data every run), in one space per tenant: the largest
 * tenant holds 40 %, a small one 1 %, ten others the rest. It measures recall@10 of searches
 * through the API against exact search, and search latency through HTTP against the same SQL run
 * directly (same database, same index), at 1 and 16 clients, over loopback, for a bounded time.
 *
 * <p>Environment: {@code ENGINES_URL}, {@code ENGINES_OPERATOR_TOKEN}, {@code ENGINES_BENCH_JDBC}
 * (the bench database), {@code ENGINES_BENCH_SECONDS} (per latency run, default 15). The vectors
 * are loaded with COPY as the owner role (bound to each tenant like the application, RLS is
 * forced); the HNSW index is then rebuilt from its own definition, as a bulk load would, and the
 * application's role runs the direct SQL.
 */
public final class VectorBench {

  static final int N = 200_000;
  static final int DIMENSION = 384;
  static final int CENTRES = 64;
  static final float NOISE = 0.6f;
  static final int QUERIES = 200;
  static final int K = 10;

  /** The service's search settings as shipped (the local profile sets none). */
  static final VectorSettings.Search SEARCH = VectorSettings.Search.DEFAULTS;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String url = System.getenv().getOrDefault("ENGINES_URL", "http://127.0.0.1:18490");
  private final String operator = System.getenv("ENGINES_OPERATOR_TOKEN");
  private final String jdbc = System.getenv("ENGINES_BENCH_JDBC");
  private final int rounds =
      Integer.parseInt(System.getenv().getOrDefault("ENGINES_BENCH_ROUNDS", "6"));
  private final int roundSeconds =
      Integer.parseInt(System.getenv().getOrDefault("ENGINES_BENCH_ROUND_SECONDS", "3"));
  private final float[][] centres = new float[CENTRES][DIMENSION];

  /** A tenant of the benchmark: its id, owner key, space id and how many vectors it holds. */
  record Tenant(String id, String key, String spaceId, int size) {}

  /** One measured case: whose space, which filter (null: none). */
  record Scenario(String name, Tenant tenant, boolean filtered) {}

  public static void main(String[] args) throws Exception {
    new VectorBench().run();
  }

  private void run() throws Exception {
    embedderThroughput();
    SplittableRandom seed = new SplittableRandom(42);
    for (float[] centre : centres) {
      for (int j = 0; j < DIMENSION; j++) {
        centre[j] = (float) gaussian(seed);
      }
    }
    List<Tenant> tenants = new ArrayList<>();
    String suffix = Long.toString(System.nanoTime() % 1_000_000, 36);
    tenants.add(tenant("t_vbig_" + suffix, N * 40 / 100));
    tenants.add(tenant("t_vsmall_" + suffix, N / 100));
    int rest = N - tenants.get(0).size() - tenants.get(1).size();
    for (int i = 0; i < 10; i++) {
      tenants.add(tenant("t_vother" + i + "_" + suffix, rest / 10 + (i < rest % 10 ? 1 : 0)));
    }
    long started = System.nanoTime();
    load(tenants, seed);
    System.out.printf(
        Locale.ROOT,
        "loaded %d vectors (%d dims, %d tenants) with COPY and rebuilt the HNSW index in %.0f s%n",
        N,
        DIMENSION,
        tenants.size(),
        (System.nanoTime() - started) / 1e9);

    Tenant big = tenants.get(0);
    Tenant small = tenants.get(1);
    List<Scenario> scenarios =
        List.of(
            new Scenario("1% tenant (2,000 vectors)", small, false),
            new Scenario("largest tenant (80,000)", big, false),
            new Scenario("largest tenant, 1% filter (800)", big, true));
    List<float[]> queries = new ArrayList<>();
    SplittableRandom q = new SplittableRandom(7);
    for (int i = 0; i < QUERIES; i++) {
      queries.add(sample(q));
    }
    for (Scenario s : scenarios) {
      recall(s, queries);
    }
    System.out.printf(
        Locale.ROOT,
        "latency: %d rounds of %d s per cell, HTTP and SQL alternating (which goes first alternates too)%n",
        rounds,
        roundSeconds);
    for (Scenario s : scenarios) {
      // Warm-up (not counted): the JIT compiler and the caches, on both paths.
      latency(s, queries, 4, "http", Math.max(3, roundSeconds));
      latency(s, queries, 4, "sql", Math.max(3, roundSeconds));
      for (int clients : new int[] {1, 16}) {
        // Alternating short rounds, so that both paths see the same load from the other work on the
        // machine: the ratio of this cell is meaningful even when its absolute numbers are not.
        List<Long> http = new ArrayList<>();
        List<Long> sql = new ArrayList<>();
        List<Long> me = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
          boolean httpFirst = round % 2 == 1;
          List<Long> a = latency(s, queries, clients, httpFirst ? "http" : "sql", roundSeconds);
          List<Long> b = latency(s, queries, clients, httpFirst ? "sql" : "http", roundSeconds);
          List<Long> h = httpFirst ? a : b;
          List<Long> d = httpFirst ? b : a;
          ratios.add(percentile(h, 50) / percentile(d, 50));
          http.addAll(h);
          sql.addAll(d);
          // What any request costs through the service (authentication, scope, gates, its
          // DatasetEvent,
          // HTTP) without a search: GET /v1/me with the same key, in the same round.
          me.addAll(latency(s, queries, clients, "me", Math.max(1, roundSeconds / 2)));
        }
        ratios.sort(null);
        System.out.printf(
            Locale.ROOT,
            "latency %-32s clients=%-2d http p50=%6.2f ms p90=%6.2f ms (n=%d) | sql p50=%6.2f ms"
                + " p90=%6.2f ms (n=%d) | p50 ratio %.2f (rounds: median %.2f, %.2f-%.2f) | GET /v1/me p50=%6.2f ms | load %s%n",
            s.name(),
            clients,
            percentile(http, 50),
            percentile(http, 90),
            http.size(),
            percentile(sql, 50),
            percentile(sql, 90),
            sql.size(),
            percentile(http, 50) / percentile(sql, 50),
            ratios.get(ratios.size() / 2),
            ratios.get(0),
            ratios.get(ratios.size() - 1),
            percentile(me, 50),
            loadAverage());
      }
    }
  }

  /** The {@code p}th percentile in ms of the times (ns). */
  private static double percentile(List<Long> times, int p) {
    List<Long> sorted = new ArrayList<>(times);
    sorted.sort(null);
    return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100)) / 1e6;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  /**
   * The built-in model in this JVM, on one thread (one core) and on two: embeddings per second of
   * sentences of 12 to 60 words, after a warm-up.
   */
  private static void embedderThroughput() throws Exception {
    Embedder model = Embedders.builtIn().get("all-minilm-l6-v2-q").orElseThrow();
    String[] words =
        ("the invoice order customer shipped payment account quarterly report meeting notes support ticket"
                + " refund delivery address warehouse product review contract renewal policy update schedule")
            .split(" ");
    SplittableRandom random = new SplittableRandom(3);
    List<String> texts = new ArrayList<>();
    long totalWords = 0;
    for (int i = 0; i < 1_200; i++) {
      int n = 12 + random.nextInt(49);
      totalWords += n;
      StringBuilder text = new StringBuilder();
      for (int w = 0; w < n; w++) {
        text.append(w == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
      }
      texts.add(text.append('.').toString());
    }
    texts.subList(0, 200).forEach(model::embed);
    for (int threads : new int[] {1, 2}) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> done = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int t = 0; t < threads; t++) {
        int from = t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 200 + from; i < texts.size(); i += threads) {
                    model.embed(texts.get(i));
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      pool.shutdown();
      System.out.printf(
          Locale.ROOT,
          "embedder all-minilm-l6-v2-q: %d threads, %.0f embeddings/s (%.0f per thread), texts of"
              + " %.0f words on average%n",
          threads,
          1_000 / seconds,
          1_000 / seconds / threads,
          totalWords / 1_200.0);
    }
  }

  private float[] sample(SplittableRandom random) {
    float[] centre = centres[random.nextInt(CENTRES)];
    float[] v = new float[DIMENSION];
    for (int j = 0; j < DIMENSION; j++) {
      v[j] = centre[j] + NOISE * (float) gaussian(random);
    }
    return v;
  }

  private static double gaussian(SplittableRandom random) {
    // Box-Muller on the seeded generator (java.util.Random's nextGaussian is not on
    // SplittableRandom).
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  private Tenant tenant(String id, int size) throws Exception {
    String created =
        send(
            "POST",
            "/v1/operator/tenants",
            "Bearer " + operator,
            null,
            "{\"tenant_id\":\""
                + id
                + "\",\"name\":\"bench\",\"owner\":{\"email\":\"owner@"
                + id.replace('_', '-')
                + ".example\","
                + "\"display_name\":\"Bench\"}}",
            201);
    Matcher token = Pattern.compile("\"token\":\"(eng_[a-z2-7_]+)\"").matcher(created);
    if (!token.find()) {
      throw new IllegalStateException("no owner key in " + created);
    }
    String key = token.group(1);
    send(
        "PUT",
        "/v1/config/vector",
        "Bearer " + key,
        id,
        "{\"max_dimension\":4096,\"ingest_gated\":false}",
        200);
    String space =
        send(
            "POST",
            "/v1/vector-spaces",
            "Bearer " + key,
            id,
            "{\"name\":\"bench\",\"dimension\":384,\"metric\":\"cosine\",\"model\":\"caller\"}",
            201);
    Matcher spaceId = Pattern.compile("\"space_id\":\"(vs_[a-z2-7]+)\"").matcher(space);
    if (!spaceId.find()) {
      throw new IllegalStateException("no space id in " + space);
    }
    return new Tenant(id, key, spaceId.group(1), size);
  }

  /**
   * Every tenant's vectors, interleaved like a shared table filled over time; then the index
   * rebuilt in bulk.
   */
  private void load(List<Tenant> tenants, SplittableRandom random) throws Exception {
    try (Connection owner =
        DriverManager.getConnection(jdbc, "engines_owner", "engines_owner_local")) {
      owner.setAutoCommit(false);
      String indexDef;
      try (Statement st = owner.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT indexdef FROM pg_indexes WHERE indexname = 'vectors_hnsw_384_cosine'")) {
        rs.next();
        indexDef = rs.getString(1);
        st.execute("DROP INDEX vectors_hnsw_384_cosine");
      }
      owner.commit();
      CopyManager copy = owner.unwrap(PGConnection.class).getCopyAPI();
      int[] written = new int[tenants.size()];
      int total = tenants.stream().mapToInt(Tenant::size).sum();
      StringBuilder[] chunks = new StringBuilder[tenants.size()];
      for (int i = 0; i < total; i++) {
        // Pick tenants in proportion to what each still has to hold, so their rows interleave.
        int pick = 0;
        int left = random.nextInt(total - i);
        for (int t = 0; t < tenants.size(); t++) {
          int remaining = tenants.get(t).size() - written[t];
          if (left < remaining) {
            pick = t;
            break;
          }
          left -= remaining;
        }
        Tenant t = tenants.get(pick);
        int n = written[pick]++;
        if (chunks[pick] == null) {
          chunks[pick] = new StringBuilder();
        }
        chunks[pick]
            .append(t.id())
            .append("\tdev\t")
            .append(t.spaceId())
            .append("\tv")
            .append(String.format("%06d", n))
            .append("\t384\tcosine\t")
            .append(new PGvector(sample(random)).getValue())
            .append("\t{\"bucket\": ")
            .append(n / 10 % 100)
            .append("}\t")
            .append(String.format("%064x", n))
            .append("\t{}\tt\tnow\tnow\n");
        if (chunks[pick].length() > 4_000_000 || i == total - 1) {
          for (int c = 0; c < chunks.length; c++) {
            if (chunks[c] != null && !chunks[c].isEmpty()) {
              flush(owner, copy, tenants.get(c), chunks[c]);
              chunks[c].setLength(0);
            }
          }
        }
      }
      // The filterable metadata rows, as the service's upserts write them (from the same view,
      // V62).
      for (Tenant t : tenants) {
        bind(owner, t);
        try (PreparedStatement ps =
            owner.prepareStatement(
                "INSERT INTO vector_metadata (tenant_id, env, space_id, vector_id, key,"
                    + " value_sha256, value_number, value_key, value_bool) SELECT tenant_id, env, space_id, vector_id, key, value_sha256,"
                    + " value_number, value_key, value_bool FROM vector_metadata_source WHERE tenant_id = ? AND env = 'dev' AND space_id = ?")) {
          ps.setString(1, t.id());
          ps.setString(2, t.spaceId());
          ps.executeUpdate();
        }
        owner.commit();
      }
      try (Statement st = owner.createStatement()) {
        st.execute("SET maintenance_work_mem = '1GB'");
        st.execute(indexDef);
        st.execute("ANALYZE vectors");
        st.execute("ANALYZE vector_metadata");
      }
      owner.commit();
    }
  }

  /**
   * One tenant's rows: COPY into a temporary table (COPY cannot write a table under row-level
   * security), then INSERT … SELECT bound to the tenant, as the policies demand.
   */
  private static void flush(Connection owner, CopyManager copy, Tenant t, StringBuilder rows)
      throws SQLException, IOException {
    String columns =
        "tenant_id, env, space_id, vector_id, dimension, metric, embedding, metadata, content_sha256, pii_flags,"
            + " train_ok, created_at, updated_at";
    try (Statement st = owner.createStatement()) {
      st.execute(
          "CREATE TEMPORARY TABLE IF NOT EXISTS load_vectors (LIKE vectors) ON COMMIT DELETE ROWS");
    }
    copy.copyIn(
        "COPY load_vectors (" + columns + ") FROM STDIN", new StringReader(rows.toString()));
    bind(owner, t);
    try (Statement st = owner.createStatement()) {
      st.execute("INSERT INTO vectors (" + columns + ") SELECT " + columns + " FROM load_vectors");
    }
    owner.commit();
  }

  private static void bind(Connection c, Tenant t) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT set_config('app.tenant_id', ?, true), set_config('app.env', 'dev', true)")) {
      ps.setString(1, t.id());
      ps.executeQuery().close();
    }
  }

  /** recall@10 of searches through the API against exact search over the same rows. */
  private void recall(Scenario s, List<float[]> queries) throws Exception {
    try (Connection app = DriverManager.getConnection(jdbc, "engines_app", "engines_app_local")) {
      app.setAutoCommit(false);
      double hits = 0;
      int expected = 0;
      Map<String, Integer> methods = new LinkedHashMap<>();
      for (int i = 0; i < queries.size(); i++) {
        float[] q = queries.get(i);
        String filter = s.filtered() ? ",\"filter\":{\"bucket\":" + (i % 100) + "}" : "";
        String body =
            send(
                "POST",
                "/v1/vector-spaces/bench/search",
                "Bearer " + s.tenant().key(),
                s.tenant().id(),
                "{\"vector\":" + Arrays.toString(q) + ",\"k\":" + K + filter + "}",
                200);
        Matcher method = Pattern.compile("\"method\":\"([a-z]+)\"").matcher(body);
        methods.merge(method.find() ? method.group(1) : "?", 1, Integer::sum);
        Set<String> found = new HashSet<>();
        Matcher id = Pattern.compile("\"id\":\"(v[0-9]+)\"").matcher(body);
        while (id.find()) {
          found.add(id.group(1));
        }
        bind(app, s.tenant());
        try (PreparedStatement ps =
            app.prepareStatement(
                "SELECT vector_id FROM vectors WHERE tenant_id = ? AND env = 'dev'"
                    + " AND space_id = ?"
                    + (s.filtered() ? " AND metadata @> CAST(? AS jsonb)" : "")
                    + " ORDER BY embedding <=> ?, vector_id LIMIT "
                    + K)) {
          ps.setString(1, s.tenant().id());
          ps.setString(2, s.tenant().spaceId());
          int p = 3;
          if (s.filtered()) {
            ps.setString(p++, "{\"bucket\":" + (i % 100) + "}");
          }
          ps.setObject(p, new PGvector(q));
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              expected++;
              hits += found.contains(rs.getString(1)) ? 1 : 0;
            }
          }
        }
        app.commit();
      }
      System.out.printf(
          Locale.ROOT,
          "recall@10 %-32s %.4f over %d queries (methods: %s)%n",
          s.name(),
          hits / expected,
          queries.size(),
          methods);
    }
  }

  /**
   * The times (ns) of {@code clients} closed-loop clients for {@code seconds}, through {@code path}
   * (http or sql).
   */
  private List<Long> latency(
      Scenario s, List<float[]> queries, int clients, String path, int seconds) throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<List<Long>>> results = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int offset = c * 7;
      results.add(
          pool.submit(
              () ->
                  switch (path) {
                    case "http" -> httpClient(s, queries, offset, end);
                    case "me" -> meClient(s, end);
                    default -> sqlClient(s, queries, offset, end);
                  }));
    }
    List<Long> all = new ArrayList<>();
    for (Future<List<Long>> f : results) {
      all.addAll(f.get());
    }
    pool.shutdown();
    return all;
  }

  private List<Long> meClient(Scenario s, long end) throws Exception {
    List<Long> times = new ArrayList<>();
    while (System.nanoTime() < end) {
      long t0 = System.nanoTime();
      send("GET", "/v1/me", "Bearer " + s.tenant().key(), s.tenant().id(), "", 200);
      times.add(System.nanoTime() - t0);
    }
    return times;
  }

  private List<Long> httpClient(Scenario s, List<float[]> queries, int offset, long end)
      throws Exception {
    List<Long> times = new ArrayList<>();
    for (int i = offset; System.nanoTime() < end; i++) {
      float[] q = queries.get(i % queries.size());
      String filter = s.filtered() ? ",\"filter\":{\"bucket\":" + (i % 100) + "}" : "";
      String body = "{\"vector\":" + Arrays.toString(q) + ",\"k\":" + K + filter + "}";
      long t0 = System.nanoTime();
      send(
          "POST",
          "/v1/vector-spaces/bench/search",
          "Bearer " + s.tenant().key(),
          s.tenant().id(),
          body,
          200);
      times.add(System.nanoTime() - t0);
    }
    return times;
  }

  /**
   * The statements the service runs for a search with a query vector (Vectors.search), in one
   * read-only transaction bound to the tenant: the space with the search settings, the candidate
   * count with the exact search when the count is within the bound, else the HNSW search. What the
   * service adds around them (authentication, the kill switch, the slot, the DatasetEvent, HTTP,
   * JSON) is what the ratio measures.
   */
  private List<Long> sqlClient(Scenario s, List<float[]> queries, int offset, long end)
      throws Exception {
    List<Long> times = new ArrayList<>();
    String filterSql =
        s.filtered()
            ? " AND vectors.vector_id IN (SELECT m.vector_id FROM vector_metadata m WHERE m.tenant_id = ?"
                + " AND m.env = ? AND m.space_id = ? AND m.key = 'bucket' AND m.value_key IN (vector_metadata_number_key(CAST(? AS numeric)))"
                + " AND m.value_number IN (CAST(? AS numeric)))"
            : "";
    String where = " FROM vectors WHERE tenant_id = ? AND env = ? AND space_id = ?" + filterSql;
    try (Connection app = DriverManager.getConnection(jdbc, "engines_app", "engines_app_local")) {
      app.setAutoCommit(false);
      app.setReadOnly(true);
      for (int i = offset; System.nanoTime() < end; i++) {
        PGvector q = new PGvector(queries.get(i % queries.size()));
        int bucket = i % 100;
        long t0 = System.nanoTime();
        try (PreparedStatement ps =
            app.prepareStatement(
                "SELECT set_config('app.tenant_id', ?, true), set_config('app.env', 'dev', true),"
                    + " set_config('app.user_id', '', true), set_config('app.operator', '', true), set_config('app.operator_tenant', '', true),"
                    + " set_config('app.auth_lookup', '', true), NULL")) {
          ps.setString(1, s.tenant().id());
          ps.executeQuery().close();
        }
        try (PreparedStatement ps =
            app.prepareStatement(
                "SELECT space_id, name, dimension, metric, model,"
                    + " set_config('plan_cache_mode', ?, true), set_config('hnsw.iterative_scan', ?, true), set_config('hnsw.ef_search', ?, true),"
                    + " set_config('hnsw.max_scan_tuples', ?, true) FROM vector_spaces WHERE tenant_id = ? AND env = ? AND name = ?")) {
          ps.setString(1, "force_custom_plan");
          ps.setString(2, "relaxed_order");
          ps.setString(3, Integer.toString(SEARCH.efSearch()));
          ps.setString(4, Integer.toString(SEARCH.maxScanTuples()));
          ps.setString(5, s.tenant().id());
          ps.setString(6, "dev");
          ps.setString(7, "bench");
          ps.executeQuery().close();
        }
        boolean read = false;
        try (PreparedStatement ps =
            app.prepareStatement(
                "SELECT c.n, h.* FROM (SELECT count(*) AS n FROM (SELECT 1"
                    + where
                    + " LIMIT ?) x) c LEFT JOIN LATERAL (SELECT vector_id, metadata, ref_type, ref_id, embedding <=> ? AS distance"
                    + where
                    + " AND c.n <= ? ORDER BY distance, vector_id LIMIT ?) h ON true ORDER BY h.distance, h.vector_id")) {
          int p = bindScope(ps, 1, s, bucket);
          ps.setInt(p++, SEARCH.exactBelow() + 1);
          ps.setObject(p++, q);
          p = bindScope(ps, p, s, bucket);
          ps.setInt(p++, SEARCH.exactBelow());
          ps.setInt(p, K);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              read = rs.getLong(1) <= SEARCH.exactBelow();
              rs.getString("vector_id");
              rs.getString("metadata");
            }
          }
        }
        if (!read) {
          try (PreparedStatement ps =
              app.prepareStatement(
                  "WITH ann AS MATERIALIZED (SELECT vector_id, metadata, ref_type, ref_id,"
                      + " (embedding::vector(384)) <=> ? AS distance FROM vectors WHERE tenant_id = ? AND env = ? AND space_id = ?"
                      + " AND dimension = 384 AND metric = 'cosine'"
                      + filterSql
                      + " ORDER BY (embedding::vector(384)) <=> ? LIMIT ?)"
                      + " SELECT * FROM ann ORDER BY distance, vector_id")) {
            ps.setObject(1, q);
            int p = bindScope(ps, 2, s, bucket);
            ps.setObject(p++, q);
            ps.setInt(p, K);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                rs.getString(1);
                rs.getString(2);
              }
            }
          }
        }
        app.commit();
        times.add(System.nanoTime() - t0);
      }
    }
    return times;
  }

  /**
   * Binds tenant, env, space (and the filter's) from parameter {@code p} on; answers the next
   * index.
   */
  private static int bindScope(PreparedStatement ps, int p, Scenario s, int bucket)
      throws SQLException {
    ps.setString(p++, s.tenant().id());
    ps.setString(p++, "dev");
    ps.setString(p++, s.tenant().spaceId());
    if (s.filtered()) {
      ps.setString(p++, s.tenant().id());
      ps.setString(p++, "dev");
      ps.setString(p++, s.tenant().spaceId());
      ps.setBigDecimal(p++, BigDecimal.valueOf(bucket));
      ps.setBigDecimal(p++, BigDecimal.valueOf(bucket));
    }
    return p;
  }

  private String send(
      String method, String path, String auth, String tenant, String body, int expected)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", auth);
    if (body.isEmpty()) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    if (tenant != null) {
      request.header("X-Tenant-Id", tenant).header("X-Env", "dev");
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new IllegalStateException(
          method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }
}
