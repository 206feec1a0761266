package dev.engines.api.chaos;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Traffic and bookkeeping for the chaos commands (not a test; {@code bin/engines chaos db}):
 * several clients upload, derive, create API keys, record observations and read against a running
 * service while the caller injects faults (restarts PostgreSQL); then it checks, as the database's
 * owner role, that every write answered 2xx is there with its DatasetEvent (and, for key creations,
 * its audit entry), that the audit chain verifies, and prints the counts. Exits 1 on any lost
 * write, any 5xx other than a 503 problem, any 4xx, any client timeout, or no readiness dip when
 * one was expected.
 *
 * <p>Environment: {@code ENGINES_URL}, {@code ENGINES_TENANT}, {@code ENGINES_OWNER_KEY}, {@code
 * CHAOS_DB_URL} (JDBC URL of the service's database), {@code CHAOS_DB_USER}/{@code
 * CHAOS_DB_PASSWORD} (the owner role); optional {@code CHAOS_SECONDS} (60), {@code CHAOS_CLIENTS}
 * (6), {@code CHAOS_TIMEOUT_SECONDS} (client timeout per request, 15), {@code CHAOS_EXPECT_OUTAGE}
 * (1: readiness must go down and up again).
 */
public final class ChaosLoad {

  private static final Pattern ASSET_ID = Pattern.compile("\"asset_id\":\"(ra_[a-z0-9]+)\"");
  private static final Pattern DERIVATION_ID =
      Pattern.compile("\"derivation_id\":\"(dv_[0-9a-f]{32})\"");
  private static final Pattern ATOMS = Pattern.compile("\"atoms\":(\\d+)");
  private static final Pattern KEY_ID = Pattern.compile("\"key_id\":\"(ak_[a-z2-7]{16})\"");
  private static final Pattern CODE = Pattern.compile("\"code\":\"([a-z_]+)\"");

  enum Op {
    UPLOAD,
    DERIVE,
    KEY,
    OBSERVE,
    READ
  }

  /** A write the service acknowledged with 2xx, with what it said it stored. */
  record Acked(Op op, String requestId, String id, String assetId, long atoms, String sha256) {}

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String url = env("ENGINES_URL", "http://127.0.0.1:8080");
  private final String tenant = env("ENGINES_TENANT", null);
  private final String key = env("ENGINES_OWNER_KEY", null);
  private final Duration timeout =
      Duration.ofSeconds(Long.parseLong(env("CHAOS_TIMEOUT_SECONDS", "15")));
  private final String run = Long.toString(System.currentTimeMillis(), 36);

  private final ConcurrentLinkedQueue<Acked> acked = new ConcurrentLinkedQueue<>();
  private final List<String> assets = new ArrayList<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicInteger timeouts = new AtomicInteger();
  private final List<String> readiness = new ArrayList<>();
  private final long start = System.nanoTime();

  public static void main(String[] args) throws Exception {
    System.exit(new ChaosLoad().run());
  }

  private int run() throws Exception {
    int seconds = Integer.parseInt(env("CHAOS_SECONDS", "60"));
    int clients = Integer.parseInt(env("CHAOS_CLIENTS", "6"));
    boolean expectOutage = env("CHAOS_EXPECT_OUTAGE", "1").equals("1");
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    Thread poller = Thread.ofPlatform().daemon().start(() -> pollReadiness(end));
    try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
      for (int c = 0; c < clients; c++) {
        int client = c;
        pool.submit(
            () -> {
              int i = client;
              while (System.nanoTime() < end) {
                step(Op.values()[i++ % Op.values().length]);
              }
              return null;
            });
      }
    }
    poller.join();
    log("load over; waiting for readiness, then checking");
    boolean ready = awaitReady(Duration.ofSeconds(60));
    // The service recovers without a restart: a write after the faults is acknowledged.
    boolean recovered = ready && step(Op.UPLOAD) / 100 == 2;
    long lost = 0;
    Map<Op, int[]> perOp = new TreeMap<>();
    try (Connection db =
        DriverManager.getConnection(
            env("CHAOS_DB_URL", null),
            env("CHAOS_DB_USER", "engines_owner"),
            env("CHAOS_DB_PASSWORD", "engines_owner_local"))) {
      // The owner role owns the tables; those with FORCED row-level security still ask for the
      // tenant and env.
      try (PreparedStatement s =
          db.prepareStatement(
              "SELECT set_config('app.tenant_id', ?, false), set_config('app.env', 'dev', false)")) {
        s.setString(1, tenant);
        s.execute();
      }
      for (Acked a : acked) {
        int[] n = perOp.computeIfAbsent(a.op(), o -> new int[2]);
        n[0]++;
        String missing = missing(db, a);
        if (missing != null) {
          n[1]++;
          lost++;
          log("LOST " + a + ": " + missing);
        }
      }
    }
    String verify = send(get("/v1/audit/verify"), "verify").body();
    boolean chainValid = verify.contains("\"valid\":true");

    int total = counts.values().stream().mapToInt(AtomicInteger::get).sum();
    int fiveXx = countWhere(k -> k.startsWith("5"));
    int unavailable = countWhere(k -> k.startsWith("503 "));
    int failed = failures.values().stream().mapToInt(AtomicInteger::get).sum();
    long transitions = readiness.size();
    System.out.printf("requests %d; by answer %s%n", total, new TreeMap<>(countsSnapshot()));
    perOp.forEach(
        (op, n) -> System.out.printf("  %-8s acknowledged %5d  lost %d%n", op, n[0], n[1]));
    System.out.printf(
        "acknowledged %d, lost %d, 5xx %d (503 problems %d, other 5xx %d), timeouts %d, other failures %s%n",
        acked.size(), lost, fiveXx, unavailable, fiveXx - unavailable, timeouts.get(), failures);
    System.out.printf("readiness transitions %d: %s%n", transitions, readiness);
    System.out.printf(
        "recovered without restart: %s; audit chain: %s%n", recovered, verify.strip());
    boolean ok =
        lost == 0
            && fiveXx == unavailable
            && failed == 0
            && timeouts.get() == 0
            && recovered
            && chainValid
            && (!expectOutage || transitions >= 2);
    System.out.println(ok ? "chaos: PASS" : "chaos: FAIL");
    return ok ? 0 : 1;
  }

  /**
   * Null when the acknowledged write is there with its event (and audit entry), else what is not.
   */
  private String missing(Connection db, Acked a) throws Exception {
    if (!exists(
        db,
        "SELECT 1 FROM dataset_events WHERE tenant_id = ? AND env = 'dev' AND request_id = ?"
            + " AND outcome = 'success'",
        tenant,
        a.requestId())) {
      return "no success DatasetEvent for its request";
    }
    switch (a.op()) {
      case UPLOAD -> {
        if (!exists(
            db,
            "SELECT 1 FROM raw_assets WHERE tenant_id = ? AND env = 'dev' AND asset_id = ?"
                + " AND status = 'active' AND sha256 = ?",
            tenant,
            a.id(),
            a.sha256())) {
          return "no active asset row with its sha256";
        }
        HttpResponse<String> content =
            send(get("/v1/assets/" + a.id() + "/content"), "verify-content");
        if (content.statusCode() != 200
            || !a.sha256().equals(content.headers().firstValue("X-Content-Sha256").orElse(""))) {
          return "its object answers " + content.statusCode();
        }
      }
      case DERIVE -> {
        try (PreparedStatement s =
            db.prepareStatement(
                "SELECT d.atom_count, (SELECT count(*) FROM atoms t WHERE t.tenant_id = d.tenant_id"
                    + " AND t.env = d.env AND t.asset_id = d.asset_id AND t.op_type = d.op_type"
                    + " AND t.op_version = d.op_version AND t.params_hash = d.params_hash)"
                    + " FROM derivations d WHERE d.tenant_id = ? AND d.env = 'dev'"
                    + " AND d.derivation_id = ?")) {
          s.setString(1, tenant);
          s.setString(2, a.id());
          try (ResultSet r = s.executeQuery()) {
            if (!r.next()) {
              return "no derivation row";
            }
            if (r.getLong(1) != a.atoms() || r.getLong(2) != a.atoms()) {
              return "atoms: answered "
                  + a.atoms()
                  + ", row "
                  + r.getLong(1)
                  + ", stored "
                  + r.getLong(2);
            }
          }
        }
      }
      case KEY -> {
        if (!exists(
            db, "SELECT 1 FROM api_keys WHERE tenant_id = ? AND key_id = ?", tenant, a.id())) {
          return "no api_keys row";
        }
        if (!exists(
            db,
            "SELECT 1 FROM audit_entries WHERE tenant_id = ? AND request_id = ?"
                + " AND action = 'api_key.create' AND target_id = ?",
            tenant,
            a.requestId(),
            a.id())) {
          return "no audit entry";
        }
      }
      case OBSERVE -> {
        if (!exists(
            db,
            "SELECT 1 FROM metric_observations WHERE tenant_id = ? AND env = 'dev'"
                + " AND observation_id = ?",
            tenant,
            a.id())) {
          return "no observation row";
        }
      }
      case READ -> {}
    }
    return null;
  }

  private static boolean exists(Connection db, String sql, String... args) throws SQLException {
    try (PreparedStatement s = db.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setString(i + 1, args[i]);
      }
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }

  /** One request of the given kind; its status (0: no answer). */
  private int step(Op op) {
    String requestId = "chaos-" + run + "-" + sequence.incrementAndGet();
    try {
      switch (op) {
        case UPLOAD -> {
          byte[] body = text();
          HttpResponse<String> r =
              send(
                  request("/v1/assets?filename=chaos.txt", requestId)
                      .header("Content-Type", "text/plain; charset=utf-8")
                      .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                      .build(),
                  "upload");
          Matcher m = ASSET_ID.matcher(r.body());
          if (r.statusCode() == 201 && m.find()) {
            String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
            acked.add(new Acked(op, requestId, m.group(1), m.group(1), 0, sha));
            synchronized (assets) {
              assets.add(m.group(1));
            }
          }
          return r.statusCode();
        }
        case DERIVE -> {
          String asset;
          synchronized (assets) {
            if (assets.isEmpty()) {
              return step(Op.UPLOAD);
            }
            asset = assets.get(ThreadLocalRandom.current().nextInt(assets.size()));
          }
          int size = 20 + ThreadLocalRandom.current().nextInt(200);
          HttpResponse<String> r =
              send(
                  request("/v1/assets/" + asset + "/derivations", requestId)
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"op_type\":\"text.window\",\"params\":{\"size\":" + size + "}}"))
                      .build(),
                  "derive");
          Matcher id = DERIVATION_ID.matcher(r.body());
          Matcher atoms = ATOMS.matcher(r.body());
          if (r.statusCode() == 200 && id.find() && atoms.find()) {
            acked.add(
                new Acked(op, requestId, id.group(1), asset, Long.parseLong(atoms.group(1)), null));
          }
          return r.statusCode();
        }
        case KEY -> {
          HttpResponse<String> r =
              send(
                  request("/v1/api-keys", requestId)
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"kind\":\"service\",\"name\":\"chaos "
                                  + requestId
                                  + "\",\"role\":\"viewer\",\"envs\":[\"dev\"]}"))
                      .build(),
                  "key");
          Matcher m = KEY_ID.matcher(r.body());
          if (r.statusCode() == 201 && m.find()) {
            acked.add(new Acked(op, requestId, m.group(1), null, 0, null));
          }
          return r.statusCode();
        }
        case OBSERVE -> {
          String id = requestId + "-obs";
          HttpResponse<String> r =
              send(
                  request("/v1/metrics/observations", requestId)
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"items\":[{\"id\":\""
                                  + id
                                  + "\",\"surface\":\"chaos\",\"metric\":\"latency_ms\",\"value\":"
                                  + ThreadLocalRandom.current().nextInt(1000)
                                  + ",\"observed_at\":\""
                                  + Instant.now()
                                  + "\"}]}"))
                      .build(),
                  "observe");
          if (r.statusCode() / 100 == 2) {
            acked.add(new Acked(op, requestId, id, null, 0, null));
          }
          return r.statusCode();
        }
        case READ -> {
          String path =
              switch ((int) (sequence.get() % 3)) {
                case 0 -> "/v1/me";
                case 1 -> "/v1/assets?limit=20";
                default -> "/v1/api-keys?limit=20";
              };
          return send(request(path, requestId).GET().build(), "read").statusCode();
        }
      }
    } catch (HttpTimeoutException e) {
      timeouts.incrementAndGet();
      log(op + " " + requestId + ": no answer within " + timeout.toSeconds() + " s");
    } catch (ConnectException e) {
      failures.computeIfAbsent("connection refused", k -> new AtomicInteger()).incrementAndGet();
    } catch (Exception e) {
      failures
          .computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicInteger())
          .incrementAndGet();
      log(op + " " + requestId + ": " + e);
    }
    return 0;
  }

  private HttpResponse<String> send(HttpRequest request, String label) throws Exception {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    int status = r.statusCode();
    Matcher code = CODE.matcher(r.body());
    String answer = status + (status >= 400 && code.find() ? " " + code.group(1) : "");
    counts.computeIfAbsent(answer, k -> new AtomicInteger()).incrementAndGet();
    if (status == 503
        && (r.headers().firstValue("Retry-After").isEmpty()
            || !r.headers()
                .firstValue("Content-Type")
                .orElse("")
                .startsWith("application/problem+json"))) {
      failures
          .computeIfAbsent("503 without Retry-After or problem", k -> new AtomicInteger())
          .incrementAndGet();
    }
    if (status >= 400 && status < 500) {
      failures.computeIfAbsent(label + " " + answer, k -> new AtomicInteger()).incrementAndGet();
      log(label + " " + request.headers().firstValue("X-Request-Id").orElse("") + ": " + answer);
    }
    if (status >= 500 && status != 503) {
      log(label + ": " + status + " " + r.body());
    }
    return r;
  }

  private Map<String, Integer> countsSnapshot() {
    Map<String, Integer> m = new TreeMap<>();
    counts.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  private int countWhere(java.util.function.Predicate<String> answer) {
    return counts.entrySet().stream()
        .filter(e -> answer.test(e.getKey() + " "))
        .mapToInt(e -> e.getValue().get())
        .sum();
  }

  /** Records every change of /actuator/health/readiness, polled every 100 ms until {@code end}. */
  private void pollReadiness(long end) {
    int last = 200;
    while (System.nanoTime() < end) {
      int status;
      try {
        status =
            http.send(
                    HttpRequest.newBuilder(URI.create(url + "/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode();
      } catch (Exception e) {
        status = 0;
      }
      if (status != last) {
        String change = String.format("%.1fs %d->%d", elapsed(), last, status);
        synchronized (readiness) {
          readiness.add(change);
        }
        log("readiness " + change);
        last = status;
      }
      sleep(100);
    }
  }

  private boolean awaitReady(Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(
                    HttpRequest.newBuilder(URI.create(url + "/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return true;
        }
      } catch (Exception e) {
        // not yet
      }
      sleep(250);
    }
    return false;
  }

  /** A few hundred bytes of text, different every time. */
  private byte[] text() {
    StringBuilder sb = new StringBuilder();
    int lines = 5 + ThreadLocalRandom.current().nextInt(20);
    for (int i = 0; i < lines; i++) {
      sb.append("chaos line ")
          .append(i)
          .append(' ')
          .append(Long.toHexString(ThreadLocalRandom.current().nextLong()))
          .append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private HttpRequest.Builder request(String path, String requestId) {
    return HttpRequest.newBuilder(URI.create(url + path))
        .timeout(timeout)
        .header("Authorization", "Bearer " + key)
        .header("X-Tenant-Id", tenant)
        .header("X-Env", "dev")
        .header("X-Request-Id", requestId);
  }

  private HttpRequest get(String path) {
    return request(path, "chaos-" + run + "-" + sequence.incrementAndGet()).GET().build();
  }

  private double elapsed() {
    return (System.nanoTime() - start) / 1e9;
  }

  private void log(String line) {
    System.out.printf("[%6.1fs] %s%n", elapsed(), line);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    if (value == null && fallback == null) {
      throw new IllegalStateException(name + " must be set (bin/engines chaos db sets it)");
    }
    return value == null ? fallback : value;
  }
}
