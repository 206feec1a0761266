package dev.engines.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ParallelAnalysisTests {

  /** The labelled texts of every corpus, repeated past the size at which the work is split. */
  private static List<String> corpus() throws IOException {
    JsonMapper json = JsonMapper.builder().build();
    List<String> texts = new ArrayList<>();
    for (String resource :
        List.of("/pii/shared-sample.jsonl", "/pii/unseen.jsonl", "/pii/labelled.jsonl")) {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(
                  ParallelAnalysisTests.class.getResourceAsStream(resource),
                  StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (!line.isBlank()) {
            texts.add(json.readTree(line).get("text").asString());
          }
        }
      }
    }
    List<String> repeated = new ArrayList<>();
    while (repeated.stream().mapToInt(String::length).sum()
        < 8 * ParallelAnalysis.MIN_CHUNK_CHARS) {
      repeated.addAll(texts);
    }
    return repeated;
  }

  @Test
  void analyzeAllWhenManyTextsThenSameSpansInSameOrderAsOneThread() throws IOException {
    List<String> texts = corpus();
    List<List<PiiSpan>> alone = new ArrayList<>();
    texts.forEach(text -> alone.add(Engines.ENGINE.analyze(text, PiiLists.none())));
    Set<String> threads = ConcurrentHashMap.newKeySet();
    try (ParallelAnalysis analysis = new ParallelAnalysis(4)) {
      // Several calls: a helper that starts late finds every chunk taken, which is correct too.
      for (int call = 0; call < 5; call++) {
        List<List<PiiSpan>> shared =
            analysis.analyzeAll(
                texts,
                text -> {
                  threads.add(Thread.currentThread().getName());
                  return Engines.ENGINE.analyze(text, PiiLists.none());
                });
        assertThat(shared).isEqualTo(alone);
      }
    }
    assertThat(alone.stream().mapToInt(List::size).sum()).as("spans in the corpus").isPositive();
    assertThat(threads)
        .as("the caller's thread and at least one of the pool's")
        .contains(Thread.currentThread().getName())
        .anyMatch(name -> name.startsWith("pii-analysis-"));
  }

  @Test
  void analyzeAllWhenFewCharactersThenOnlyTheCallersThread() {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    try (ParallelAnalysis analysis = new ParallelAnalysis(4)) {
      List<List<PiiSpan>> spans =
          analysis.analyzeAll(
              List.of("mail a@example.com", "nothing here", "call +1 415 555 2671"),
              text -> {
                threads.add(Thread.currentThread().getName());
                return Engines.ENGINE.analyze(text, PiiLists.none());
              });
      assertThat(spans).hasSize(3);
      assertThat(spans.get(0)).extracting(PiiSpan::type).containsExactly("EMAIL_ADDRESS");
      assertThat(spans.get(1)).isEmpty();
    }
    assertThat(threads).containsExactly(Thread.currentThread().getName());
  }

  @Test
  void analyzeAllWhenPoolBusyThenCallerAnalysesEverythingItself() throws Exception {
    List<String> texts = corpus();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocked = new CountDownLatch(1);
    try (ParallelAnalysis analysis = new ParallelAnalysis(2)) {
      // Another derivation holds the pool's only thread.
      Thread other =
          Thread.ofPlatform()
              .start(
                  () ->
                      analysis.analyzeAll(
                          texts,
                          text -> {
                            // Its caller waits inside its first chunk until the pool's thread
                            // holds the other, which then waits to be released.
                            boolean pool =
                                Thread.currentThread().getName().startsWith("pii-analysis-");
                            if (pool) {
                              blocked.countDown();
                            }
                            try {
                              (pool ? release : blocked).await();
                            } catch (InterruptedException e) {
                              Thread.currentThread().interrupt();
                            }
                            return List.of();
                          }));
      assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
      List<List<PiiSpan>> spans =
          analysis.analyzeAll(texts, text -> Engines.ENGINE.analyze(text, PiiLists.none()));
      assertThat(spans).hasSize(texts.size()).doesNotContainNull();
      release.countDown();
      other.join(10_000);
    }
  }

  @Test
  void analyzeAllWhenTextsFailThenFirstFailureInTextOrder() throws IOException {
    List<String> texts = new ArrayList<>(corpus());
    int first = texts.size() / 4;
    int second = texts.size() * 3 / 4;
    texts.set(first, "FAIL-FIRST");
    texts.set(second, "FAIL-SECOND");
    try (ParallelAnalysis analysis = new ParallelAnalysis(4)) {
      for (int run = 0; run < 20; run++) {
        assertThatThrownBy(
                () ->
                    analysis.analyzeAll(
                        texts,
                        text -> {
                          if (text.startsWith("FAIL-")) {
                            throw PiiUnavailableException.tooLarge(
                                text.equals("FAIL-FIRST") ? 1 : 2, 0);
                          }
                          return Engines.ENGINE.analyze(text, PiiLists.none());
                        }))
            .isInstanceOf(PiiUnavailableException.class)
            .hasMessageContaining("Input of 1 chars");
      }
    }
  }

  @Test
  void newWhenNoThreadThenRefused() {
    assertThatThrownBy(() -> new ParallelAnalysis(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
