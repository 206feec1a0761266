package dev.engines.api.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Soak driver for {@code bin/engines soak} (not a test): mixed traffic over every engine against a
 * running service for a fixed time, sampling the service's resources every interval, then the
 * least-squares slope per minute of each, judged against the thresholds in {@link #THRESHOLDS}.
 * Exits 1 on any failed request or any slope beyond its threshold.
 *
 * <p>Traffic (each client goes round the mix): tenants/keys (create and revoke an API key, {@code
 * GET /v1/me}), PII ({@code redact}, {@code analyze}), Nexus (upload, derive, list atoms, read one
 * atom and the content, delete), vectors (upsert, search), sessions (create, append a turn, read,
 * delete), KPI (record an observation, read the temperature), gates (kill switch, quotas).
 *
 * <p>Samples, every {@code SOAK_SAMPLE_SECONDS} after a warm-up of {@code SOAK_WARMUP_SECONDS}:
 * heap used after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}), the database's open
 * connections ({@code pg_stat_activity}), the JVM's threads and file descriptors ({@code
 * /proc/<pid>}), and the interval's request count, errors and p99 latency.
 *
 * <p>Environment: {@code ENGINES_URL}, {@code ENGINES_OPERATOR_TOKEN}, {@code SOAK_PID} (the
 * service's process), {@code SOAK_DB} and {@code ENGINES_DB_PORT} (its database), {@code
 * SOAK_MINUTES} (20), {@code SOAK_CLIENTS} (4), {@code SOAK_SAMPLE_SECONDS} (30), {@code
 * SOAK_WARMUP_SECONDS} (60), {@code SOAK_REPORT} (a file the result table is also written to).
 */
public final class SoakDriver {

  /**
   * The largest slope per minute each sampled series may show: {@code [absolute, relative]}, the
   * larger of the two applies; relative is a fraction of the series' median. A leak of one object
   * per request, one connection, thread or descriptor per few minutes crosses them; JIT and cache
   * warm-up happen before the first sample.
   */
  static final Map<String, double[]> THRESHOLDS = new LinkedHashMap<>();

  static {
    THRESHOLDS.put("heap_mib", new double[] {1.0, 0.01});
    THRESHOLDS.put("db_conns", new double[] {0.2, 0});
    THRESHOLDS.put("threads", new double[] {0.5, 0});
    THRESHOLDS.put("fds", new double[] {1.0, 0});
    THRESHOLDS.put("p99_ms", new double[] {1.0, 0.10});
  }

  private static final Pattern TOKEN = Pattern.compile("\"token\":\"(eng_[a-z2-7_]+)\"");
  private static final Pattern KEY_ID = Pattern.compile("\"key_id\":\"([a-z0-9_]+)\"");
  private static final Pattern ASSET_ID = Pattern.compile("\"asset_id\":\"(ra_[a-z0-9]+)\"");
  private static final Pattern ATOM_ID = Pattern.compile("\"atom_id\":\"(at_[0-9a-f]{32})\"");
  private static final Pattern LOCK_ID = Pattern.compile("\"lock_id\":\"(sl_[a-z2-7]+)\"");
  private static final Pattern HEAP_USED =
      Pattern.compile("heap\\s+total[^\\n]*?used (\\d+)K", Pattern.CASE_INSENSITIVE);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String url = env("ENGINES_URL", null);
  private final String operator = env("ENGINES_OPERATOR_TOKEN", null);
  private final long pid = Long.parseLong(env("SOAK_PID", null));
  private final String db = env("SOAK_DB", null);
  private final String dbPort = env("ENGINES_DB_PORT", "5432");
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final Map<String, AtomicLong> errorsByCall = new ConcurrentHashMap<>();

  /** Latencies (ns) of the current interval; swapped out by the sampler. */
  private volatile List<Long> interval = new ArrayList<>();

  private record Tenant(String id, String key) {}

  private record Sample(
      double minute,
      double heapMib,
      int dbConns,
      int threads,
      int fds,
      long requests,
      long errors,
      double p99Ms) {}

  public static void main(String[] args) throws Exception {
    System.exit(new SoakDriver().run());
  }

  private int run() throws Exception {
    int minutes = Integer.parseInt(env("SOAK_MINUTES", "20"));
    int clients = Integer.parseInt(env("SOAK_CLIENTS", "4"));
    int sampleSeconds = Integer.parseInt(env("SOAK_SAMPLE_SECONDS", "30"));
    int warmupSeconds = Integer.parseInt(env("SOAK_WARMUP_SECONDS", "60"));
    List<Tenant> tenants = List.of(tenant(), tenant());
    long start = System.nanoTime();
    long end = start + Duration.ofMinutes(minutes).toNanos();
    System.out.printf(
        "soak: %d min, %d clients over %d tenants, a sample every %d s after a %d s warm-up%n",
        minutes, clients, tenants.size(), sampleSeconds, warmupSeconds);
    List<Sample> samples = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
      List<Future<?>> workers = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        Tenant tenant = tenants.get(c % tenants.size());
        workers.add(
            pool.submit(
                () -> {
                  while (System.nanoTime() < end) {
                    mix(tenant);
                  }
                  return null;
                }));
      }
      long warmupEnd = start + Duration.ofSeconds(warmupSeconds).toNanos();
      sleepUntil(warmupEnd);
      interval = new ArrayList<>();
      long errorsBefore = errors.get();
      for (long next = warmupEnd + Duration.ofSeconds(sampleSeconds).toNanos();
          next <= end;
          next += Duration.ofSeconds(sampleSeconds).toNanos()) {
        sleepUntil(next);
        List<Long> latencies = interval;
        interval = new ArrayList<>();
        long errorsNow = errors.get();
        Sample s = sample((next - start) / 60e9, latencies, errorsNow - errorsBefore);
        errorsBefore = errorsNow;
        samples.add(s);
        System.out.printf(
            "  %5.1f min  heap %7.1f MiB  conns %3d  threads %4d  fds %4d  req %6d  err %d  p99 %7.1f ms%n",
            s.minute(),
            s.heapMib(),
            s.dbConns(),
            s.threads(),
            s.fds(),
            s.requests(),
            s.errors(),
            s.p99Ms());
      }
      for (Future<?> w : workers) {
        w.get();
      }
    }
    return report(samples, minutes, clients, sampleSeconds, warmupSeconds);
  }

  /** One round of the mix for one client: every engine once. */
  private void mix(Tenant t) {
    long n = sequence.incrementAndGet();
    try {
      // tenants/keys
      String key =
          call(
              t,
              "POST",
              "/v1/api-keys",
              "{\"name\":\"soak-"
                  + n
                  + "\",\"kind\":\"service\",\"role\":\"member\",\"envs\":[\"dev\"]}",
              "keys.create");
      Matcher keyId = KEY_ID.matcher(key == null ? "" : key);
      if (keyId.find()) {
        call(t, "POST", "/v1/api-keys/" + keyId.group(1) + "/revoke", null, "keys.revoke");
      }
      call(t, "GET", "/v1/me", null, "me");
      // PII
      String text = "Call user" + n + "@soak.example or +1 415 555 " + (1000 + n % 9000) + " today";
      call(t, "POST", "/v1/pii/redact", "{\"text\":\"" + text + "\"}", "pii.redact");
      call(t, "POST", "/v1/pii/analyze", "{\"text\":\"" + text + "\"}", "pii.analyze");
      // Nexus
      String asset =
          call(
              t,
              "POST",
              "/v1/assets?filename=soak.txt",
              new String(NexusLoad.text((int) n, 2048), StandardCharsets.UTF_8),
              "text/plain; charset=utf-8",
              "nexus.upload");
      Matcher assetId = ASSET_ID.matcher(asset == null ? "" : asset);
      if (assetId.find()) {
        String id = assetId.group(1);
        call(
            t,
            "POST",
            "/v1/assets/" + id + "/derivations",
            "{\"op_type\":\"text.lines\",\"params\":{}}",
            "nexus.derive");
        String atoms = call(t, "GET", "/v1/atoms?limit=10&asset_id=" + id, null, "nexus.atoms");
        Matcher atomId = ATOM_ID.matcher(atoms == null ? "" : atoms);
        if (atomId.find()) {
          call(t, "GET", "/v1/atoms/" + atomId.group(1), null, "nexus.atom");
        }
        call(t, "GET", "/v1/assets/" + id + "/content", null, "nexus.content");
        call(t, "DELETE", "/v1/assets/" + id, null, "nexus.delete");
      }
      // vectors
      String vector = vector(n);
      call(
          t,
          "PUT",
          "/v1/vector-spaces/soak/vectors",
          "{\"items\":[{\"id\":\"v-" + (n % 500) + "\",\"vector\":" + vector + "}]}",
          "vector.upsert");
      call(
          t,
          "POST",
          "/v1/vector-spaces/soak/search",
          "{\"vector\":" + vector + ",\"k\":5}",
          "vector.search");
      // sessions
      String session = "soak-" + n;
      call(
          t,
          "POST",
          "/v1/sessions",
          "{\"session_id\":\"" + session + "\",\"ttl_seconds\":3600}",
          "session.create");
      call(
          t,
          "POST",
          "/v1/sessions/" + session + "/turns",
          "{\"role\":\"user\",\"content\":\"where is order " + n + "?\",\"seq\":1}",
          "session.turn");
      call(t, "GET", "/v1/sessions/" + session, null, "session.get");
      call(t, "DELETE", "/v1/sessions/" + session, null, "session.delete");
      // KPI / temperature
      call(
          t,
          "POST",
          "/v1/metrics/observations",
          "{\"items\":[{\"id\":\"obs-"
              + n
              + "\",\"surface\":\"support\",\"metric\":\"first_contact_resolution\",\"value\":"
              + (50 + n % 40)
              + ",\"observed_at\":\""
              + Instant.now().minusSeconds(60)
              + "\"}]}",
          "kpi.observe");
      call(t, "GET", "/v1/temperature/support?window_days=7", null, "temperature");
      // gates
      call(t, "GET", "/v1/kill-switch", null, "gates.kill_switch");
      call(t, "GET", "/v1/usage/quotas", null, "gates.quotas");
    } catch (IOException | InterruptedException e) {
      error("transport", e.getClass().getSimpleName());
    }
  }

  private String call(Tenant t, String method, String path, String json, String name)
      throws IOException, InterruptedException {
    return call(t, method, path, json, "application/json", name);
  }

  /** Sends one request, timing it; a non-2xx answer counts as an error of {@code name}. */
  private String call(
      Tenant t, String method, String path, String body, String contentType, String name)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + t.key())
            .header("X-Tenant-Id", t.id())
            .header("X-Env", "dev");
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", contentType)
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    long t0 = System.nanoTime();
    HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    long elapsed = System.nanoTime() - t0;
    List<Long> current = interval;
    synchronized (current) {
      current.add(elapsed);
    }
    if (r.statusCode() / 100 != 2) {
      error(name, r.statusCode() + " " + r.body());
      return null;
    }
    return r.body();
  }

  private void error(String name, String detail) {
    if (errors.incrementAndGet() <= 10) {
      System.out.println(
          "soak: error in "
              + name
              + ": "
              + detail.substring(0, Math.min(300, detail.length())).replace('\n', ' '));
    }
    errorsByCall.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
  }

  private Sample sample(double minute, List<Long> latencies, long intervalErrors)
      throws IOException, InterruptedException {
    long[] sorted;
    synchronized (latencies) {
      sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    }
    double p99 =
        sorted.length == 0
            ? 0
            : sorted[Math.min(sorted.length - 1, (int) Math.ceil(0.99 * sorted.length) - 1)] / 1e6;
    exec("jcmd", Long.toString(pid), "GC.run");
    Matcher heap = HEAP_USED.matcher(exec("jcmd", Long.toString(pid), "GC.heap_info"));
    double heapMib = heap.find() ? Long.parseLong(heap.group(1)) / 1024.0 : Double.NaN;
    int threads = 0;
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("Threads:")) {
        threads = Integer.parseInt(line.substring(8).trim());
      }
    }
    int fds;
    try (Stream<Path> open = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      fds = (int) open.count();
    }
    String conns =
        exec(
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                dbPort,
                "-U",
                "engines_owner",
                "-d",
                db,
                "-Atc",
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND pid <> pg_backend_pid()")
            .trim();
    return new Sample(
        minute, heapMib, Integer.parseInt(conns), threads, fds, sorted.length, intervalErrors, p99);
  }

  private int report(
      List<Sample> samples, int minutes, int clients, int sampleSeconds, int warmupSeconds)
      throws IOException {
    StringBuilder out = new StringBuilder();
    long requests = samples.stream().mapToLong(Sample::requests).sum();
    out.append(
        String.format(
            Locale.ROOT,
            "soak: %d min, %d clients, %d samples every %d s after %d s warm-up, %d requests sampled, %d errors in all%n",
            minutes,
            clients,
            samples.size(),
            sampleSeconds,
            warmupSeconds,
            requests,
            errors.get()));
    out.append("| series | first | last | median | slope per minute | threshold | verdict |\n");
    out.append("|---|---|---|---|---|---|---|\n");
    boolean failed = errors.get() > 0 || samples.size() < 3;
    double[] x = samples.stream().mapToDouble(Sample::minute).toArray();
    Map<String, double[]> series = new LinkedHashMap<>();
    series.put("heap_mib", samples.stream().mapToDouble(Sample::heapMib).toArray());
    series.put("db_conns", samples.stream().mapToDouble(Sample::dbConns).toArray());
    series.put("threads", samples.stream().mapToDouble(Sample::threads).toArray());
    series.put("fds", samples.stream().mapToDouble(Sample::fds).toArray());
    series.put("p99_ms", samples.stream().mapToDouble(Sample::p99Ms).toArray());
    for (Map.Entry<String, double[]> s : series.entrySet()) {
      double[] y = s.getValue();
      if (y.length == 0) {
        continue;
      }
      double slope = slope(x, y);
      double median = median(y);
      double[] limit = THRESHOLDS.get(s.getKey());
      double threshold = Math.max(limit[0], limit[1] * median);
      boolean ok = !Double.isNaN(slope) && slope <= threshold;
      failed |= !ok;
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %.1f | %.1f | %+.3f | %.2f | %s |%n",
              s.getKey(),
              y[0],
              y[y.length - 1],
              median,
              slope,
              threshold,
              ok ? "flat" : "RISING"));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "| errors | %d | | | | 0 | %s |%n",
            errors.get(),
            errors.get() == 0 ? "ok" : "FAILED " + errorsByCall));
    out.append("soak: ").append(failed ? "FAILED" : "passed").append('\n');
    System.out.print(out);
    String reportFile = System.getenv("SOAK_REPORT");
    if (reportFile != null && !reportFile.isBlank()) {
      Files.writeString(Path.of(reportFile), out.toString(), StandardCharsets.UTF_8);
    }
    return failed ? 1 : 0;
  }

  /** Least-squares slope of y over x. */
  static double slope(double[] x, double[] y) {
    int n = x.length;
    if (n < 2) {
      return Double.NaN;
    }
    double mx = Arrays.stream(x).average().orElse(0);
    double my = Arrays.stream(y).average().orElse(0);
    double num = 0;
    double den = 0;
    for (int i = 0; i < n; i++) {
      num += (x[i] - mx) * (y[i] - my);
      den += (x[i] - mx) * (x[i] - mx);
    }
    return den == 0 ? Double.NaN : num / den;
  }

  private static double median(double[] y) {
    double[] s = y.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /** A tenant with its env dev's slots and a vector space {@code soak}. */
  private Tenant tenant() throws Exception {
    String id = "t_soak_" + Long.toString(System.nanoTime(), 36);
    HttpResponse<String> created =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/v1/operator/tenants"))
                .header("Authorization", "Bearer " + operator)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"tenant_id\":\""
                            + id
                            + "\",\"name\":\"soak\",\"owner\":{\"email\":\"soak@soak.example\",\"display_name\":\"Soak\"}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher token = TOKEN.matcher(created.body());
    if (!token.find()) {
      throw new IllegalStateException("tenant creation failed: " + created.statusCode());
    }
    Tenant t = new Tenant(id, token.group(1));
    Map<String, String> slots = new LinkedHashMap<>();
    slots.put("storage", "{\"backend\":\"filesystem\",\"max_object_bytes\":1073741824}");
    slots.put(
        "nexus",
        "{\"max_atoms_per_derivation\":100000,\"max_atom_text_chars\":65536,\"max_atomize_bytes\":268435456}");
    slots.put(
        "session",
        "{\"default_ttl_seconds\":3600,\"max_ttl_seconds\":86400,\"max_turns\":1000,\"max_turn_chars\":8000,\"blackboard_max_bytes\":65536,\"blackboard_max_keys\":100}");
    slots.put("vector", "{\"max_dimension\":4096,\"ingest_gated\":false}");
    slots.put("gates", "{\"four_eyes\":false}");
    for (Map.Entry<String, String> slot : slots.entrySet()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/v1/config/" + slot.getKey()))
                  .header("Authorization", "Bearer " + t.key())
                  .header("X-Tenant-Id", id)
                  .header("X-Env", "dev")
                  .header("Content-Type", "application/json")
                  .header("If-Match", "\"0\"")
                  .PUT(HttpRequest.BodyPublishers.ofString(slot.getValue()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(
            "slot " + slot.getKey() + ": " + r.statusCode() + " " + r.body());
      }
    }
    // The surface's Temperature needs a configuration, which a Strategy Lock must allow.
    Matcher lock =
        LOCK_ID.matcher(
            String.valueOf(
                call(
                    t,
                    "POST",
                    "/v1/strategy-locks",
                    "{\"scope\":\"other\",\"allowed_actions\":[\"temperature:upsert_weights\"],\"valid_from\":\""
                        + Instant.now().minusSeconds(60)
                        + "\",\"valid_until\":\""
                        + Instant.now().plus(Duration.ofDays(1))
                        + "\",\"surface\":\"support\",\"title\":\"soak\"}",
                    "setup.lock")));
    if (!lock.find()
        || call(
                t,
                "POST",
                "/v1/strategy-locks/" + lock.group(1) + "/approve",
                null,
                "setup.approve")
            == null
        || call(
                t,
                "PUT",
                "/v1/temperature/support/weights",
                "{\"source\":\"tenant_override\",\"weights\":{\"first_contact_resolution\":1}}",
                "setup.weights")
            == null) {
      throw new IllegalStateException("temperature configuration not set");
    }
    if (call(
            t,
            "POST",
            "/v1/vector-spaces",
            "{\"name\":\"soak\",\"dimension\":8,\"metric\":\"cosine\",\"model\":\"caller\"}",
            "vector.space")
        == null) {
      throw new IllegalStateException("vector space not created");
    }
    return t;
  }

  private static String vector(long n) {
    StringBuilder v = new StringBuilder("[");
    long x = n * 2654435761L + 7;
    for (int i = 0; i < 8; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      v.append(i == 0 ? "" : ",").append(((x >>> 40) % 2000 - 1000) / 1000.0);
    }
    return v.append(']').toString();
  }

  private static String exec(String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", "engines_owner_local");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(command[0] + " failed: " + output.strip());
    }
    return output;
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long wait = nanoTime - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(Duration.ofNanos(wait));
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    if (value == null && fallback == null) {
      throw new IllegalStateException(name + " must be set (bin/engines soak sets it)");
    }
    return value == null ? fallback : value;
  }
}
