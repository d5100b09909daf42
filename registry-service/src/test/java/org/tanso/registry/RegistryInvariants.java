package org.tanso.registry;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.tanso.testing.Rows;

/** DESIGN.md's registry invariants, checked directly against the database. */
public final class RegistryInvariants {

  private RegistryInvariants() {}

  public static void assertAllHold(AgroalDataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      // 1. conservation of units issued here: issued = active + reserved + retired + cancelled +
      // transferred out
      // (units that left keep their rows), per unit identifier
      List<String> unbalanced =
          strings(
              s,
              "SELECT u.unit_id || ' issued ' || u.quantity || ' blocks ' || coalesce(sum(b.serial_end - b.serial_start + 1), 0)"
                  + " FROM unit_issuance u LEFT JOIN credit_block b ON b.unit_id = u.unit_id WHERE NOT u.acquired"
                  + " GROUP BY u.unit_id, u.quantity HAVING coalesce(sum(b.serial_end - b.serial_start + 1), 0) <> u.quantity");
      assertTrue(unbalanced.isEmpty(), "units not conserved: " + unbalanced);
      // serials of a unit identifier are exactly 1..quantity: contiguous, no gaps
      List<String> gaps =
          strings(
              s,
              "SELECT u.unit_id FROM unit_issuance u JOIN credit_block b ON b.unit_id = u.unit_id WHERE NOT u.acquired"
                  + " GROUP BY u.unit_id, u.quantity HAVING min(b.serial_start) <> 1 OR max(b.serial_end) <> u.quantity");
      assertTrue(gaps.isEmpty(), "serials not 1..quantity: " + gaps);
      // units acquired from another registry: some of serials 1..quantity of the issuance there
      List<String> strayAcquired =
          strings(
              s,
              "SELECT u.unit_id FROM unit_issuance u JOIN credit_block b ON b.unit_id = u.unit_id WHERE u.acquired"
                  + " GROUP BY u.unit_id, u.quantity HAVING min(b.serial_start) < 1 OR max(b.serial_end) > u.quantity");
      assertTrue(
          strayAcquired.isEmpty(), "acquired serials outside their issuance: " + strayAcquired);
      // 2. no serial held twice
      List<String> overlaps =
          strings(
              s,
              "SELECT a.id || '/' || b.id FROM credit_block a JOIN credit_block b ON a.unit_id = b.unit_id AND a.id < b.id AND a.serials && b.serials");
      assertTrue(overlaps.isEmpty(), "overlapping blocks: " + overlaps);
      // 3. balances are never negative and equal the ACTIVE units held
      List<String> wrongBalances =
          strings(
              s,
              "SELECT a.number || ' balance ' || a.balance || ' active ' || coalesce(sum(b.serial_end - b.serial_start + 1), 0)"
                  + " FROM account a LEFT JOIN credit_block b ON b.account = a.number AND b.state = 'ACTIVE'"
                  + " GROUP BY a.number, a.balance HAVING a.balance <> coalesce(sum(b.serial_end - b.serial_start + 1), 0) OR a.balance < 0");
      assertTrue(wrongBalances.isEmpty(), "balances out of step: " + wrongBalances);
      // every balance is the balance after its account's last statement line, and movements count
      // the lines 1..n
      List<String> statements =
          strings(
              s,
              "SELECT a.number || ' balance ' || a.balance || ' movements ' || a.movements || ' statement ' || coalesce(m.lines, 0)"
                  + " || ' ending ' || coalesce(ending.balance_after, 0) FROM account a"
                  + " LEFT JOIN (SELECT account, count(*) AS lines, max(seq) AS top FROM account_movement GROUP BY account) m"
                  + " ON m.account = a.number"
                  + " LEFT JOIN account_movement ending ON ending.account = a.number AND ending.seq = m.top"
                  + " WHERE a.balance <> coalesce(ending.balance_after, 0) OR a.movements <> coalesce(m.lines, 0)"
                  + " OR a.movements <> coalesce(m.top, 0)");
      assertTrue(statements.isEmpty(), "statements out of step with balances: " + statements);
      // 4 (shape). cancelled units sit in cancellation accounts
      List<String> strayCancelled =
          strings(
              s,
              "SELECT b.id FROM credit_block b JOIN account a ON a.number = b.account WHERE b.state = 'CANCELLED' AND a.type <> 'CANCELLATION'");
      assertTrue(
          strayCancelled.isEmpty(),
          "cancelled units outside cancellation accounts: " + strayCancelled);
    }
  }

  public static long count(AgroalDataSource dataSource, String sql) throws SQLException {
    return Rows.number(dataSource, sql);
  }

  private static List<String> strings(Statement s, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
