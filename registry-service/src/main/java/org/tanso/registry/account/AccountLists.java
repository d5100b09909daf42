package org.tanso.registry.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.tanso.http.ApiException;
import org.tanso.http.ListQuery;
import org.tanso.http.Page;
import org.tanso.http.Paging;
import org.tanso.identity.Caller;
import org.tanso.registry.account.domain.AccountStatus;
import org.tanso.registry.account.domain.AccountType;
import org.tanso.registry.account.domain.Movement;
import org.tanso.registry.account.domain.Parties;

/**
 * The participant and account lists and an account's statement. Each reads one index range in the
 * list's order (V5): participants and accounts by their ordinal, a statement by time and movement
 * number; a page is the rows after the cursor's position.
 */
@ApplicationScoped
public class AccountLists {

  private final EntityManager em;
  private final AccountService accounts;

  AccountLists(EntityManager em, AccountService accounts) {
    this.em = em;
    this.accounts = accounts;
  }

  private record Ordered<T>(long position, T item) {}

  public Page<AccountViews.Participant> participants(ListQuery query) {
    long after = Paging.after("p", query.text("after"));
    int size = Paging.limit(query.text("limit"));
    List<Ordered<AccountViews.Participant>> rows = new ArrayList<>();
    for (Object[] r :
        rows(
            em.createNativeQuery(
                    "SELECT seq, id, name, party FROM participant WHERE seq > ?1 ORDER BY seq LIMIT ?2")
                .setParameter(1, after)
                .setParameter(2, size + 1))) {
      rows.add(
          new Ordered<>(
              number(r[0]),
              new AccountViews.Participant((String) r[1], (String) r[2], ((String) r[3]).trim())));
    }
    return Page.of(rows, size, "p", Ordered::position, Ordered::item);
  }

  /**
   * Accounts by holder, party, type and status. A registry administrator or regulator sees every
   * account; anyone else only the accounts its participant holds, whatever it filters by (a holder
   * filter naming someone else finds nothing).
   */
  public Page<AccountViews.Account> accounts(Caller caller, ListQuery query) {
    String holder =
        query.matching(
            "holder",
            "[A-Za-z0-9][A-Za-z0-9._-]{0,63}",
            "a participant id (letters, digits, . _ -)");
    String party = query.text("party");
    if (party != null && !Parties.isValid(party)) {
      throw ApiException.malformed(
          "party '" + ApiException.echo(party) + "' is not an ISO 3166-1 alpha-2 code");
    }
    AccountType type = query.oneOf("type", AccountType.class);
    AccountStatus status = query.oneOf("status", AccountStatus.class);
    long after = Paging.after("a", query.text("after"));
    int size = Paging.limit(query.text("limit"));
    if (!(caller.isAdmin() || caller.isRegulator())) {
      if (caller.participant() == null
          || (holder != null && !holder.equals(caller.participant()))) {
        return new Page<>(List.of(), null);
      }
      holder = caller.participant();
    }
    StringBuilder sql =
        new StringBuilder(
            "SELECT a.seq, a.number, a.holder, a.party, a.type, a.status, a.balance,"
                + " (SELECT coalesce(sum(b.serial_end - b.serial_start + 1), 0) FROM credit_block b"
                + " WHERE b.account = a.number AND b.state = 'RESERVED')"
                + " FROM account a WHERE a.seq > ?1");
    List<Object> parameters = new ArrayList<>(List.of(after));
    condition(sql, parameters, "a.holder", holder);
    condition(sql, parameters, "a.party", party);
    condition(sql, parameters, "a.type", type == null ? null : type.name());
    condition(sql, parameters, "a.status", status == null ? null : status.name());
    sql.append(" ORDER BY a.seq LIMIT ?").append(parameters.size() + 1);
    parameters.add(size + 1);
    Query q = em.createNativeQuery(sql.toString());
    for (int i = 0; i < parameters.size(); i++) {
      q.setParameter(i + 1, parameters.get(i));
    }
    List<Ordered<AccountViews.Account>> rows = new ArrayList<>();
    for (Object[] r : rows(q)) {
      rows.add(
          new Ordered<>(
              number(r[0]),
              new AccountViews.Account(
                  (String) r[1],
                  (String) r[2],
                  ((String) r[3]).trim(),
                  AccountType.valueOf((String) r[4]),
                  AccountStatus.valueOf((String) r[5]),
                  number(r[6]),
                  number(r[7]))));
    }
    return Page.of(rows, size, "a", Ordered::position, Ordered::item);
  }

  /**
   * The account's statement: every change of its balance in order, with the balance after it, from
   * {@code from} (inclusive) to {@code to} (exclusive; a date: through that day). Who may read it:
   * as {@code GET /accounts/{number}}.
   */
  public Page<AccountViews.StatementLine> statement(Caller caller, String number, ListQuery query) {
    accounts.readable(caller, number);
    ListQuery.TimeRange range = query.timeRange("from", "to");
    long after = Paging.after("m", query.text("after"));
    int size = Paging.limit(query.text("limit"));
    StringBuilder sql =
        new StringBuilder(
            "SELECT m.seq, m.at, m.kind, m.direction, m.reference, m.counterparty_registry, m.counterparty_account,"
                + " m.quantity, m.effect, m.balance_after FROM account_movement m WHERE m.account = ?1");
    List<Object> parameters = new ArrayList<>(List.of(number));
    if (after > 0) {
      // the order is (at, seq); the cursor names the movement the page starts after
      sql.append(
          " AND (m.at, m.seq) > (SELECT c.at, c.seq FROM account_movement c WHERE c.account = ?1 AND c.seq = ?2)");
      parameters.add(after);
    }
    if (range.from() != null) {
      parameters.add(range.from());
      sql.append(" AND m.at >= ?").append(parameters.size());
    }
    if (range.to() != null) {
      parameters.add(range.to());
      sql.append(" AND m.at < ?").append(parameters.size());
    }
    parameters.add(size + 1);
    sql.append(" ORDER BY m.at, m.seq LIMIT ?").append(parameters.size());
    Query q = em.createNativeQuery(sql.toString());
    for (int i = 0; i < parameters.size(); i++) {
      q.setParameter(i + 1, parameters.get(i));
    }
    List<Ordered<AccountViews.StatementLine>> rows = new ArrayList<>();
    for (Object[] r : rows(q)) {
      String registry = (String) r[5];
      String counterparty = (String) r[6];
      rows.add(
          new Ordered<>(
              number(r[0]),
              new AccountViews.StatementLine(
                  number(r[0]),
                  instant(r[1]),
                  Movement.Kind.valueOf((String) r[2]),
                  Movement.Direction.valueOf((String) r[3]),
                  (String) r[4],
                  registry == null && counterparty == null
                      ? null
                      : new AccountViews.Counterparty(registry, counterparty),
                  number(r[7]),
                  number(r[8]),
                  number(r[9]))));
    }
    return Page.of(rows, size, "m", Ordered::position, Ordered::item);
  }

  private static void condition(
      StringBuilder sql, List<Object> parameters, String column, String value) {
    if (value != null) {
      parameters.add(value);
      sql.append(" AND ").append(column).append(" = ?").append(parameters.size());
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Object[]> rows(Query query) {
    return query.getResultList();
  }

  private static long number(Object value) {
    return ((Number) value).longValue();
  }

  /** A timestamp column as a native query returns it. */
  public static Instant instant(Object value) {
    if (value instanceof Instant i) {
      return i;
    }
    if (value instanceof java.time.OffsetDateTime o) {
      return o.toInstant();
    }
    if (value instanceof java.sql.Timestamp ts) {
      return ts.toInstant();
    }
    throw new IllegalStateException("unexpected timestamp " + value.getClass());
  }
}
