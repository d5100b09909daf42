package org.tanso.registry.unit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.tanso.events.registry.Block;
import org.tanso.http.ApiException;
import org.tanso.http.Paging;
import org.tanso.identity.Caller;
import org.tanso.registry.account.AccountLists;
import org.tanso.registry.account.AccountService;
import org.tanso.registry.unit.domain.UnitIdentifiers;

/** Who holds what: transactions, single serial numbers, an account's holdings, all holdings. */
@ApplicationScoped
public class UnitQueryService {

  public static final int MAX_PAGE = 1000;

  private final EntityManager em;
  private final AccountService accountService;

  UnitQueryService(EntityManager em, AccountService accountService) {
    this.em = em;
    this.accountService = accountService;
  }

  public MovementViews.Transaction transaction(Caller caller, String id) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.malformed("transaction ids are UUIDs");
    }
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "SELECT kind, from_account, to_account, quantity, created_at, retirement_id, beneficiary, purpose, using_party, reason,"
                    + " initiated_by, counterpart_registry, counterpart_account, trigger, triggered_by FROM registry_transaction WHERE id = ?1")
            .setParameter(1, uuid)
            .getResultList();
    if (rows.isEmpty()) {
      throw ApiException.notFound("TRANSACTION_NOT_FOUND", "no transaction " + id);
    }
    Object[] t = rows.get(0);
    RecordedTransaction.Kind kind = RecordedTransaction.Kind.valueOf((String) t[0]);
    String from = (String) t[1];
    String to = (String) t[2];
    @SuppressWarnings("unchecked")
    List<Object[]> blockRows =
        em.createNativeQuery(
                "SELECT unit_id, serial_start, serial_end, account, state FROM transaction_block WHERE transaction_id = ?1 ORDER BY position")
            .setParameter(1, uuid)
            .getResultList();
    boolean party =
        accountService.heldBy(caller, from)
            || accountService.heldBy(caller, to)
            || blockRows.stream()
                .anyMatch(b -> b[3] != null && accountService.heldBy(caller, (String) b[3]));
    if (!(caller.isAdmin() || caller.isRegulator() || party)) {
      throw ApiException.forbidden("the caller is not a party to transaction " + id);
    }
    // rows written before blocks recorded their account and state: derive them from the kind
    String blockAccount = kind == RecordedTransaction.Kind.RETIREMENT ? from : to;
    String blockState =
        switch (kind) {
          case RETIREMENT -> "RETIRED";
          case CANCELLATION -> "CANCELLED";
          default -> "ACTIVE";
        };
    List<Block> blocks = new ArrayList<>();
    for (Object[] b : blockRows) {
      blocks.add(
          BlockStore.block(
              (String) b[0],
              ((Number) b[1]).longValue(),
              ((Number) b[2]).longValue(),
              b[3] == null ? blockAccount : (String) b[3],
              b[4] == null ? blockState : (String) b[4]));
    }
    RecordedTransaction.Retirement retirement =
        t[5] == null
            ? null
            : new RecordedTransaction.Retirement(
                (String) t[5], (String) t[6], (String) t[7], (String) t[8]);
    RecordedTransaction.Counterpart counterpart =
        t[11] == null ? null : new RecordedTransaction.Counterpart((String) t[11], (String) t[12]);
    RecordedTransaction.Cause cause =
        t[13] == null ? null : new RecordedTransaction.Cause((String) t[13], (String) t[14]);
    return MovementViews.Transaction.of(
        new RecordedTransaction(
            uuid,
            kind,
            from,
            to,
            ((Number) t[3]).longValue(),
            (String) t[10],
            instant(t[4]),
            blocks,
            retirement,
            (String) t[9],
            counterpart,
            cause));
  }

  public MovementViews.UnitLocation unit(String unitId, String serialText) {
    long serial;
    try {
      serial = Long.parseLong(serialText);
    } catch (NumberFormatException e) {
      throw ApiException.malformed("serial numbers are positive whole numbers");
    }
    if (serial < 1 || unitId.length() > 80) {
      throw ApiException.malformed("serial numbers are positive whole numbers");
    }
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "SELECT serial_start, serial_end, account, state, ca_status, ca_applied_at, ca_applied_by, ca_first_transfer, reservation"
                    + " FROM credit_block WHERE unit_id = ?1 AND serials @> CAST(?2 AS bigint)")
            .setParameter(1, unitId)
            .setParameter(2, serial)
            .getResultList();
    if (rows.isEmpty()) {
      throw ApiException.notFound("UNIT_NOT_FOUND", "no unit " + unitId + " serial " + serial);
    }
    Object[] r = rows.get(0);
    long start = ((Number) r[0]).longValue();
    long end = ((Number) r[1]).longValue();
    return new MovementViews.UnitLocation(
        unitId,
        serial,
        UnitIdentifiers.blockSerial(unitId, start, end),
        (String) r[2],
        (String) r[3],
        adjustment(r, 4),
        r[8] == null ? null : r[8].toString());
  }

  public MovementViews.Page<MovementViews.Holding> holdings(
      Caller caller, String account, String after, String limit) {
    accountService.readable(caller, account);
    long cursor = Paging.after("b", after);
    int size = Paging.limit(limit, 100, MAX_PAGE);
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "SELECT b.id, b.unit_id, b.serial_start, b.serial_end, u.project, b.vintage, b.state, b.ca_status, b.ca_applied_at, b.ca_applied_by,"
                    + " b.ca_first_transfer, b.reservation FROM credit_block b"
                    + " JOIN unit_issuance u ON u.unit_id = b.unit_id WHERE b.account = ?1 AND b.id > ?2 ORDER BY b.id LIMIT ?3")
            .setParameter(1, account)
            .setParameter(2, cursor)
            .setParameter(3, size + 1)
            .getResultList();
    List<MovementViews.Holding> items = new ArrayList<>();
    for (int i = 0; i < Math.min(size, rows.size()); i++) {
      Object[] r = rows.get(i);
      long start = ((Number) r[2]).longValue();
      long end = ((Number) r[3]).longValue();
      items.add(
          new MovementViews.Holding(
              UnitIdentifiers.blockSerial((String) r[1], start, end),
              (String) r[1],
              start,
              end,
              end - start + 1,
              (String) r[4],
              ((Number) r[5]).intValue(),
              (String) r[6],
              adjustment(r, 7),
              r[11] == null ? null : r[11].toString()));
    }
    String next =
        rows.size() > size
            ? Paging.cursor("b", ((Number) rows.get(size - 1)[0]).longValue())
            : null;
    return new MovementViews.Page<>(items, next);
  }

  public MovementViews.Page<MovementViews.AccountHolding> allHoldings(String after, String limit) {
    long cursor = Paging.after("b", after);
    int size = Paging.limit(limit, 100, MAX_PAGE);
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "SELECT b.id, b.account, b.unit_id, b.serial_start, b.serial_end, u.project, b.vintage, b.state, b.ca_status, b.ca_applied_at,"
                    + " b.ca_applied_by, b.ca_first_transfer, b.reservation FROM credit_block b"
                    + " JOIN unit_issuance u ON u.unit_id = b.unit_id WHERE b.id > ?1 ORDER BY b.id LIMIT ?2")
            .setParameter(1, cursor)
            .setParameter(2, size + 1)
            .getResultList();
    List<MovementViews.AccountHolding> items = new ArrayList<>();
    for (int i = 0; i < Math.min(size, rows.size()); i++) {
      Object[] r = rows.get(i);
      long start = ((Number) r[3]).longValue();
      long end = ((Number) r[4]).longValue();
      items.add(
          new MovementViews.AccountHolding(
              (String) r[1],
              UnitIdentifiers.blockSerial((String) r[2], start, end),
              (String) r[2],
              start,
              end,
              end - start + 1,
              (String) r[5],
              ((Number) r[6]).intValue(),
              (String) r[7],
              adjustment(r, 8),
              r[12] == null ? null : r[12].toString()));
    }
    String next =
        rows.size() > size
            ? Paging.cursor("b", ((Number) rows.get(size - 1)[0]).longValue())
            : null;
    return new MovementViews.Page<>(items, next);
  }

  /**
   * The corresponding adjustment of a block row: status, applied at, applied by, first transfer
   * (columns from {@code at}).
   */
  static MovementViews.Adjustment adjustment(Object[] row, int at) {
    String status = (String) row[at];
    if (!"APPLIED".equals(status)) {
      return new MovementViews.Adjustment(status, null, null, null);
    }
    return new MovementViews.Adjustment(
        status,
        instant(row[at + 1]),
        ((String) row[at + 2]).trim(),
        row[at + 3] == null ? null : row[at + 3].toString());
  }

  static Instant instant(Object value) {
    return AccountLists.instant(value);
  }
}
