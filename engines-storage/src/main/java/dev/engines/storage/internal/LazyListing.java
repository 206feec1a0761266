package dev.engines.storage.internal;

import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Turns an adapter's lazily paging iterator into the {@code Stream} that {@code RawStore.list}
 * returns. SDK iterators fetch the next page inside {@code hasNext()}/{@code next()}, so a backend
 * failure surfaces while the caller consumes the stream; every such exception is passed through the
 * adapter's mapping so callers see the same problems as from any other call. Not part of the SPI.
 */
public final class LazyListing {

  private LazyListing() {}

  /**
   * A sequential stream over {@code source} whose failures go through {@code mapFailure} and whose
   * {@code close()} runs {@code onClose}.
   */
  public static <T> Stream<T> stream(
      Iterator<T> source,
      Function<RuntimeException, RuntimeException> mapFailure,
      Runnable onClose) {
    Iterator<T> mapped =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            try {
              return source.hasNext();
            } catch (RuntimeException e) {
              throw mapFailure.apply(e);
            }
          }

          @Override
          public T next() {
            try {
              return source.next();
            } catch (RuntimeException e) {
              throw mapFailure.apply(e);
            }
          }
        };
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(mapped, Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(onClose);
  }
}
