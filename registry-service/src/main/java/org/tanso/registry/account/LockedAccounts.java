package org.tanso.registry.account;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.tanso.registry.account.domain.AccountStatus;
import org.tanso.registry.account.domain.AccountType;
import org.tanso.registry.account.domain.Movement;

/**
 * Account rows for the movement path, in plain JDBC on the transaction's connection: locked in
 * account-number order (so two movements over the same accounts never deadlock), and balances
 * changed by the difference under that lock, each change with its line in the account's statement
 * ({@link #change}). The hot path of every transfer, so no ORM work.
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
   * Changes balances by {@code movements} and appends each to its account's statement, in one
   * statement: the balance and the movement count are updated and the statement line is written
   * with the new balance as its balance after, so the two can never disagree (and the database
   * checks at commit that they do not). This is the only way a balance changes. The caller holds
   * the accounts' row locks; each account appears at most once.
   */
  public void change(Instant at, List<Movement> movements) {
    if (movements.isEmpty()) {
      return;
    }
    int n = movements.size();
    String[] account = new String[n];
    String[] kind = new String[n];
    String[] direction = new String[n];
    String[] reference = new String[n];
    Long[] quantity = new Long[n];
    Long[] effect = new Long[n];
    String[] registry = new String[n];
    String[] counterparty = new String[n];
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      Movement m = movements.get(i);
      if (!seen.add(m.account())) {
        throw new IllegalArgumentException(
            "account " + m.account() + " appears twice in one balance change");
      }
      account[i] = m.account();
      kind[i] = m.kind().name();
      direction[i] = m.direction().name();
      reference[i] = m.reference();
      quantity[i] = m.quantity();
      effect[i] = m.effect();
      registry[i] = m.counterpartyRegistry();
      counterparty[i] = m.counterpartyAccount();
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(CHANGE)) {
      s.setArray(1, c.createArrayOf("varchar", account));
      s.setArray(2, c.createArrayOf("varchar", kind));
      s.setArray(3, c.createArrayOf("varchar", direction));
      s.setArray(4, c.createArrayOf("varchar", reference));
      s.setArray(5, c.createArrayOf("bigint", quantity));
      s.setArray(6, c.createArrayOf("bigint", effect));
      s.setArray(7, c.createArrayOf("varchar", registry));
      s.setArray(8, c.createArrayOf("varchar", counterparty));
      s.setObject(9, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
      int written = s.executeUpdate();
      if (written != n) {
        throw new IllegalStateException(
            "balance change of " + List.of(account) + " found only " + written + " accounts");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("changing balances " + movements + " failed", e);
    }
  }

  private static final String CHANGE =
      "WITH d AS (SELECT * FROM unnest(CAST(? AS varchar[]), CAST(? AS varchar[]), CAST(? AS varchar[]), CAST(? AS varchar[]),"
          + " CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS varchar[]), CAST(? AS varchar[]))"
          + " AS d (account, kind, direction, reference, quantity, effect, counterparty_registry, counterparty_account)),"
          + " changed AS (UPDATE account a SET balance = a.balance + d.effect, movements = a.movements + 1 FROM d"
          + " WHERE a.number = d.account RETURNING a.number, a.balance, a.movements)"
          + " INSERT INTO account_movement (account, seq, at, kind, direction, reference, counterparty_registry, counterparty_account,"
          + " quantity, effect, balance_after)"
          + " SELECT c.number, c.movements, CAST(? AS timestamptz), d.kind, d.direction, d.reference, d.counterparty_registry,"
          + " d.counterparty_account, d.quantity, d.effect, c.balance FROM changed c JOIN d ON d.account = c.number";
}
