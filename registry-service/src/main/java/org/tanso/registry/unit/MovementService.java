package org.tanso.registry.unit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.tanso.events.EventType;
import org.tanso.events.registry.Block;
import org.tanso.events.registry.CreditsCancelled;
import org.tanso.events.registry.CreditsRetired;
import org.tanso.events.registry.CreditsTransferred;
import org.tanso.http.ApiException;
import org.tanso.outbox.Outbox;
import org.tanso.registry.account.AccountEntity;
import org.tanso.registry.account.AccountRepository;
import org.tanso.registry.account.AccountService;
import org.tanso.registry.account.domain.AccountStatus;
import org.tanso.registry.account.domain.Parties;
import org.tanso.identity.Caller;
import org.tanso.registry.unit.domain.BlockPlanner;
import org.tanso.registry.unit.domain.SerialRange;
import org.tanso.registry.unit.domain.Take;

/**
 * Transfers, retirements and cancellations. Each is one transaction: lock the accounts in number
 * order, check, plan which serials move, move them, adjust balances, record the transaction and
 * append its event to the outbox. Any refusal rolls all of it back.
 */
@ApplicationScoped
public class MovementService {

  private final AccountRepository accounts;
  private final AccountService accountService;
  private final BlockStore blocks;
  private final Outbox outbox;
  private final EntityManager em;

  MovementService(AccountRepository accounts, AccountService accountService, BlockStore blocks, Outbox outbox, EntityManager em) {
    this.accounts = accounts;
    this.accountService = accountService;
    this.blocks = blocks;
    this.outbox = outbox;
    this.em = em;
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
    Map<String, AccountEntity> locked = accounts.lockInOrder(List.of(request.from(), request.to()));
    AccountEntity from = existing(locked, request.from());
    requireMayAct(caller, from);
    AccountEntity to = existing(locked, request.to());
    requireOpen(from);
    requireOpen(to);
    if (!from.type.maySend()) {
      throw ApiException.unprocessable("ACCOUNT_TYPE_NOT_ALLOWED", from.type + " accounts cannot send units");
    }
    if (!to.type.mayReceive()) {
      throw ApiException.unprocessable("ACCOUNT_TYPE_NOT_ALLOWED", to.type + " accounts cannot receive transfers");
    }
    List<Take> takes = plan(from.number, request.quantity(), ranges);
    long quantity = takes.stream().mapToLong(Take::quantity).sum();
    List<Block> moved = blocks.apply(takes, from.number, to.number, "ACTIVE");
    from.balance -= quantity;
    to.balance += quantity;
    Instant at = now();
    UUID id = record("TRANSFER", from.number, to.number, quantity, caller, null, null, null, null, null, moved, at);
    outbox.append("account", from.number, EventType.registry("CreditsTransferred"), from.number,
        new CreditsTransferred(id.toString(), from.number, to.number, quantity, moved, at));
    return new MovementViews.Transaction(id.toString(), "TRANSFER", from.number, to.number, quantity, moved, at, null, null, null, null, null);
  }

  @Transactional
  public MovementViews.Transaction retire(Caller caller, MovementViews.RetirementRequest request) {
    AccountService.requireWellFormed(request.account());
    if (!Parties.isValid(request.usingParty())) {
      throw ApiException.malformed("usingParty '" + request.usingParty() + "' is not an ISO 3166-1 alpha-2 party");
    }
    AccountEntity account = existing(accounts.lockInOrder(List.of(request.account())), request.account());
    requireMayAct(caller, account);
    requireOpen(account);
    if (!account.type.maySend()) {
      throw ApiException.unprocessable("ACCOUNT_TYPE_NOT_ALLOWED", account.type + " accounts cannot retire units");
    }
    List<Take> takes = plan(account.number, request.quantity(), List.of());
    List<Block> retired = blocks.apply(takes, account.number, account.number, "RETIRED");
    account.balance -= request.quantity();
    Instant at = now();
    long seq = ((Number) em.createNativeQuery("SELECT nextval('retirement_seq')").getSingleResult()).longValue();
    String retirementId = String.format(Locale.ROOT, "RET-%d-%08d", at.atZone(ZoneOffset.UTC).getYear(), seq);
    UUID id = record("RETIREMENT", account.number, null, request.quantity(), caller, request.beneficiary(), request.purpose().name(),
        request.usingParty(), retirementId, null, retired, at);
    outbox.append("account", account.number, EventType.registry("CreditsRetired"), account.number,
        new CreditsRetired(id.toString(), retirementId, account.number, request.quantity(), request.beneficiary(), request.purpose().name(),
            request.usingParty(), retired, at));
    return new MovementViews.Transaction(id.toString(), "RETIREMENT", account.number, null, request.quantity(), retired, at, retirementId,
        request.beneficiary(), request.purpose().name(), request.usingParty(), null);
  }

  @Transactional
  public MovementViews.Transaction cancel(Caller caller, MovementViews.CancellationRequest request) {
    AccountService.requireWellFormed(request.account());
    String cancellationAccount = accountService.cancellationAccount();
    AccountEntity account = existing(accounts.lockInOrder(List.of(request.account())), request.account());
    if (!caller.isAdmin()) {
      requireMayAct(caller, account);
    }
    requireOpen(account);
    if (!account.type.maySend()) {
      throw ApiException.unprocessable("ACCOUNT_TYPE_NOT_ALLOWED", account.type + " accounts cannot cancel units");
    }
    List<Take> takes = plan(account.number, request.quantity(), List.of());
    List<Block> cancelled = blocks.apply(takes, account.number, cancellationAccount, "CANCELLED");
    account.balance -= request.quantity();
    Instant at = now();
    UUID id = record("CANCELLATION", account.number, cancellationAccount, request.quantity(), caller, null, null, null, null, request.reason(), cancelled, at);
    outbox.append("account", account.number, EventType.registry("CreditsCancelled"), account.number,
        new CreditsCancelled(id.toString(), account.number, cancellationAccount, request.quantity(), request.reason(), cancelled, at));
    return new MovementViews.Transaction(id.toString(), "CANCELLATION", account.number, cancellationAccount, request.quantity(), cancelled, at,
        null, null, null, null, request.reason());
  }

  private List<Take> plan(String account, Long quantity, List<SerialRange> ranges) {
    try {
      if (quantity != null) {
        return BlockPlanner.byQuantity(blocks.active(account), quantity);
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

  private static AccountEntity existing(Map<String, AccountEntity> locked, String number) {
    AccountEntity account = locked.get(number);
    if (account == null) {
      throw ApiException.notFound("ACCOUNT_NOT_FOUND", "no account " + number);
    }
    return account;
  }

  private void requireMayAct(Caller caller, AccountEntity account) {
    boolean registryAccountByAdmin = caller.isAdmin() && account.holder.equals(accountService.operatorParticipant());
    if (!caller.actsFor(account.holder) && !registryAccountByAdmin) {
      throw ApiException.forbidden("account " + account.number + " is not held by the caller's participant");
    }
  }

  private static void requireOpen(AccountEntity account) {
    if (account.status != AccountStatus.OPEN) {
      throw ApiException.conflict("ACCOUNT_NOT_OPEN", "account " + account.number + " is " + account.status);
    }
  }

  private UUID record(String kind, String from, String to, long quantity, Caller caller, String beneficiary, String purpose,
      String usingParty, String retirementId, String reason, List<Block> moved, Instant at) {
    UUID id = UUID.randomUUID();
    em.createNativeQuery(
            "INSERT INTO registry_transaction (id, kind, from_account, to_account, quantity, initiated_by, beneficiary, purpose, using_party,"
                + " retirement_id, reason, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)")
        .setParameter(1, id)
        .setParameter(2, kind)
        .setParameter(3, from)
        .setParameter(4, to)
        .setParameter(5, quantity)
        .setParameter(6, caller.subject() == null ? "unknown" : caller.subject())
        .setParameter(7, beneficiary)
        .setParameter(8, purpose)
        .setParameter(9, usingParty)
        .setParameter(10, retirementId)
        .setParameter(11, reason)
        .setParameter(12, at)
        .executeUpdate();
    int position = 0;
    for (Block block : moved) {
      em.createNativeQuery("INSERT INTO transaction_block (transaction_id, position, unit_id, serial_start, serial_end) VALUES (?1, ?2, ?3, ?4, ?5)")
          .setParameter(1, id)
          .setParameter(2, position++)
          .setParameter(3, block.unitId())
          .setParameter(4, block.start())
          .setParameter(5, block.end())
          .executeUpdate();
    }
    return id;
  }

  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }
}
