package org.tanso.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * List paging as every Tanso API does it: {@code limit}, and an opaque {@code after} cursor from
 * the previous page's {@code next}.
 */
public final class Paging {

  /** The page size of every list when {@code limit} is absent. */
  public static final int DEFAULT_LIMIT = 100;

  /** The largest page any list serves. */
  public static final int MAX_LIMIT = 1000;

  private Paging() {}

  /** The page size asked for: {@link #DEFAULT_LIMIT} when absent, 1..{@link #MAX_LIMIT}. */
  public static int limit(String text) {
    return limit(text, DEFAULT_LIMIT, MAX_LIMIT);
  }

  /**
   * The page size asked for, {@code fallback} when absent; anything but 1..max is a malformed
   * request.
   */
  public static int limit(String text, int fallback, int max) {
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    try {
      int size = Integer.parseInt(text);
      if (size >= 1 && size <= max) {
        return size;
      }
    } catch (NumberFormatException ignored) {
      // refused below
    }
    throw ApiException.malformed("limit must be a whole number between 1 and " + max);
  }

  /** An opaque cursor for the position after which the next page starts. */
  public static String cursor(String tag, long position) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((tag + ":" + position).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * The position a cursor of ours stands for, 0 without one; any other text is a malformed request.
   */
  public static long after(String tag, String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return 0;
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
      if (text.startsWith(tag + ":")) {
        long position = Long.parseLong(text.substring(tag.length() + 1));
        if (position >= 0) {
          return position;
        }
      }
    } catch (IllegalArgumentException ignored) {
      // refused below
    }
    throw ApiException.malformed("'after' is not a cursor this service issued");
  }
}
