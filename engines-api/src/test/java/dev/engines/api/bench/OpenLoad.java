package dev.engines.api.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load generator behind {@code bin/engines bench overhead}'s latency phase (not a test):
 * GETs of {@code OPEN_PATH} + an id, round robin over the ids in {@code OPEN_IDS_FILE}, arriving at
 * a fixed mean rate whatever the answers do, as independent callers would (Poisson arrivals,
 * seeded). A closed-loop client such as wrk waits for an answer before it sends again, so a slow
 * answer also delays the requests that would have queued behind it and the percentiles hide the
 * queue (coordinated omission). Here each request has an intended send time drawn in advance, runs
 * on its own virtual thread, and its latency is measured from that intended time, not from when it
 * was actually sent: a generator or service that falls behind shows up in the latencies.
 *
 * <p>Environment: {@code ENGINES_URL}, {@code ENGINES_TENANT}, {@code ENGINES_OWNER_KEY} (sent as
 * the platform's headers), {@code OPEN_PATH} ({@code /v1/atoms/}), {@code OPEN_IDS_FILE}, {@code
 * OPEN_RATES} (comma-separated requests per second, each measured in turn), {@code OPEN_SECONDS}
 * (per rate, default 20), {@code OPEN_WARMUP_SECONDS} (5, at the first rate, not counted), {@code
 * OPEN_LABELS} (optional, one label per rate printed on its line).
 */
public final class OpenLoad {

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String url = env("ENGINES_URL", "http://127.0.0.1:8080");
  private final String tenant = env("ENGINES_TENANT", "");
  private final String key = env("ENGINES_OWNER_KEY", "");
  private final String path = env("OPEN_PATH", "/v1/atoms/");
  private final List<String> ids;

  private OpenLoad() throws Exception {
    ids =
        Files.readAllLines(Path.of(env("OPEN_IDS_FILE", null))).stream()
            .filter(s -> !s.isBlank())
            .toList();
    if (ids.isEmpty()) {
      throw new IllegalStateException("OPEN_IDS_FILE holds no ids");
    }
  }

  public static void main(String[] args) throws Exception {
    new OpenLoad().run();
  }

  private void run() throws Exception {
    int[] rates =
        Arrays.stream(env("OPEN_RATES", "100").split(","))
            .map(String::trim)
            .mapToInt(Integer::parseInt)
            .toArray();
    String[] labels = env("OPEN_LABELS", "").split(",");
    int seconds = Integer.parseInt(env("OPEN_SECONDS", "20"));
    int warmup = Integer.parseInt(env("OPEN_WARMUP_SECONDS", "5"));
    if (warmup > 0) {
      measure(rates[0], warmup, 1);
    }
    for (int r = 0; r < rates.length; r++) {
      Result result = measure(rates[r], seconds, r + 2);
      System.out.printf(
          "open loop %-6s rate=%-6d achieved=%-7.0f p50=%-8s p90=%-8s p99=%-8s max=%-8s errors=%d%n",
          r < labels.length ? labels[r] : "",
          rates[r],
          result.achieved,
          ms(result.sorted, 50),
          ms(result.sorted, 90),
          ms(result.sorted, 99),
          ms(result.sorted, 100),
          result.errors);
    }
  }

  private record Result(long[] sorted, double achieved, int errors) {}

  /** Sends at {@code rate} per second for {@code seconds}; latencies from the intended times. */
  private Result measure(int rate, int seconds, long seed) throws InterruptedException {
    int n = Math.max(1, rate * seconds);
    long[] latencies = new long[n];
    AtomicInteger errors = new AtomicInteger();
    SplittableRandom random = new SplittableRandom(seed);
    double meanGapNanos = 1e9 / rate;
    long start = System.nanoTime();
    long end;
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      double intended = 0;
      for (int i = 0; i < n; i++) {
        intended += -Math.log(1 - random.nextDouble()) * meanGapNanos;
        long due = start + (long) intended;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        int index = i;
        HttpRequest request =
            HttpRequest.newBuilder(URI.create(url + path + ids.get(i % ids.size())))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .header("X-Tenant-Id", tenant)
                .header("X-Env", "dev")
                .GET()
                .build();
        threads.execute(
            () -> {
              try {
                HttpResponse<Void> response =
                    http.send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() != 200) {
                  errors.incrementAndGet();
                }
              } catch (Exception e) {
                errors.incrementAndGet();
              }
              latencies[index] = System.nanoTime() - due;
            });
      }
      threads.shutdown();
      threads.awaitTermination(60, TimeUnit.SECONDS);
      end = System.nanoTime();
    }
    Arrays.sort(latencies);
    return new Result(latencies, n / ((end - start) / 1e9), errors.get());
  }

  private static String ms(long[] sorted, int p) {
    int i =
        Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1));
    return String.format("%.2fms", sorted[i] / 1e6);
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    if (value == null && fallback == null) {
      throw new IllegalStateException(name + " must be set");
    }
    return value == null ? fallback : value;
  }
}
