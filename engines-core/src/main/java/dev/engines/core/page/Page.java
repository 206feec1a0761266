package dev.engines.core.page;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a keyset-paginated listing. {@code nextCursor} is null on the last page.
 *
 * @param items the items, in the listing's documented order
 * @param nextCursor the opaque cursor for the following page, or null
 */
public record Page<T>(List<T> items, String nextCursor) {

  public Page {
    items = List.copyOf(items);
  }

  /**
   * Builds a page from {@code limit + 1} fetched rows: the extra row only signals that more exist.
   */
  public static <T> Page<T> of(List<T> fetched, int limit, Function<T, String> keyOf) {
    if (fetched.size() <= limit) {
      return new Page<>(fetched, null);
    }
    List<T> items = fetched.subList(0, limit);
    return new Page<>(items, Cursors.encode(keyOf.apply(items.get(limit - 1))));
  }
}
