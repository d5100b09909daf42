package org.tanso.http;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads a query's rows one by one from a server-side cursor: its own connection in a read-only
 * transaction (autocommit off, so the PostgreSQL driver fetches {@link #FETCH_SIZE} rows at a time
 * instead of all of them), one consistent snapshot for the whole read. For exports whose length has
 * no bound; the statement timeout of the transaction is {@code tanso.public.csv.statement-timeout}
 * (default 10 minutes) rather than the service's usual one.
 */
@ApplicationScoped
public class ReadOnlyCursor {

  public static final int FETCH_SIZE = 1000;

  private final DataSource dataSource;
  private final long timeoutMillis;

  ReadOnlyCursor(
      DataSource dataSource,
      @ConfigProperty(name = "tanso.public.csv.statement-timeout", defaultValue = "10m")
          Duration timeout) {
    this.dataSource = dataSource;
    this.timeoutMillis = timeout.toMillis();
  }

  /** What is done with each row; the result set stands on it. */
  @FunctionalInterface
  public interface RowHandler {
    void row(ResultSet rs) throws SQLException;
  }

  /** Runs {@code sql} with {@code parameters} (set in order) and hands each row to {@code each}. */
  public void forEach(String sql, List<?> parameters, RowHandler each) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      c.setReadOnly(true);
      try {
        try (var timeout = c.createStatement()) {
          timeout.execute("SET LOCAL statement_timeout = " + timeoutMillis);
        }
        try (PreparedStatement s =
            c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
          s.setFetchSize(FETCH_SIZE);
          for (int i = 0; i < parameters.size(); i++) {
            s.setObject(i + 1, parameters.get(i));
          }
          try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              each.row(rs);
            }
          }
        }
      } finally {
        c.rollback();
        c.setReadOnly(false);
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading the rows of an export failed", e);
    }
  }
}
