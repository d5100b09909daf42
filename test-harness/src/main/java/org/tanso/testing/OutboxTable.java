package org.tanso.testing;

import java.time.Duration;
import javax.sql.DataSource;

/**
 * A service's transactional outbox as the tests see it: once it holds no unpublished row, every
 * event the service committed so far is on its topic, so {@link TestKafka#readToEnd} after that
 * counts them exactly.
 */
public final class OutboxTable {

  private OutboxTable() {}

  /** Rows of {@code outbox_event} the relay has not yet published. */
  public static long unpublished(DataSource dataSource) {
    return Rows.number(dataSource, "SELECT count(*) FROM outbox_event WHERE published_at IS NULL");
  }

  /**
   * Waits until the relay has published every row committed so far; fails after {@code timeout}.
   */
  public static void awaitDrained(DataSource dataSource, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long left;
    while ((left = unpublished(dataSource)) > 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(left + " outbox rows still unpublished after " + timeout);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
