package org.tanso.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Makes concurrent requests really overlap: holds a table in SHARE mode, so every transaction that
 * writes to it waits, until the expected number of sessions wait on a lock in the database; closing
 * the gate lets them all go at once.
 */
public final class LockGate implements AutoCloseable {

  private final DataSource dataSource;
  private final Connection connection;

  private LockGate(DataSource dataSource, Connection connection) {
    this.dataSource = dataSource;
    this.connection = connection;
  }

  /**
   * Sends {@code twins} copies of {@code request} at once behind a gate on {@code table}, opens it
   * only when every copy waits in the database, and returns their answers in sending order.
   */
  public static <T> List<T> race(
      DataSource dataSource, String table, int twins, Callable<T> request) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(twins);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      try (LockGate gate = share(dataSource, table)) {
        for (int i = 0; i < twins; i++) {
          futures.add(
              pool.submit(
                  () -> {
                    start.await();
                    return request.call();
                  }));
        }
        start.countDown();
        // well inside the services' lock timeout (10 s), after which the waiting twins would give
        // up
        gate.awaitWaiting(twins, Duration.ofSeconds(8));
      }
      List<T> answers = new ArrayList<>();
      for (Future<T> f : futures) {
        answers.add(f.get(60, TimeUnit.SECONDS));
      }
      return answers;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Takes {@code table} in SHARE mode on a connection of its own, held until {@link #close}. */
  public static LockGate share(DataSource dataSource, String table) throws SQLException {
    Connection c = dataSource.getConnection();
    try {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("LOCK TABLE " + table + " IN SHARE MODE");
      }
      return new LockGate(dataSource, c);
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /**
   * Waits until at least {@code sessions} other sessions of this database wait on a lock (behind
   * the gate, or behind a session that waits behind it); fails when they do not within {@code
   * timeout}, since the requests would then not have raced.
   */
  public void awaitWaiting(int sessions, Duration timeout)
      throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int waiting = 0;
    // asked on a connection of its own, one statement a transaction: inside the gate's transaction
    // PostgreSQL would answer from the activity snapshot taken at its first look
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      c.setAutoCommit(true);
      while (System.nanoTime() < deadline) {
        try (ResultSet rs =
            s.executeQuery(
                "SELECT count(DISTINCT l.pid) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                    + " WHERE NOT l.granted AND a.datname = current_database()")) {
          rs.next();
          waiting = rs.getInt(1);
        }
        if (waiting >= sessions) {
          return;
        }
        Thread.sleep(20);
      }
    }
    throw new AssertionError(
        "only "
            + waiting
            + " of "
            + sessions
            + " sessions waited behind the gate within "
            + timeout
            + ": the requests did not overlap");
  }

  /** Opens the gate: the waiting transactions go on. */
  @Override
  public void close() throws SQLException {
    try {
      connection.commit();
    } finally {
      connection.close();
    }
  }
}
