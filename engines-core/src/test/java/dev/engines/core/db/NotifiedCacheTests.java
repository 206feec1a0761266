package dev.engines.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The rules of a notified cache, without a database: the listener is one that never connects, and
 * the test plays its part (listening starts and stops) on a clock it moves.
 */
class NotifiedCacheTests {

  private final AtomicLong nanos = new AtomicLong(1);
  private final ChangeListener listener = new ChangeListener(null, nanos::get);

  /** Keys "tenant/anything": the tenant is the part before the slash. */
  private NotifiedCache<String, String> cache(int maxEntries) {
    return listener.cache(
        "test_channel",
        Duration.ofSeconds(10),
        maxEntries,
        (key, value) -> key.substring(0, key.indexOf('/')));
  }

  @Test
  void getWhenNotListeningThenNothingIsKeptOrAnswered() {
    NotifiedCache<String, String> cache = cache(10);
    cache.put("a/1", "v", cache.generation(), cache.now());
    assertThat(cache.get("a/1")).isNull();
    assertThat(cache.listening()).isFalse();
  }

  @Test
  void putWhenAChangeWasHeardSinceTheReadThenNotKept() {
    NotifiedCache<String, String> cache = cache(10);
    cache.started();
    long generation = cache.generation();
    cache.evict("b");
    cache.put("a/1", "stale?", generation, cache.now());
    assertThat(cache.get("a/1")).as("a read that raced with a change").isNull();
    cache.put("a/1", "fresh", cache.generation(), cache.now());
    assertThat(cache.get("a/1")).isEqualTo("fresh");
  }

  @Test
  void evictWhenATenantChangesThenOnlyItsEntriesGo() {
    NotifiedCache<String, String> cache = cache(10);
    cache.started();
    cache.put("a/1", "a1", cache.generation(), cache.now());
    cache.put("ab/1", "ab1", cache.generation(), cache.now());
    cache.put("b/1", "b1", cache.generation(), cache.now());
    cache.changedAfterCommit("a");
    assertThat(cache.get("a/1")).isNull();
    assertThat(cache.get("ab/1")).as("a tenant whose id starts alike").isEqualTo("ab1");
    assertThat(cache.get("b/1")).isEqualTo("b1");
  }

  @Test
  void getWhenTheListenerIsNotConfirmedWithinTheBoundThenNothing() {
    NotifiedCache<String, String> cache = cache(10);
    cache.started();
    cache.put("a/1", "a1", cache.generation(), cache.now());
    nanos.addAndGet(Duration.ofMillis(900).toNanos());
    assertThat(cache.get("a/1")).isEqualTo("a1");
    nanos.addAndGet(Duration.ofMillis(200).toNanos());
    assertThat(cache.get("a/1")).as("the listener not confirmed for 1.1 s").isNull();
  }

  @Test
  void getWhenOlderThanMaxAgeOrStoppedThenNothingAndListeningAgainStartsEmpty() {
    NotifiedCache<String, String> other = cache(10);
    other.started();
    long readAt = other.now() - Duration.ofSeconds(11).toNanos();
    other.put("a/1", "old", other.generation(), readAt);
    assertThat(other.get("a/1")).as("older than the max age").isNull();
    other.put("a/2", "new", other.generation(), other.now());
    other.stopped();
    assertThat(other.get("a/2")).as("the listener stopped").isNull();
    other.started();
    assertThat(other.get("a/2")).as("listening again starts empty").isNull();
  }

  @Test
  void putWhenFullThenStartsOver() {
    NotifiedCache<String, String> cache = cache(2);
    cache.started();
    cache.put("a/1", "1", cache.generation(), cache.now());
    cache.put("a/2", "2", cache.generation(), cache.now());
    cache.put("a/3", "3", cache.generation(), cache.now());
    assertThat(cache.get("a/1")).isNull();
    assertThat(cache.get("a/3")).isEqualTo("3");
  }
}
