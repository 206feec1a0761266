package dev.engines.api.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load generator for Nexus against a running service (not a test): measures ingest throughput
 * (upload + derivation with the PII pass, events included) and GET atom latency under concurrency.
 *
 * <p>Environment: {@code ENGINES_URL}, {@code ENGINES_TENANT}, {@code ENGINES_OWNER_KEY}; optional
 * {@code NEXUS_INGEST_MB} (default 64), {@code NEXUS_WARMUP_MB} (32, ingested first and not
 * counted), {@code NEXUS_ASSET_MB} (4), {@code NEXUS_INGEST_CLIENTS} (2), {@code NEXUS_OP} ({@code
 * text.window} or {@code text.lines}), {@code NEXUS_WINDOW} (1000), {@code NEXUS_GET_CLIENTS} (64),
 * {@code NEXUS_GETS} (50000; 0 measures ingest only, as {@code bin/engines bench nexus} does before
 * it drives the GETs with wrk). See docs/benchmarks.md.
 *
 * <p>It runs in env {@code dev} of the given tenant, which needs its {@code storage} and {@code
 * nexus} config slots: {@code bin/engines run} sets them for the tenant it bootstraps; for another
 * tenant an admin sets them first ({@code PUT /v1/config/storage}, {@code /v1/config/nexus}),
 * otherwise the first upload fails with 409 {@code config_missing}.
 */
public final class NexusLoad {

  private static final Pattern ASSET_ID = Pattern.compile("\"asset_id\":\"(ra_[a-z0-9]+)\"");
  private static final Pattern ATOM_ID = Pattern.compile("\"atom_id\":\"(at_[0-9a-f]{32})\"");
  private static final Pattern ADDED = Pattern.compile("\"atoms\":(\\d+)");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String url = env("ENGINES_URL", "http://127.0.0.1:8080");
  private final String tenant = env("ENGINES_TENANT", null);
  private final String key = env("ENGINES_OWNER_KEY", null);

  public static void main(String[] args) throws Exception {
    new NexusLoad().run();
  }

  private void run() throws Exception {
    int ingestMb = Integer.parseInt(env("NEXUS_INGEST_MB", "64"));
    int assetMb = Integer.parseInt(env("NEXUS_ASSET_MB", "4"));
    int ingestClients = Integer.parseInt(env("NEXUS_INGEST_CLIENTS", "2"));
    String op = env("NEXUS_OP", "text.window");
    String params =
        op.equals("text.window") ? "{\"size\":" + env("NEXUS_WINDOW", "1000") + "}" : "{}";
    int getClients = Integer.parseInt(env("NEXUS_GET_CLIENTS", "64"));
    int gets = Integer.parseInt(env("NEXUS_GETS", "50000"));

    int warmupMb = Integer.parseInt(env("NEXUS_WARMUP_MB", "32"));
    List<String> assetIds = new ArrayList<>();
    if (warmupMb > 0) {
      // A fresh JVM compiles the hot paths during its first tens of MB; measure the service as it
      // runs, not its JIT compiler.
      ingestRound(
          "warm-up", warmupMb, assetMb, 1_000_000, ingestClients, op, params, new ArrayList<>());
    }
    ingestRound("ingest", ingestMb, assetMb, 0, ingestClients, op, params, assetIds);

    if (gets == 0) {
      return;
    }
    List<String> atomIds = new ArrayList<>();
    HttpResponse<String> page =
        send(request("/v1/atoms?limit=500&asset_id=" + assetIds.getFirst()).GET().build());
    Matcher m = ATOM_ID.matcher(page.body());
    while (m.find()) {
      atomIds.add(m.group(1));
    }
    for (int i = 0; i < 2000; i++) {
      send(request("/v1/atoms/" + atomIds.get(i % atomIds.size())).GET().build());
    }
    long[] latencies = new long[gets];
    int[] failures = new int[1];
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(getClients)) {
      List<Future<?>> clients = new ArrayList<>();
      for (int c = 0; c < getClients; c++) {
        int client = c;
        clients.add(
            pool.submit(
                () -> {
                  for (int i = client; i < gets; i += getClients) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> r =
                        send(request("/v1/atoms/" + atomIds.get(i % atomIds.size())).GET().build());
                    latencies[i] = System.nanoTime() - t0;
                    if (r.statusCode() != 200) {
                      synchronized (failures) {
                        failures[0]++;
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : clients) {
        f.get();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Arrays.sort(latencies);
    System.out.printf(
        "get atom: %d requests, %d clients, %.0f req/s, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms, %d failures%n",
        gets,
        getClients,
        gets / seconds,
        pct(latencies, 50),
        pct(latencies, 90),
        pct(latencies, 99),
        latencies[gets - 1] / 1e6,
        failures[0]);
  }

  /**
   * Uploads and derives {@code mb} MB in assets of {@code assetMb} MB; texts are built before the
   * clock starts.
   */
  private void ingestRound(
      String label,
      int mb,
      int assetMb,
      int seedBase,
      int clients,
      String op,
      String params,
      List<String> assetIds)
      throws Exception {
    int assets = Math.max(1, mb / assetMb);
    List<byte[]> texts = new ArrayList<>();
    for (int i = 0; i < assets; i++) {
      texts.add(text(seedBase + i, assetMb << 20));
    }
    System.out.printf(
        "%s: %d assets x %d MB, %s %s, %d clients%n", label, assets, assetMb, op, params, clients);
    long bytes = 0;
    long atoms = 0;
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
      List<Future<long[]>> runs = new ArrayList<>();
      for (byte[] body : texts) {
        runs.add(pool.submit(() -> ingest(body, op, params, assetIds)));
      }
      for (Future<long[]> run : runs) {
        long[] r = run.get();
        bytes += r[0];
        atoms += r[1];
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "%s: %.1f MB in %.2f s = %.1f MB/s, %d atoms (%.0f atoms/s)%n",
        label, bytes / 1048576.0, seconds, bytes / 1048576.0 / seconds, atoms, atoms / seconds);
  }

  private long[] ingest(byte[] body, String op, String params, List<String> assetIds)
      throws Exception {
    HttpResponse<String> up =
        send(
            request("/v1/assets?filename=bench.txt&train_ok=true")
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    Matcher m = ASSET_ID.matcher(up.body());
    if (up.statusCode() != 201 || !m.find()) {
      throw new IllegalStateException("upload failed: " + up.statusCode() + " " + up.body());
    }
    String assetId = m.group(1);
    synchronized (assetIds) {
      assetIds.add(assetId);
    }
    HttpResponse<String> run =
        send(
            request("/v1/assets/" + assetId + "/derivations")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"op_type\":\"" + op + "\",\"params\":" + params + "}"))
                .build());
    Matcher added = ADDED.matcher(run.body());
    if (run.statusCode() != 200 || !added.find()) {
      throw new IllegalStateException("derivation failed: " + run.statusCode() + " " + run.body());
    }
    return new long[] {body.length, Long.parseLong(added.group(1))};
  }

  /** Deterministic English-like text with an e-mail address and a phone number every 20 lines. */
  static byte[] text(int seed, int size) {
    String[] words = {
      "ledger",
      "tenant",
      "atom",
      "storage",
      "window",
      "derivation",
      "stream",
      "policy",
      "engine",
      "record",
      "nexus",
      "lineage",
      "object",
      "bucket",
      "query",
      "cursor"
    };
    StringBuilder sb = new StringBuilder(size + 200);
    long x = seed * 2654435761L + 1;
    int line = 0;
    while (sb.length() < size) {
      for (int w = 0; w < 14; w++) {
        x = x * 6364136223846793005L + 1442695040888963407L;
        sb.append(words[(int) ((x >>> 33) % words.length)]).append(' ');
      }
      if (++line % 20 == 0) {
        sb.append("contact user")
            .append(line)
            .append("@example.com or +1 415 555 0")
            .append(100 + line % 900);
      }
      sb.append('\n');
    }
    sb.setLength(size);
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(url + path))
        .timeout(Duration.ofSeconds(300))
        .header("Authorization", "Bearer " + key)
        .header("X-Tenant-Id", tenant)
        .header("X-Env", "dev");
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static double pct(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)]
        / 1e6;
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    if (value == null && fallback == null) {
      throw new IllegalStateException(
          name + " must be set (eval \"$(bin/engines run)\" prints it)");
    }
    return value == null ? fallback : value;
  }
}
