package org.tanso.registry.international;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.tanso.events.EventType;
import org.tanso.events.Topics;
import org.tanso.events.interregistry.TransferAnswered;
import org.tanso.events.interregistry.TransferCompleted;
import org.tanso.events.interregistry.TransferProposed;
import org.tanso.events.interregistry.TransferTerminated;
import org.tanso.events.interregistry.TransferredUnits;
import org.tanso.events.registry.Block;
import org.tanso.events.registry.InternationalTransferCompleted;
import org.tanso.events.registry.InternationalTransferProposed;
import org.tanso.events.registry.InternationalTransferTerminated;
import org.tanso.http.ApiException;
import org.tanso.identity.Caller;
import org.tanso.outbox.Outbox;
import org.tanso.registry.account.AccountService;
import org.tanso.registry.account.LockedAccounts;
import org.tanso.registry.account.LockedAccounts.Locked;
import org.tanso.registry.account.domain.AccountNumber;
import org.tanso.registry.account.domain.Movement;
import org.tanso.registry.article6.FirstTransfers;
import org.tanso.registry.article6.domain.FirstTransfer;
import org.tanso.registry.directory.RegistryIdentity;
import org.tanso.registry.directory.domain.RegistryDirectory;
import org.tanso.registry.international.domain.SendingSide;
import org.tanso.registry.international.domain.TransferStatus;
import org.tanso.registry.unit.BlockStore;
import org.tanso.registry.unit.MovementService;
import org.tanso.registry.unit.RecordedTransaction;
import org.tanso.registry.unit.TransactionLedger;
import org.tanso.registry.unit.domain.BlockPlanner;
import org.tanso.registry.unit.domain.HeldBlock;
import org.tanso.registry.unit.domain.SerialRange;
import org.tanso.registry.unit.domain.Take;

/**
 * This registry as the sender of international transfers: it proposes and reserves, and it alone
 * decides the outcome ({@link SendingSide}). Every step is one transaction with the registry events
 * and the message to the peer it produces (both through the outbox).
 */
@ApplicationScoped
public class OutgoingTransfers {

  private final LockedAccounts accounts;
  private final MovementService movements;
  private final BlockStore blocks;
  private final TransferStore transfers;
  private final UnitsOnTheWire wire;
  private final TransactionLedger ledger;
  private final FirstTransfers firstTransfers;
  private final Outbox outbox;
  private final RegistryIdentity registry;
  private final Duration timeout;

  OutgoingTransfers(
      LockedAccounts accounts,
      MovementService movements,
      BlockStore blocks,
      TransferStore transfers,
      UnitsOnTheWire wire,
      TransactionLedger ledger,
      FirstTransfers firstTransfers,
      Outbox outbox,
      RegistryIdentity registry,
      @ConfigProperty(name = "tanso.international-transfer.timeout") Duration timeout) {
    this.accounts = accounts;
    this.movements = movements;
    this.blocks = blocks;
    this.transfers = transfers;
    this.wire = wire;
    this.ledger = ledger;
    this.firstTransfers = firstTransfers;
    this.outbox = outbox;
    this.registry = registry;
    this.timeout = timeout;
  }

  @Transactional
  public InternationalTransferViews.InternationalTransfer propose(
      Caller caller, InternationalTransferViews.ProposeTransfer request) {
    AccountService.requireWellFormed(request.from());
    if (!AccountNumber.isValid(request.toAccount())) {
      throw ApiException.malformed(
          "toAccount '"
              + ApiException.echo(request.toAccount())
              + "' is not a well-formed account number with valid check digits");
    }
    boolean byQuantity = request.quantity() != null;
    if (byQuantity == (request.serials() != null)) {
      throw ApiException.malformed("give either quantity or serials, not both and not neither");
    }
    List<SerialRange> ranges = byQuantity ? List.of() : MovementService.ranges(request.serials());
    RegistryDirectory.Registry peer =
        registry
            .directory()
            .peer(request.toRegistry())
            .orElseThrow(
                () ->
                    ApiException.unprocessable(
                        "UNKNOWN_REGISTRY",
                        "registry '"
                            + ApiException.echo(request.toRegistry())
                            + "' is not in this registry's directory"));
    if (!request.toAccount().startsWith(peer.party() + "-")) {
      throw ApiException.unprocessable(
          "ACCOUNT_NOT_IN_REGISTRY",
          "account "
              + request.toAccount()
              + " is not a "
              + peer.party()
              + " account and cannot be held in registry "
              + peer.id());
    }
    Map<String, Locked> locked = accounts.lock(List.of(request.from()));
    Locked from = movements.requireSender(caller, locked, request.from());
    List<Take> takes = plan(from, request.quantity(), ranges);
    long quantity = takes.stream().mapToLong(Take::quantity).sum();
    UUID id = UUID.randomUUID();
    List<Block> reserved = blocks.apply(takes, BlockStore.Move.reserve(from.number(), id));
    Instant at = MovementService.now();
    accounts.change(
        at,
        List.of(
            Movement.out(
                from.number(),
                Movement.Kind.RESERVATION,
                id.toString(),
                quantity,
                peer.id(),
                request.toAccount())));
    List<TransferredUnits> units = wire.describe(reserved);
    TransferStore.Row row =
        new TransferStore.Row(
            id,
            TransferStore.Direction.OUT,
            TransferStatus.PROPOSED,
            registry.id(),
            peer.id(),
            from.number(),
            request.toAccount(),
            quantity,
            units,
            null,
            null,
            null,
            caller.subject() == null ? "unknown" : caller.subject(),
            at,
            null,
            null,
            null,
            null);
    transfers.insert(row);
    outbox.append(
        "account",
        from.number(),
        EventType.registry("InternationalTransferProposed"),
        id.toString(),
        new InternationalTransferProposed(
            id.toString(),
            registry.id(),
            peer.id(),
            from.number(),
            request.toAccount(),
            quantity,
            reserved,
            at));
    outbox.appendTo(
        Topics.interRegistry(peer.id()),
        "transfer",
        id.toString(),
        EventType.interRegistry("TransferProposed"),
        id.toString(),
        new TransferProposed(
            id.toString(),
            registry.id(),
            peer.id(),
            from.number(),
            request.toAccount(),
            quantity,
            units,
            at));
    Log.infof(
        "international transfer %s proposed: %d units from %s to %s in %s",
        id, quantity, from.number(), request.toAccount(), peer.id());
    return InternationalTransfers.view(row);
  }

  /**
   * Only authorised units leave the registry; by quantity they are taken from the authorised ones
   * alone.
   */
  private List<Take> plan(Locked from, Long quantity, List<SerialRange> ranges) {
    try {
      if (quantity != null) {
        List<HeldBlock> authorised = blocks.activeAuthorised(from.number());
        long available = authorised.stream().mapToLong(HeldBlock::quantity).sum();
        if (available < quantity && from.balance() >= quantity) {
          throw ApiException.conflict(
              "UNITS_NOT_AUTHORISED",
              "account "
                  + from.number()
                  + " holds "
                  + available
                  + " units authorised for international transfer; the rest are mitigation-contribution units, which never leave the registry");
        }
        return BlockPlanner.byQuantity(authorised, quantity);
      }
      List<Take> takes =
          BlockPlanner.byRanges(blocks.activeOverlapping(from.number(), ranges), ranges);
      Set<String> unitIds = new java.util.HashSet<>();
      takes.forEach(t -> unitIds.add(t.block().unitId()));
      Set<String> authorised = blocks.authorised(unitIds);
      for (String unitId : unitIds) {
        if (!authorised.contains(unitId)) {
          throw ApiException.conflict(
              "UNITS_NOT_AUTHORISED",
              unitId + " are mitigation-contribution units and never leave the registry");
        }
      }
      return takes;
    } catch (BlockPlanner.Refusal refusal) {
      if (refusal.code().equals("UNITS_NOT_HELD") && blocks.holdsInactive(from.number(), ranges)) {
        throw ApiException.conflict(
            "UNITS_NOT_ACTIVE",
            "some of the named serials are reserved, retired, cancelled or transferred out");
      }
      throw MovementService.refused(refusal);
    }
  }

  /** The receiving registry's answer. */
  @Transactional
  Handled onAnswer(TransferAnswered answer) {
    UUID id = UUID.fromString(answer.transferId());
    TransferStore.Row row = transfers.lock(id);
    if (row == null || row.direction() != TransferStore.Direction.OUT) {
      return Handled.refused("answer to transfer " + id + ", which this registry never proposed");
    }
    if (!row.toRegistry().equals(answer.fromRegistry())) {
      return Handled.refused(
          "answer to transfer "
              + id
              + " from "
              + answer.fromRegistry()
              + ", but it was proposed to "
              + row.toRegistry());
    }
    boolean accepted = "ACCEPTED".equals(answer.answer());
    if (!accepted && !"REJECTED".equals(answer.answer())) {
      return Handled.refused("answer '" + answer.answer() + "' is neither ACCEPTED nor REJECTED");
    }
    Instant at = MovementService.now();
    SendingSide.Step step = SendingSide.onAnswer(row.status(), accepted, answer.code());
    if (step instanceof SendingSide.Complete) {
      return complete(row.answered(TransferStatus.PROPOSED, answer.answer(), null, null, at));
    }
    if (step instanceof SendingSide.Terminate t) {
      return terminate(
          row.answered(TransferStatus.PROPOSED, answer.answer(), t.code(), answer.detail(), at),
          t.code(),
          answer.detail());
    }
    if (answer.answer().equals(row.answer())) {
      // the answer the outcome was decided on, sent again (a redelivery under a new message id)
      return Handled.ignored("the same answer again");
    }
    transfers.update(row.lateAnswer(at));
    Log.warnf(
        "international transfer %s: %s answer arrived after it was %s; nothing changes",
        id, answer.answer(), row.status());
    return Handled.ignored("late answer");
  }

  /** Terminates what is still PROPOSED after the timeout; returns how many it terminated. */
  @Transactional
  public int terminateOverdue() {
    int count = 0;
    for (UUID id : transfers.overdue(Instant.now().minus(timeout), 100)) {
      TransferStore.Row row = transfers.lock(id);
      if (SendingSide.onTimeout(row.status()) instanceof SendingSide.Terminate t) {
        terminate(row, t.code(), "no answer from " + row.toRegistry() + " within " + timeout);
        count++;
      }
    }
    return count;
  }

  private Handled complete(TransferStore.Row row) {
    accounts.lock(List.of(row.fromAccount()));
    List<Block> out = blocks.releaseReservation(row.id(), "TRANSFERRED_OUT");
    requireWhole(row, out);
    Instant at = MovementService.now();
    accounts.change(
        at,
        List.of(
            Movement.outOfReserve(
                row.fromAccount(),
                Movement.Kind.INTERNATIONAL_TRANSFER,
                row.id().toString(),
                row.quantity(),
                row.toRegistry(),
                row.toAccount())));
    ledger.record(
        RecordedTransaction.internationalTransfer(
            row.id(),
            row.initiatedBy(),
            row.fromAccount(),
            new RecordedTransaction.Counterpart(row.toRegistry(), row.toAccount()),
            row.quantity(),
            out,
            at));
    outbox.append(
        "account",
        row.fromAccount(),
        EventType.registry("InternationalTransferCompleted"),
        row.id().toString(),
        new InternationalTransferCompleted(
            row.id().toString(),
            registry.id(),
            row.toRegistry(),
            row.fromAccount(),
            row.toAccount(),
            row.quantity(),
            out,
            at));
    firstTransfers.apply(
        FirstTransfer.Action.INTERNATIONAL_TRANSFER,
        out,
        row.id().toString(),
        row.initiatedBy(),
        row.fromAccount(),
        at);
    List<TransferredUnits> units = wire.describe(out);
    transfers.update(row.completed(units, at));
    outbox.appendTo(
        Topics.interRegistry(row.toRegistry()),
        "transfer",
        row.id().toString(),
        EventType.interRegistry("TransferCompleted"),
        row.id().toString(),
        new TransferCompleted(row.id().toString(), registry.id(), row.toRegistry(), units, at));
    Log.infof(
        "international transfer %s completed: %d units left for %s",
        row.id(), row.quantity(), row.toRegistry());
    return Handled.applied("completed");
  }

  private Handled terminate(TransferStore.Row row, String code, String detail) {
    accounts.lock(List.of(row.fromAccount()));
    List<Block> back = blocks.releaseReservation(row.id(), "ACTIVE");
    requireWhole(row, back);
    Instant at = MovementService.now();
    accounts.change(
        at,
        List.of(
            Movement.in(
                row.fromAccount(),
                Movement.Kind.RESERVATION_RELEASE,
                row.id().toString(),
                row.quantity(),
                row.toRegistry(),
                row.toAccount())));
    transfers.update(row.terminated(code, detail, at));
    outbox.append(
        "account",
        row.fromAccount(),
        EventType.registry("InternationalTransferTerminated"),
        row.id().toString(),
        new InternationalTransferTerminated(
            row.id().toString(),
            registry.id(),
            row.toRegistry(),
            row.fromAccount(),
            row.toAccount(),
            row.quantity(),
            code,
            detail,
            back,
            at));
    outbox.appendTo(
        Topics.interRegistry(row.toRegistry()),
        "transfer",
        row.id().toString(),
        EventType.interRegistry("TransferTerminated"),
        row.id().toString(),
        new TransferTerminated(row.id().toString(), registry.id(), row.toRegistry(), code, at));
    Log.infof(
        "international transfer %s terminated (%s): %d units are spendable again in %s",
        row.id(), code, row.quantity(), row.fromAccount());
    return Handled.applied("terminated");
  }

  private static void requireWhole(TransferStore.Row row, List<Block> released) {
    long quantity = released.stream().mapToLong(Block::quantity).sum();
    if (quantity != row.quantity()) {
      throw new IllegalStateException(
          "transfer "
              + row.id()
              + " reserved "
              + row.quantity()
              + " units but "
              + quantity
              + " are reserved for it");
    }
  }
}
