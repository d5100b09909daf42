package org.tanso.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM outbox_event WHERE published_at IS NULL")) {
      r.next();
      return r.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the outbox", e);
    }
  }

  /** Waits until the relay has published every row committed so far; fails after {@code timeout}. */
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
