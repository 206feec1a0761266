package dev.engines.pii;

import java.util.List;

/** The shared engine of the unit tests and helpers that render spans as {@code TYPE start end}. */
final class Engines {

  static final PiiEngine ENGINE =
      new PiiEngine(PiiSettings.defaults().withTimeBudget(java.time.Duration.ofSeconds(20)));

  private Engines() {}

  static List<String> found(String text) {
    return ENGINE.analyze(text, PiiLists.none()).stream()
        .map(s -> s.type() + " " + s.start() + " " + s.end())
        .toList();
  }

  static List<String> found(String text, String type) {
    return ENGINE.analyze(text, PiiLists.none()).stream()
        .filter(s -> s.type().equals(type))
        .map(s -> s.start() + " " + s.end())
        .toList();
  }
}
