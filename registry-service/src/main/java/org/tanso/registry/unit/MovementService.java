package org.tanso.registry.unit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.tanso.events.EventType;
import org.tanso.events.registry.Block;
import org.tanso.events.registry.CreditsCancelled;
import org.tanso.events.registry.CreditsRetired;
import org.tanso.events.registry.CreditsTransferred;
import org.tanso.http.ApiException;
import org.tanso.outbox.Outbox;
import org.tanso.registry.account.AccountService;
import org.tanso.registry.account.LockedAccounts;
import org.tanso.registry.account.LockedAccounts.Locked;
import org.tanso.registry.account.domain.AccountStatus;
import org.tanso.registry.account.domain.Parties;
import org.tanso.identity.Caller;
import org.tanso.registry.unit.domain.BlockPlanner;
import org.tanso.registry.unit.domain.SerialRange;
import org.tanso.registry.unit.domain.Take;

/**
 * Transfers, retirements and cancellations. Each is one transaction: lock the accounts in number
 * order, check, plan which serials move, move them, adjust balances, record the transaction and
 * append its event to the outbox. Any refusal rolls all of it back. The statements are plain JDBC
 * on the transaction's connection: this is the path every transfer takes.
 */
@ApplicationScoped
public class MovementService {

  private final LockedAccounts accounts;
  private final AccountService accountService;
  private final BlockStore blocks;
  private final Outbox outbox;
  private final DataSource dataSource;
  private final UnitMetrics metrics;

  MovementService(LockedAccounts accounts, AccountService accountService, BlockStore blocks, Outbox outbox, DataSource dataSource,
      UnitMetrics metrics) {
    this.metrics = metrics;
    this.accounts = accounts;
    this.accountService = accountService;
    this.blocks = blocks;
    this.outbox = outbox;
    this.dataSource = dataSource;
  }

  @Transactional
  public MovementViews.Transaction transfer(Caller caller, MovementViews.TransferRequest request) {
    AccountService.requireWellFormed(request.from());
    AccountService.requireWellFormed(request.to());
    boolean byQuantity = request.quantity() != null;
    if (byQuantity == (request.serials() != null)) {
      throw ApiException.malformed("give either quantity or serials, not both and not neither");
    }
    List<SerialRange> ranges = byQuantity ? List.of() : ranges(request.serials());
    if (request.from().equals(request.to())) {
      throw ApiException.badRequest("SAME_ACCOUNT", "from and to are the same account");
    }
    Map<String, Locked> locked = accounts.lock(List.of(request.from(), request.to()));
    Locked from = existing(locked, request.from());
    requireMayAct(caller, from);
    Locked to = existing(locked, request.to());
    requireOpen(from);
    requireOpen(to);
    if (!from.type().maySend()) {
      throw ApiException.unprocessable("ACCOUNT_TYPE_NOT_ALLOWED", from.type() + " accounts cannot send units");
    }
    if (!to.type().mayReceive()) {
      throw ApiException.unprocessable("ACCOUNT_TYPE_NOT_ALLOWED", to.type() + " accounts cannot receive transfers");
    }
    List<Take> takes = plan(from.number(), request.quantity(), ranges);
    long quantity = takes.stream().mapToLong(Take::quantity).sum();
    List<Block> moved = blocks.apply(takes, from.number(), to.number(), "ACTIVE");
    accounts.adjust(Map.of(from.number(), -quantity, to.number(), quantity));
    Instant at = now();
    UUID id = record("TRANSFER", from.number(), to.number(), quantity, caller, null, null, null, null, null, moved, at);
    outbox.append("account", from.number(), EventType.registry("CreditsTransferred"), from.number(),
        new CreditsTransferred(id.toString(), from.number(), to.number(), quantity, moved, at));
    metrics.transferred(quantity);
    return new MovementViews.Transaction(id.toString(), "TRANSFER", from.number(), to.number(), quantity, moved, at, null, null, null, null, null);
  }

  @Transactional
  public MovementViews.Transaction retire(Caller caller, MovementViews.RetirementRequest request) {
    AccountService.requireWellFormed(request.account());
    if (!Parties.isValid(request.usingParty())) {
      throw ApiException.malformed("usingParty '" + request.usingParty() + "' is not an ISO 3166-1 alpha-2 party");
    }
    Locked account = existing(accounts.lock(List.of(request.account())), request.account());
    requireMayAct(caller, account);
    requireOpen(account);
    if (!account.type().maySend()) {
      throw ApiException.unprocessable("ACCOUNT_TYPE_NOT_ALLOWED", account.type() + " accounts cannot retire units");
    }
    List<Take> takes = plan(account.number(), request.quantity(), List.of());
    List<Block> retired = blocks.apply(takes, account.number(), account.number(), "RETIRED");
    accounts.adjust(Map.of(account.number(), -request.quantity()));
    Instant at = now();
    String retirementId = String.format(Locale.ROOT, "RET-%d-%08d", at.atZone(ZoneOffset.UTC).getYear(), nextRetirementNumber());
    UUID id = record("RETIREMENT", account.number(), null, request.quantity(), caller, request.beneficiary(), request.purpose().name(),
        request.usingParty(), retirementId, null, retired, at);
    outbox.append("account", account.number(), EventType.registry("CreditsRetired"), account.number(),
        new CreditsRetired(id.toString(), retirementId, account.number(), request.quantity(), request.beneficiary(), request.purpose().name(),
            request.usingParty(), retired, at));
    metrics.retired(request.quantity());
    return new MovementViews.Transaction(id.toString(), "RETIREMENT", account.number(), null, request.quantity(), retired, at, retirementId,
        request.beneficiary(), request.purpose().name(), request.usingParty(), null);
  }

  @Transactional
  public MovementViews.Transaction cancel(Caller caller, MovementViews.CancellationRequest request) {
    AccountService.requireWellFormed(request.account());
    String cancellationAccount = accountService.cancellationAccount();
    Locked account = existing(accounts.lock(List.of(request.account())), request.account());
    if (!caller.isAdmin()) {
      requireMayAct(caller, account);
    }
    requireOpen(account);
    if (!account.type().maySend()) {
      throw ApiException.unprocessable("ACCOUNT_TYPE_NOT_ALLOWED", account.type() + " accounts cannot cancel units");
    }
    List<Take> takes = plan(account.number(), request.quantity(), List.of());
    List<Block> cancelled = blocks.apply(takes, account.number(), cancellationAccount, "CANCELLED");
    accounts.adjust(Map.of(account.number(), -request.quantity()));
    Instant at = now();
    UUID id = record("CANCELLATION", account.number(), cancellationAccount, request.quantity(), caller, null, null, null, null, request.reason(), cancelled, at);
    outbox.append("account", account.number(), EventType.registry("CreditsCancelled"), account.number(),
        new CreditsCancelled(id.toString(), account.number(), cancellationAccount, request.quantity(), request.reason(), cancelled, at));
    metrics.cancelled(request.quantity());
    return new MovementViews.Transaction(id.toString(), "CANCELLATION", account.number(), cancellationAccount, request.quantity(), cancelled, at,
        null, null, null, null, request.reason());
  }

  private List<Take> plan(String account, Long quantity, List<SerialRange> ranges) {
    try {
      if (quantity != null) {
        return BlockPlanner.byQuantity(blocks.activeFor(account, quantity), quantity);
      }
      return BlockPlanner.byRanges(blocks.activeOverlapping(account, ranges), ranges);
    } catch (BlockPlanner.Refusal refusal) {
      if (refusal.code().equals("UNITS_NOT_HELD") && blocks.holdsInactive(account, ranges)) {
        throw ApiException.conflict("UNITS_NOT_ACTIVE", "some of the named serials are retired or cancelled and never move again");
      }
      int status = switch (refusal.code()) {
        case "INVALID_QUANTITY", "MALFORMED_REQUEST" -> 400;
        default -> 409;
      };
      throw new ApiException(status, refusal.code(), refusal.getMessage());
    }
  }

  private static List<SerialRange> ranges(List<MovementViews.SerialRangeRequest> requested) {
    List<SerialRange> ranges = new ArrayList<>(requested.size());
    for (MovementViews.SerialRangeRequest r : requested) {
      if (r.start() > r.end()) {
        throw ApiException.malformed("serial range " + r.start() + ".." + r.end() + " has start after end");
      }
      ranges.add(new SerialRange(r.unitId(), r.start(), r.end()));
    }
    return ranges;
  }

  private static Locked existing(Map<String, Locked> locked, String number) {
    Locked account = locked.get(number);
    if (account == null) {
      throw ApiException.notFound("ACCOUNT_NOT_FOUND", "no account " + number);
    }
    return account;
  }

  private void requireMayAct(Caller caller, Locked account) {
    boolean registryAccountByAdmin = caller.isAdmin() && account.holder().equals(accountService.operatorParticipant());
    if (!caller.actsFor(account.holder()) && !registryAccountByAdmin) {
      throw ApiException.forbidden("account " + account.number() + " is not held by the caller's participant");
    }
  }

  private static void requireOpen(Locked account) {
    if (account.status() != AccountStatus.OPEN) {
      throw ApiException.conflict("ACCOUNT_NOT_OPEN", "account " + account.number() + " is " + account.status());
    }
  }

  private long nextRetirementNumber() {
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("SELECT nextval('retirement_seq')"); ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("numbering a retirement failed", e);
    }
  }

  private UUID record(String kind, String from, String to, long quantity, Caller caller, String beneficiary, String purpose,
      String usingParty, String retirementId, String reason, List<Block> moved, Instant at) {
    UUID id = UUID.randomUUID();
    try (Connection c = dataSource.getConnection();
        PreparedStatement tx = c.prepareStatement(
            "INSERT INTO registry_transaction (id, kind, from_account, to_account, quantity, initiated_by, beneficiary, purpose, using_party,"
                + " retirement_id, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        PreparedStatement parts = c.prepareStatement(
            "INSERT INTO transaction_block (transaction_id, position, unit_id, serial_start, serial_end) VALUES (?, ?, ?, ?, ?)")) {
      tx.setObject(1, id);
      tx.setString(2, kind);
      tx.setString(3, from);
      tx.setString(4, to);
      tx.setLong(5, quantity);
      tx.setString(6, caller.subject() == null ? "unknown" : caller.subject());
      tx.setString(7, beneficiary);
      tx.setString(8, purpose);
      tx.setString(9, usingParty);
      tx.setString(10, retirementId);
      tx.setString(11, reason);
      tx.setTimestamp(12, Timestamp.from(at));
      tx.executeUpdate();
      int position = 0;
      for (Block block : moved) {
        parts.setObject(1, id);
        parts.setInt(2, position++);
        parts.setString(3, block.unitId());
        parts.setLong(4, block.start());
        parts.setLong(5, block.end());
        parts.addBatch();
      }
      parts.executeBatch();
    } catch (SQLException e) {
      throw new IllegalStateException("recording the " + kind + " failed", e);
    }
    return id;
  }

  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }
}
