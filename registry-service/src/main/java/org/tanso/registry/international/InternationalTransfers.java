package org.tanso.registry.international;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;
import org.tanso.http.ApiException;
import org.tanso.http.ListQuery;
import org.tanso.http.Page;
import org.tanso.http.Paging;
import org.tanso.identity.Caller;
import org.tanso.registry.account.AccountService;
import org.tanso.registry.international.InternationalTransferViews.InternationalTransfer;
import org.tanso.registry.international.InternationalTransferViews.TransferBlock;
import org.tanso.registry.international.domain.TransferStatus;
import org.tanso.registry.unit.domain.UnitIdentifiers;

/**
 * Reads international transfers: the parties to one (in this registry), administrators and
 * regulators.
 */
@ApplicationScoped
public class InternationalTransfers {

  private final TransferStore transfers;
  private final AccountService accountService;

  InternationalTransfers(TransferStore transfers, AccountService accountService) {
    this.transfers = transfers;
    this.accountService = accountService;
  }

  @Transactional
  public InternationalTransfer find(Caller caller, String id) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.malformed("international transfer ids are UUIDs");
    }
    TransferStore.Row row = transfers.find(uuid);
    if (row == null) {
      throw ApiException.notFound("TRANSFER_NOT_FOUND", "no international transfer " + id);
    }
    String localAccount =
        row.direction() == TransferStore.Direction.OUT ? row.fromAccount() : row.toAccount();
    if (!(caller.isAdmin()
        || caller.isRegulator()
        || accountService.heldBy(caller, localAccount))) {
      throw ApiException.forbidden("the caller is not a party to international transfer " + id);
    }
    return view(row);
  }

  /**
   * International transfers, of one status or all: a registry administrator or regulator sees every
   * one; anyone else those whose account in this registry its participant holds (the sender's for
   * an outgoing transfer, the receiver's for an incoming one), as {@link #find} decides.
   */
  public Page<InternationalTransfer> list(Caller caller, ListQuery query) {
    TransferStatus status = query.oneOf("status", TransferStatus.class);
    long after = Paging.after("t", query.text("after"));
    int size = Paging.limit(query.text("limit"));
    String holder = null;
    if (!(caller.isAdmin() || caller.isRegulator())) {
      if (caller.participant() == null) {
        return new Page<>(List.of(), null);
      }
      holder = caller.participant();
    }
    return Page.of(
        transfers.list(holder, status, after, size + 1),
        size,
        "t",
        TransferStore.Listed::seq,
        listed -> view(listed.row()));
  }

  static InternationalTransfer view(TransferStore.Row r) {
    List<TransferBlock> blocks =
        r.units() == null
            ? null
            : r.units().stream()
                .map(
                    u ->
                        new TransferBlock(
                            UnitIdentifiers.blockSerial(u.unitId(), u.start(), u.end()),
                            u.unitId(),
                            u.start(),
                            u.end(),
                            u.quantity(),
                            u.correspondingAdjustment() == null
                                ? null
                                : u.correspondingAdjustment().status()))
                .toList();
    return new InternationalTransfer(
        r.id().toString(),
        r.direction() == TransferStore.Direction.OUT ? "OUTGOING" : "INCOMING",
        r.status().name(),
        r.fromRegistry(),
        r.toRegistry(),
        r.fromAccount(),
        r.toAccount(),
        r.quantity(),
        blocks,
        r.answer(),
        r.code(),
        r.detail(),
        r.proposedAt(),
        r.answeredAt(),
        r.completedAt(),
        r.terminatedAt(),
        r.lateAnswerAt());
  }
}
