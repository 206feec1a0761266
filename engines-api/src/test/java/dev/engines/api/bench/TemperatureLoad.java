package dev.engines.api.bench;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load generator for Temperature against a running service (not a test): ingests observations of
 * one surface spread over the 90 days before a fixed {@code as_of} through {@code POST
 * /v1/metrics/observations}, then times {@code GET /v1/temperature/{surface}?window_days=90} end to
 * end and checks every answer against the sums it computed itself (exact decimals).
 *
 * <p>Environment: {@code ENGINES_URL}, {@code ENGINES_TENANT}, {@code ENGINES_OWNER_KEY} (an owner:
 * it sets the env's gates slot, approves a lock and writes the surface's weights); optional {@code
 * TEMP_OBSERVATIONS} (1,000,000), {@code TEMP_CLIENTS} (2), {@code TEMP_GETS} (1,000; 0 ingests
 * only), {@code TEMP_INGEST} ({@code true}; {@code false} times the snapshots of a data set
 * ingested before), {@code TEMP_SURFACE} ({@code checkout}). Runs in env {@code dev}. See
 * docs/benchmarks.md.
 */
public final class TemperatureLoad {

  /**
   * Off the hour on purpose: both partial hours at the window's ends are read from the
   * observations.
   */
  static final String AS_OF = "2026-03-10T12:34:56.789012Z";

  private static final List<String> METRICS =
      List.of("conversion", "errors", "latency_ms", "orders", "visits");
  private static final Pattern LOCK_ID = Pattern.compile("\"lock_id\":\"(sl_[a-z2-7]+)\"");
  private static final Pattern RAW = Pattern.compile("\"raw_metrics\":\\{([^}]*)}");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String url = env("ENGINES_URL", "http://127.0.0.1:8080");
  private final String tenant = env("ENGINES_TENANT", null);
  private final String key = env("ENGINES_OWNER_KEY", null);
  private final String surface = env("TEMP_SURFACE", "checkout");

  public static void main(String[] args) throws Exception {
    new TemperatureLoad().run();
  }

  private void run() throws Exception {
    int observations = Integer.parseInt(env("TEMP_OBSERVATIONS", "1000000"));
    int clients = Integer.parseInt(env("TEMP_CLIENTS", "2"));
    int gets = Integer.parseInt(env("TEMP_GETS", "1000"));
    boolean ingest = Boolean.parseBoolean(env("TEMP_INGEST", "true"));
    int batches = (observations + 999) / 1000;
    Map<String, BigDecimal> expected = new TreeMap<>();
    if (ingest) {
      configure();
      AtomicInteger next = new AtomicInteger();
      long started = System.nanoTime();
      List<Future<Map<String, BigDecimal>>> parts = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
        for (int c = 0; c < clients; c++) {
          parts.add(
              pool.submit(
                  () -> {
                    Map<String, BigDecimal> sums = new TreeMap<>();
                    for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
                      HttpResponse<String> r =
                          send(
                              request("/v1/metrics/observations")
                                  .POST(
                                      HttpRequest.BodyPublishers.ofString(
                                          batch(b, Math.min(1000, observations - b * 1000), sums)))
                                  .build());
                      if (r.statusCode() != 200) {
                        throw new IllegalStateException(
                            "observations answered " + r.statusCode() + ": " + r.body());
                      }
                    }
                    return sums;
                  }));
        }
      }
      for (Future<Map<String, BigDecimal>> part : parts) {
        part.get().forEach((metric, sum) -> expected.merge(metric, sum, BigDecimal::add));
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf(
          "temperature ingest: %d observations of one surface in %.1f s = %.0f observations/s (%d clients)%n",
          observations, seconds, observations / seconds, clients);
    } else {
      // The data set is a function of the batch number: the same sums without sending anything.
      for (int b = 0; b < batches; b++) {
        batch(b, Math.min(1000, observations - b * 1000), expected);
      }
    }
    if (gets > 0) {
      time(gets, observations, expected);
    }
  }

  /**
   * Batch {@code b}'s request body ({@code size} observations drawn from a generator seeded with
   * {@code b}, so the data set is the same whatever the number of clients); adds its values to
   * {@code sums}.
   */
  private String batch(int b, int size, Map<String, BigDecimal> sums) {
    Instant asOf = Instant.parse(AS_OF);
    long windowMicros = ChronoUnit.MICROS.between(asOf.minus(Duration.ofDays(90)), asOf);
    SplittableRandom random = new SplittableRandom(b);
    StringBuilder body = new StringBuilder(110_000).append("{\"items\":[");
    for (int i = 0; i < size; i++) {
      String metric = METRICS.get(random.nextInt(METRICS.size()));
      // [start, as_of): start itself may be drawn; as_of never is
      Instant at = asOf.minus(windowMicros - random.nextLong(windowMicros), ChronoUnit.MICROS);
      BigDecimal value = BigDecimal.valueOf(random.nextLong(-1_000_000, 10_000_000), 3);
      sums.merge(metric, value, BigDecimal::add);
      body.append(i == 0 ? "" : ",")
          .append("{\"surface\":\"")
          .append(surface)
          .append("\",\"metric\":\"")
          .append(metric)
          .append("\",\"value\":")
          .append(value.toPlainString())
          .append(",\"observed_at\":\"")
          .append(at)
          .append("\"}");
    }
    return body.append("]}").toString();
  }

  /**
   * Times {@code gets} sequential snapshot requests after 200 unmeasured ones; all must be
   * identical and exact.
   */
  private void time(int gets, int observations, Map<String, BigDecimal> expected) throws Exception {
    String path = "/v1/temperature/" + surface + "?window_days=90&as_of=" + AS_OF;
    String first = send(request(path).GET().build()).body();
    check(first, expected);
    for (int i = 0; i < 200; i++) {
      send(request(path).GET().build());
    }
    long[] latencies = new long[gets];
    for (int i = 0; i < gets; i++) {
      long t = System.nanoTime();
      HttpResponse<String> r = send(request(path).GET().build());
      latencies[i] = System.nanoTime() - t;
      if (r.statusCode() != 200 || !r.body().equals(first)) {
        throw new IllegalStateException(
            "snapshot " + i + " differs from the first: " + r.statusCode() + " " + r.body());
      }
    }
    Arrays.sort(latencies);
    System.out.printf(
        "temperature snapshot (90 days, %d observations): p50=%.2f ms p90=%.2f ms p99=%.2f ms over %d requests,"
            + " every answer byte-identical and equal to the client's exact sums%n",
        observations, ms(latencies, 0.50), ms(latencies, 0.90), ms(latencies, 0.99), gets);
  }

  /** The env's gates slot, a lock for the surface's weights, and a weight per metric. */
  private void configure() throws Exception {
    send(
        request("/v1/config/gates")
            .PUT(HttpRequest.BodyPublishers.ofString("{\"four_eyes\":false}"))
            .build());
    String lock =
        "{\"scope\":\"other\",\"allowed_actions\":[\"temperature:upsert_weights\"],\"valid_from\":\""
            + Instant.now().minusSeconds(60)
            + "\",\"valid_until\":\""
            + Instant.now().plus(Duration.ofHours(1))
            + "\",\"surface\":\""
            + surface
            + "\",\"title\":\"bench\"}";
    Matcher m =
        LOCK_ID.matcher(
            send(request("/v1/strategy-locks")
                    .POST(HttpRequest.BodyPublishers.ofString(lock))
                    .build())
                .body());
    if (!m.find()) {
      throw new IllegalStateException("no lock id");
    }
    send(
        request("/v1/strategy-locks/" + m.group(1) + "/approve")
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
    StringBuilder weights = new StringBuilder("{\"source\":\"tenant_override\",\"weights\":{");
    for (int i = 0; i < METRICS.size(); i++) {
      weights
          .append(i == 0 ? "" : ",")
          .append('"')
          .append(METRICS.get(i))
          .append("\":")
          .append(i + 1);
    }
    HttpResponse<String> r =
        send(
            request("/v1/temperature/" + surface + "/weights")
                .PUT(HttpRequest.BodyPublishers.ofString(weights.append("}}").toString()))
                .build());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("weights answered " + r.statusCode() + ": " + r.body());
    }
  }

  /** The snapshot's raw_metrics must be the client's exact sums, metric by metric. */
  private static void check(String snapshot, Map<String, BigDecimal> expected) {
    Matcher m = RAW.matcher(snapshot);
    if (!m.find()) {
      throw new IllegalStateException("no raw_metrics in " + snapshot);
    }
    Map<String, BigDecimal> got = new TreeMap<>();
    for (String pair : m.group(1).split(",")) {
      String[] kv = pair.split(":");
      got.put(kv[0].replace("\"", ""), new BigDecimal(kv[1]));
    }
    expected.forEach(
        (metric, sum) -> {
          if (got.get(metric) == null || got.get(metric).compareTo(sum) != 0) {
            throw new IllegalStateException(
                metric + ": the service summed " + got.get(metric) + ", expected " + sum);
          }
        });
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(url + path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + key)
        .header("X-Tenant-Id", tenant)
        .header("X-Env", "dev")
        .header("Content-Type", "application/json");
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static double ms(long[] sorted, double quantile) {
    return sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))] / 1e6;
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    if (value == null && fallback == null) {
      throw new IllegalStateException(name + " is required");
    }
    return value == null ? fallback : value;
  }
}
