package org.tanso.registry.account;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.tanso.registry.account.domain.AccountStatus;
import org.tanso.registry.account.domain.AccountType;

/**
 * Account rows for the movement path, in plain JDBC on the transaction's connection: locked in
 * account-number order (so two movements over the same accounts never deadlock), and balances
 * changed by the difference under that lock. The hot path of every transfer, so no ORM work.
 */
@ApplicationScoped
public class LockedAccounts {

  /** An account row as locked by this transaction. */
  public record Locked(
      String number,
      String party,
      AccountType type,
      String holder,
      AccountStatus status,
      long balance) {}

  private final DataSource dataSource;

  LockedAccounts(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Locks the named accounts that exist, in number order; missing ones are absent from the map. */
  public Map<String, Locked> lock(Collection<String> numbers) {
    List<String> sorted = new ArrayList<>(numbers.stream().distinct().sorted().toList());
    Map<String, Locked> locked = new LinkedHashMap<>();
    String sql =
        sorted.size() == 1
            ? "SELECT number, party, type, holder, status, balance FROM account WHERE number = ? FOR UPDATE"
            : "SELECT number, party, type, holder, status, balance FROM account WHERE number = ANY (?) ORDER BY number FOR UPDATE";
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      if (sorted.size() == 1) {
        s.setString(1, sorted.get(0));
      } else {
        s.setArray(1, c.createArrayOf("varchar", sorted.toArray()));
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          locked.put(
              rs.getString(1),
              new Locked(
                  rs.getString(1),
                  rs.getString(2),
                  AccountType.valueOf(rs.getString(3)),
                  rs.getString(4),
                  AccountStatus.valueOf(rs.getString(5)),
                  rs.getLong(6)));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("locking accounts " + sorted + " failed", e);
    }
    return locked;
  }

  /**
   * Adds {@code delta} (negative to take) to each account's balance; the caller holds the row
   * locks.
   */
  public void adjust(Map<String, Long> deltas) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement("UPDATE account SET balance = balance + ? WHERE number = ?")) {
      for (Map.Entry<String, Long> d : deltas.entrySet()) {
        s.setLong(1, d.getValue());
        s.setString(2, d.getKey());
        s.addBatch();
      }
      s.executeBatch();
    } catch (SQLException e) {
      throw new IllegalStateException("adjusting balances " + deltas + " failed", e);
    }
  }
}
