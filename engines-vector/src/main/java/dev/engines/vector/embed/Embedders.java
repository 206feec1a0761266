package dev.engines.vector.embed;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The built-in models by id. A model is loaded the first time it is used (loading reads its ONNX
 * graph from the classpath), once per application.
 */
public final class Embedders {

  private final Map<String, Lazy> models = new TreeMap<>();

  private Embedders(List<Entry> entries) {
    entries.forEach(e -> models.put(e.model(), new Lazy(e)));
  }

  /** A model id, its dimension and how to load it. */
  private record Entry(String model, int dimension, Supplier<Embedder> load) {}

  /** The models that ship with Engines: {@value MiniLmEmbedder#MODEL} (384 dimensions). */
  public static Embedders builtIn() {
    return new Embedders(
        List.of(new Entry(MiniLmEmbedder.MODEL, MiniLmEmbedder.DIMENSION, MiniLmEmbedder::load)));
  }

  /** The ids of the built-in models, sorted. */
  public SortedSet<String> ids() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(models.keySet()));
  }

  /** The dimension of model {@code id}, known without loading it. */
  public Optional<Integer> dimension(String id) {
    return Optional.ofNullable(models.get(id)).map(m -> m.entry.dimension());
  }

  /** Model {@code id}, loaded on first use. */
  public Optional<Embedder> get(String id) {
    return Optional.ofNullable(models.get(id)).map(Lazy::get);
  }

  private static final class Lazy {
    private final Entry entry;
    private volatile Embedder loaded;

    Lazy(Entry entry) {
      this.entry = entry;
    }

    Embedder get() {
      Embedder model = loaded;
      if (model == null) {
        synchronized (this) {
          if (loaded == null) {
            loaded = entry.load().get();
          }
          model = loaded;
        }
      }
      return model;
    }
  }
}
