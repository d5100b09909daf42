package org.tanso.http;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * One page of a list: its items and the cursor of the next page ({@code after}), null on the last.
 */
public record Page<T>(List<T> items, String next) {

  /**
   * The page made of the first {@code size} of {@code rows}, read in list order with one row more
   * than a page: the cursor after the last item when there was that one more, else none.
   *
   * @param tag the cursor's tag (see {@link Paging#cursor})
   * @param position a row's place in the list's order, the key the next page starts after
   */
  public static <R, T> Page<T> of(
      List<R> rows, int size, String tag, ToLongFunction<R> position, Function<R, T> view) {
    List<R> shown = rows.size() > size ? rows.subList(0, size) : rows;
    String next =
        rows.size() > size ? Paging.cursor(tag, position.applyAsLong(rows.get(size - 1))) : null;
    return new Page<>(shown.stream().map(view).toList(), next);
  }
}
