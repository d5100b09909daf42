package org.tanso.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** What a test counts in a service's database, read on a connection of its own. */
public final class Rows {

  private Rows() {}

  /**
   * The single number a query such as {@code SELECT count(*) ...} answers, with {@code parameters}
   * bound in order.
   */
  public static long number(DataSource dataSource, String sql, Object... parameters) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read a number: " + sql, e);
    }
  }
}
