package org.tanso.registry.unit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.tanso.events.EventType;
import org.tanso.events.registry.Block;
import org.tanso.events.registry.CreditsCancelled;
import org.tanso.events.registry.CreditsRetired;
import org.tanso.events.registry.CreditsTransferred;
import org.tanso.http.ApiException;
import org.tanso.identity.Caller;
import org.tanso.outbox.Outbox;
import org.tanso.registry.account.AccountService;
import org.tanso.registry.account.LockedAccounts;
import org.tanso.registry.account.LockedAccounts.Locked;
import org.tanso.registry.account.domain.AccountStatus;
import org.tanso.registry.account.domain.Movement;
import org.tanso.registry.account.domain.Parties;
import org.tanso.registry.article6.FirstTransfers;
import org.tanso.registry.article6.domain.FirstTransfer;
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
  private final TransactionLedger ledger;
  private final FirstTransfers firstTransfers;

  MovementService(
      LockedAccounts accounts,
      AccountService accountService,
      BlockStore blocks,
      Outbox outbox,
      DataSource dataSource,
      UnitMetrics metrics,
      TransactionLedger ledger,
      FirstTransfers firstTransfers) {
    this.metrics = metrics;
    this.ledger = ledger;
    this.firstTransfers = firstTransfers;
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
      throw ApiException.unprocessable(
          "ACCOUNT_TYPE_NOT_ALLOWED", from.type() + " accounts cannot send units");
    }
    if (!to.type().mayReceive()) {
      throw ApiException.unprocessable(
          "ACCOUNT_TYPE_NOT_ALLOWED", to.type() + " accounts cannot receive transfers");
    }
    List<Take> takes = plan(from.number(), request.quantity(), ranges);
    long quantity = takes.stream().mapToLong(Take::quantity).sum();
    List<Block> moved =
        blocks.apply(takes, BlockStore.Move.ofActive(from.number(), to.number(), "ACTIVE"));
    RecordedTransaction t =
        RecordedTransaction.transfer(caller, from.number(), to.number(), quantity, moved, now());
    String id = t.id().toString();
    accounts.change(
        t.at(),
        List.of(
            Movement.out(from.number(), Movement.Kind.TRANSFER, id, quantity, null, to.number()),
            Movement.in(to.number(), Movement.Kind.TRANSFER, id, quantity, null, from.number())));
    ledger.record(t);
    outbox.append(
        "account",
        from.number(),
        EventType.registry("CreditsTransferred"),
        from.number(),
        new CreditsTransferred(
            t.id().toString(), from.number(), to.number(), quantity, moved, t.at()));
    metrics.transferred(quantity);
    return MovementViews.Transaction.of(t);
  }

  @Transactional
  public MovementViews.Transaction retire(Caller caller, MovementViews.RetirementRequest request) {
    AccountService.requireWellFormed(request.account());
    if (!Parties.isValid(request.usingParty())) {
      throw ApiException.malformed(
          "usingParty '" + request.usingParty() + "' is not an ISO 3166-1 alpha-2 party");
    }
    Locked account = existing(accounts.lock(List.of(request.account())), request.account());
    requireMayAct(caller, account);
    requireOpen(account);
    if (!account.type().maySend()) {
      throw ApiException.unprocessable(
          "ACCOUNT_TYPE_NOT_ALLOWED", account.type() + " accounts cannot retire units");
    }
    List<Take> takes = plan(account.number(), request.quantity(), List.of());
    List<Block> retired =
        blocks.apply(
            takes, BlockStore.Move.ofActive(account.number(), account.number(), "RETIRED"));
    Instant at = now();
    String retirementId =
        String.format(
            Locale.ROOT,
            "RET-%d-%08d",
            at.atZone(ZoneOffset.UTC).getYear(),
            nextRetirementNumber());
    RecordedTransaction t =
        RecordedTransaction.retirement(
            caller,
            account.number(),
            request.quantity(),
            new RecordedTransaction.Retirement(
                retirementId,
                request.beneficiary(),
                request.purpose().name(),
                request.usingParty()),
            retired,
            at);
    accounts.change(
        at,
        List.of(
            Movement.out(
                account.number(),
                Movement.Kind.RETIREMENT,
                t.id().toString(),
                request.quantity(),
                null,
                null)));
    ledger.record(t);
    outbox.append(
        "account",
        account.number(),
        EventType.registry("CreditsRetired"),
        account.number(),
        new CreditsRetired(
            t.id().toString(),
            retirementId,
            account.number(),
            request.quantity(),
            request.beneficiary(),
            request.purpose().name(),
            request.usingParty(),
            retired,
            at));
    firstTransfers.apply(
        FirstTransfer.Action.RETIREMENT,
        retired,
        t.id().toString(),
        t.initiatedBy(),
        account.number(),
        at);
    metrics.retired(request.quantity());
    return MovementViews.Transaction.of(t);
  }

  @Transactional
  public MovementViews.Transaction cancel(
      Caller caller, MovementViews.CancellationRequest request) {
    AccountService.requireWellFormed(request.account());
    String cancellationAccount = accountService.cancellationAccount();
    Locked account = existing(accounts.lock(List.of(request.account())), request.account());
    if (!caller.isAdmin()) {
      requireMayAct(caller, account);
    }
    requireOpen(account);
    if (!account.type().maySend()) {
      throw ApiException.unprocessable(
          "ACCOUNT_TYPE_NOT_ALLOWED", account.type() + " accounts cannot cancel units");
    }
    List<Take> takes = plan(account.number(), request.quantity(), List.of());
    List<Block> cancelled =
        blocks.apply(
            takes, BlockStore.Move.ofActive(account.number(), cancellationAccount, "CANCELLED"));
    Instant at = now();
    RecordedTransaction t =
        RecordedTransaction.cancellation(
            caller,
            account.number(),
            cancellationAccount,
            request.quantity(),
            request.reason(),
            cancelled,
            at);
    // the cancellation account receives the units CANCELLED: its balance of ACTIVE units stays
    accounts.change(
        at,
        List.of(
            Movement.out(
                account.number(),
                Movement.Kind.CANCELLATION,
                t.id().toString(),
                request.quantity(),
                null,
                cancellationAccount)));
    ledger.record(t);
    outbox.append(
        "account",
        account.number(),
        EventType.registry("CreditsCancelled"),
        account.number(),
        new CreditsCancelled(
            t.id().toString(),
            account.number(),
            cancellationAccount,
            request.quantity(),
            request.reason(),
            cancelled,
            at));
    firstTransfers.apply(
        FirstTransfer.Action.CANCELLATION,
        cancelled,
        t.id().toString(),
        t.initiatedBy(),
        account.number(),
        at);
    metrics.cancelled(request.quantity());
    return MovementViews.Transaction.of(t);
  }

  private List<Take> plan(String account, Long quantity, List<SerialRange> ranges) {
    try {
      if (quantity != null) {
        return BlockPlanner.byQuantity(blocks.activeFor(account, quantity), quantity);
      }
      return BlockPlanner.byRanges(blocks.activeOverlapping(account, ranges), ranges);
    } catch (BlockPlanner.Refusal refusal) {
      if (refusal.code().equals("UNITS_NOT_HELD") && blocks.holdsInactive(account, ranges)) {
        throw ApiException.conflict(
            "UNITS_NOT_ACTIVE",
            "some of the named serials are retired or cancelled and never move again");
      }
      throw refused(refusal);
    }
  }

  public static List<SerialRange> ranges(List<MovementViews.SerialRangeRequest> requested) {
    List<SerialRange> ranges = new ArrayList<>(requested.size());
    for (MovementViews.SerialRangeRequest r : requested) {
      if (r.start() > r.end()) {
        throw ApiException.malformed(
            "serial range " + r.start() + ".." + r.end() + " has start after end");
      }
      ranges.add(new SerialRange(r.unitId(), r.start(), r.end()));
    }
    return ranges;
  }

  /**
   * The checks every outgoing movement makes of the sending account: it exists, the caller acts for
   * its holder, it is OPEN and its type may send.
   */
  public Locked requireSender(Caller caller, Map<String, Locked> locked, String number) {
    Locked from = existing(locked, number);
    requireMayAct(caller, from);
    requireOpen(from);
    if (!from.type().maySend()) {
      throw ApiException.unprocessable(
          "ACCOUNT_TYPE_NOT_ALLOWED", from.type() + " accounts cannot send units");
    }
    return from;
  }

  /** Turns a planner refusal into the problem the client gets (shared by every movement). */
  public static ApiException refused(BlockPlanner.Refusal refusal) {
    int status =
        switch (refusal.code()) {
          case "INVALID_QUANTITY", "MALFORMED_REQUEST" -> 400;
          default -> 409;
        };
    return new ApiException(status, refusal.code(), refusal.getMessage());
  }

  private static Locked existing(Map<String, Locked> locked, String number) {
    Locked account = locked.get(number);
    if (account == null) {
      throw ApiException.notFound("ACCOUNT_NOT_FOUND", "no account " + number);
    }
    return account;
  }

  private void requireMayAct(Caller caller, Locked account) {
    boolean registryAccountByAdmin =
        caller.isAdmin() && account.holder().equals(accountService.operatorParticipant());
    if (!caller.actsFor(account.holder()) && !registryAccountByAdmin) {
      throw ApiException.forbidden(
          "account " + account.number() + " is not held by the caller's participant");
    }
  }

  private static void requireOpen(Locked account) {
    if (account.status() != AccountStatus.OPEN) {
      throw ApiException.conflict(
          "ACCOUNT_NOT_OPEN", "account " + account.number() + " is " + account.status());
    }
  }

  private long nextRetirementNumber() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT nextval('retirement_seq')");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("numbering a retirement failed", e);
    }
  }

  public static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }
}
