package org.tanso.registry.international;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.tanso.events.EventType;
import org.tanso.events.Topics;
import org.tanso.events.interregistry.TransferAnswered;
import org.tanso.events.interregistry.TransferCompleted;
import org.tanso.events.interregistry.TransferProposed;
import org.tanso.events.interregistry.TransferTerminated;
import org.tanso.events.interregistry.TransferredUnits;
import org.tanso.events.registry.Block;
import org.tanso.events.registry.InternationalTransferAnswered;
import org.tanso.events.registry.InternationalTransferTerminated;
import org.tanso.events.registry.UnitsAcquired;
import org.tanso.outbox.Outbox;
import org.tanso.registry.account.LockedAccounts;
import org.tanso.registry.account.LockedAccounts.Locked;
import org.tanso.registry.account.domain.AccountNumber;
import org.tanso.registry.account.domain.AccountStatus;
import org.tanso.registry.account.domain.Movement;
import org.tanso.registry.directory.RegistryIdentity;
import org.tanso.registry.international.domain.ReceivingSide;
import org.tanso.registry.international.domain.TransferStatus;
import org.tanso.registry.unit.BlockStore;
import org.tanso.registry.unit.MovementService;
import org.tanso.registry.unit.RecordedTransaction;
import org.tanso.registry.unit.TransactionLedger;
import org.tanso.registry.unit.domain.SerialRange;
import org.tanso.registry.unit.domain.Take;

/**
 * This registry as the receiver of international transfers ({@link ReceivingSide}): it checks a
 * proposal and answers; it creates the units, ACTIVE, only when the sender completes, and never
 * after the sender terminated.
 */
@ApplicationScoped
public class IncomingTransfers {

  private static final String REJECTED = "REJECTED";
  private static final String ACCEPTED = "ACCEPTED";

  private final LockedAccounts accounts;
  private final BlockStore blocks;
  private final TransferStore transfers;
  private final UnitsOnTheWire wire;
  private final TransactionLedger ledger;
  private final Outbox outbox;
  private final RegistryIdentity registry;

  IncomingTransfers(
      LockedAccounts accounts,
      BlockStore blocks,
      TransferStore transfers,
      UnitsOnTheWire wire,
      TransactionLedger ledger,
      Outbox outbox,
      RegistryIdentity registry) {
    this.accounts = accounts;
    this.blocks = blocks;
    this.transfers = transfers;
    this.wire = wire;
    this.ledger = ledger;
    this.outbox = outbox;
    this.registry = registry;
  }

  @Transactional
  Handled onProposed(TransferProposed p) {
    UUID id = UUID.fromString(p.transferId());
    TransferStore.Row row = transfers.lock(id);
    if (row != null
        && (row.direction() != TransferStore.Direction.IN
            || !row.fromRegistry().equals(p.fromRegistry()))) {
      return Handled.refused("transfer id " + id + " is already used by another transfer");
    }
    ReceivingSide.Step step =
        ReceivingSide.onProposed(
            row == null ? null : row.status(), row == null ? refusal(p) : null);
    Instant at = MovementService.now();
    if (step instanceof ReceivingSide.Answer answer) {
      String verdict = answer.accepted() ? ACCEPTED : REJECTED;
      String detail = answer.accepted() ? null : detail(answer.code(), p);
      TransferStore.Row recorded =
          new TransferStore.Row(
              id,
              TransferStore.Direction.IN,
              answer.accepted() ? TransferStatus.ACCEPTED : TransferStatus.REJECTED,
              p.fromRegistry(),
              registry.id(),
              p.fromAccount(),
              p.toAccount(),
              p.quantity(),
              p.units(),
              verdict,
              answer.code(),
              detail,
              p.fromRegistry(),
              p.proposedAt() == null ? at : p.proposedAt(),
              at,
              null,
              null,
              null);
      transfers.insert(recorded);
      outbox.append(
          "account",
          p.toAccount(),
          EventType.registry("InternationalTransferAnswered"),
          id.toString(),
          new InternationalTransferAnswered(
              id.toString(),
              p.fromRegistry(),
              registry.id(),
              p.toAccount(),
              p.quantity(),
              verdict,
              answer.code(),
              detail,
              at));
      sendAnswer(recorded, at);
      Log.infof(
          "international transfer %s from %s: %s %s",
          id, p.fromRegistry(), verdict, answer.code() == null ? "" : answer.code());
      return Handled.applied(verdict);
    }
    if (step instanceof ReceivingSide.RepeatAnswer) {
      sendAnswer(row, at);
      return Handled.applied("answer repeated");
    }
    return Handled.ignored(((ReceivingSide.Ignore) step).why());
  }

  /**
   * The first check a proposal fails, as a stable code, or null when this registry may accept it.
   */
  private String refusal(TransferProposed p) {
    if (p.units() == null
        || p.units().isEmpty()
        || p.quantity() <= 0
        || p.units().stream()
                .mapToLong(u -> u.start() >= 1 && u.end() >= u.start() ? u.quantity() : -1L)
                .sum()
            != p.quantity()
        || p.units().stream()
            .anyMatch(
                u ->
                    u.start() < 1
                        || u.end() < u.start()
                        || u.unitId() == null
                        || u.unitId().length() > 80
                        || u.origin() == null
                        || u.origin().monitoringStart() == null
                        || u.origin().monitoringEnd() == null)) {
      return "MALFORMED_PROPOSAL";
    }
    if (p.units().stream()
        .anyMatch(
            u ->
                u.origin().authorisationId() == null
                    || u.origin().purposes() == null
                    || u.origin().purposes().isEmpty())) {
      return "UNITS_NOT_AUTHORISED";
    }
    if (p.toAccount() == null || !AccountNumber.isValid(p.toAccount())) {
      return "ACCOUNT_NOT_FOUND";
    }
    Locked account = accounts.lock(List.of(p.toAccount())).get(p.toAccount());
    if (account == null) {
      return "ACCOUNT_NOT_FOUND";
    }
    if (account.status() != AccountStatus.OPEN) {
      return "ACCOUNT_NOT_OPEN";
    }
    if (!account.type().mayReceive()) {
      return "ACCOUNT_TYPE_NOT_ALLOWED";
    }
    for (TransferredUnits u : p.units()) {
      if (blocks.overlapping(new SerialRange(u.unitId(), u.start(), u.end())).stream()
          .anyMatch(r -> !r.state().equals("TRANSFERRED_OUT"))) {
        return "UNITS_ALREADY_HELD";
      }
    }
    return null;
  }

  private static String detail(String code, TransferProposed p) {
    return switch (code) {
      case "ACCOUNT_NOT_FOUND" -> "no account " + p.toAccount() + " in this registry";
      case "ACCOUNT_NOT_OPEN" -> "account " + p.toAccount() + " is not open";
      case "ACCOUNT_TYPE_NOT_ALLOWED" -> "account " + p.toAccount() + " may not receive units";
      case "UNITS_ALREADY_HELD" -> "some of the serials are already held in this registry";
      case "UNITS_NOT_AUTHORISED" -> "only units authorised under Article 6 may be acquired";
      default -> "the proposal is incomplete or inconsistent";
    };
  }

  private void sendAnswer(TransferStore.Row row, Instant at) {
    outbox.appendTo(
        Topics.interRegistry(row.fromRegistry()),
        "transfer",
        row.id().toString(),
        EventType.interRegistry("TransferAnswered"),
        row.id().toString(),
        new TransferAnswered(
            row.id().toString(),
            registry.id(),
            row.fromRegistry(),
            row.answer(),
            row.code(),
            row.detail(),
            at));
  }

  @Transactional
  Handled onCompleted(TransferCompleted c) {
    UUID id = UUID.fromString(c.transferId());
    TransferStore.Row row = transfers.lock(id);
    if (row != null
        && (row.direction() != TransferStore.Direction.IN
            || !row.fromRegistry().equals(c.fromRegistry()))) {
      return Handled.refused(
          "completion of transfer "
              + id
              + " by "
              + c.fromRegistry()
              + ", which did not propose it here");
    }
    ReceivingSide.Step step = ReceivingSide.onCompleted(row == null ? null : row.status());
    if (step instanceof ReceivingSide.Violation v) {
      return Handled.refused("transfer " + id + ": " + v.why());
    }
    if (step instanceof ReceivingSide.Ignore ignore) {
      return Handled.ignored(ignore.why());
    }
    if (!sameRanges(row.units(), c.units())) {
      return Handled.refused(
          "completion of transfer " + id + " names other serials than its proposal");
    }
    accounts.lock(List.of(row.toAccount()));
    Instant at = MovementService.now();
    List<Block> acquired = new ArrayList<>();
    for (TransferredUnits u : c.units()) {
      wire.recordAcquiredIssuance(u, at);
      acquired.addAll(create(u, row.toAccount()));
    }
    for (int i = 0; i < acquired.size(); i++) {
      // the completion's status: APPLIED by the sender at the first transfer, never undone here
      wire.adoptAdjustment(acquired.get(i), adjustmentOf(c.units(), acquired.get(i)));
    }
    accounts.change(
        at,
        List.of(
            Movement.in(
                row.toAccount(),
                Movement.Kind.ACQUISITION,
                id.toString(),
                row.quantity(),
                row.fromRegistry(),
                row.fromAccount())));
    ledger.record(
        RecordedTransaction.acquisition(
            id,
            new RecordedTransaction.Counterpart(row.fromRegistry(), row.fromAccount()),
            row.toAccount(),
            row.quantity(),
            acquired,
            at));
    transfers.update(row.completed(c.units(), at));
    outbox.append(
        "account",
        row.toAccount(),
        EventType.registry("UnitsAcquired"),
        id.toString(),
        new UnitsAcquired(
            id.toString(),
            row.fromRegistry(),
            registry.id(),
            row.fromAccount(),
            row.toAccount(),
            row.quantity(),
            acquired,
            at));
    Log.infof(
        "international transfer %s completed: %d units acquired from %s into %s",
        id, row.quantity(), row.fromRegistry(), row.toAccount());
    return Handled.applied("units acquired");
  }

  /**
   * Makes the range ACTIVE in {@code account}: serials this registry once transferred out come back
   * in their rows (TRANSFERRED_OUT → ACTIVE); the others are new rows.
   */
  private List<Block> create(TransferredUnits u, String account) {
    SerialRange range = new SerialRange(u.unitId(), u.start(), u.end());
    List<Block> result = new ArrayList<>();
    long next = u.start();
    List<BlockStore.Row> returning = blocks.overlapping(range);
    for (BlockStore.Row r : returning) {
      if (!r.state().equals("TRANSFERRED_OUT")) {
        throw new IllegalStateException(
            "serials "
                + r.block().start()
                + ".."
                + r.block().end()
                + " of "
                + u.unitId()
                + " are "
                + r.state()
                + " here");
      }
    }
    for (BlockStore.Row r : returning) {
      long start = Math.max(r.block().start(), u.start());
      long end = Math.min(r.block().end(), u.end());
      if (start > next) {
        result.add(insert(u, next, start - 1, account));
      }
      result.addAll(
          blocks.apply(
              List.of(new Take(r.block(), start, end)),
              new BlockStore.Move(r.account(), "TRANSFERRED_OUT", account, "ACTIVE", null)));
      next = end + 1;
    }
    if (next <= u.end()) {
      result.add(insert(u, next, u.end(), account));
    }
    return result;
  }

  private Block insert(TransferredUnits u, long start, long end, String account) {
    blocks.insert(u.unitId(), start, end, u.origin().vintage(), account, "ACTIVE", "PENDING");
    return BlockStore.block(u.unitId(), start, end, account, "ACTIVE");
  }

  private static TransferredUnits.CorrespondingAdjustment adjustmentOf(
      List<TransferredUnits> units, Block block) {
    for (TransferredUnits u : units) {
      if (u.unitId().equals(block.unitId())
          && u.start() <= block.start()
          && block.end() <= u.end()) {
        return u.correspondingAdjustment();
      }
    }
    return null;
  }

  private static boolean sameRanges(
      List<TransferredUnits> proposed, List<TransferredUnits> completed) {
    if (proposed == null || completed == null) {
      return false;
    }
    Comparator<TransferredUnits> order =
        Comparator.comparing(TransferredUnits::unitId).thenComparingLong(TransferredUnits::start);
    List<TransferredUnits> a = proposed.stream().sorted(order).toList();
    List<TransferredUnits> b = completed.stream().sorted(order).toList();
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).unitId().equals(b.get(i).unitId())
          || a.get(i).start() != b.get(i).start()
          || a.get(i).end() != b.get(i).end()) {
        return false;
      }
    }
    return true;
  }

  @Transactional
  Handled onTerminated(TransferTerminated t) {
    UUID id = UUID.fromString(t.transferId());
    TransferStore.Row row = transfers.lock(id);
    if (row != null
        && (row.direction() != TransferStore.Direction.IN
            || !row.fromRegistry().equals(t.fromRegistry()))) {
      return Handled.refused(
          "termination of transfer "
              + id
              + " by "
              + t.fromRegistry()
              + ", which did not propose it here");
    }
    ReceivingSide.Step step = ReceivingSide.onTerminated(row == null ? null : row.status());
    if (step instanceof ReceivingSide.Violation v) {
      return Handled.refused("transfer " + id + ": " + v.why());
    }
    if (step instanceof ReceivingSide.Ignore ignore) {
      return Handled.ignored(ignore.why());
    }
    Instant at = MovementService.now();
    if (row == null) {
      // the termination overtook its proposal: remember it, so the proposal is never accepted
      transfers.insert(
          new TransferStore.Row(
              id,
              TransferStore.Direction.IN,
              TransferStatus.TERMINATED,
              t.fromRegistry(),
              registry.id(),
              null,
              null,
              null,
              null,
              null,
              t.code(),
              null,
              t.fromRegistry(),
              at,
              null,
              null,
              at,
              null));
    } else {
      transfers.update(row.terminated(t.code(), row.detail(), at));
    }
    outbox.append(
        "account",
        row == null ? id.toString() : row.toAccount(),
        EventType.registry("InternationalTransferTerminated"),
        id.toString(),
        new InternationalTransferTerminated(
            id.toString(),
            t.fromRegistry(),
            registry.id(),
            row == null ? null : row.fromAccount(),
            row == null ? null : row.toAccount(),
            row == null ? 0 : row.quantity(),
            t.code(),
            "terminated by " + t.fromRegistry(),
            List.of(),
            at));
    return Handled.applied("terminated");
  }
}
