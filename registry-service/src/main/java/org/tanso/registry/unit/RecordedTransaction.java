package org.tanso.registry.unit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.tanso.events.registry.Block;
import org.tanso.identity.Caller;

/**
 * A committed movement as the registry records it (table registry_transaction and its blocks),
 * built only through the factory of its kind so that each kind carries exactly its own details.
 *
 * @param from the account units left, null for an acquisition
 * @param to the account units went to, null for a retirement and an international transfer
 */
public record RecordedTransaction(
    UUID id,
    Kind kind,
    String from,
    String to,
    long quantity,
    String initiatedBy,
    Instant at,
    List<Block> blocks,
    Retirement retirement,
    String reason,
    Counterpart counterpart,
    Cause cause) {

  public enum Kind {
    TRANSFER,
    RETIREMENT,
    CANCELLATION,
    FIRST_TRANSFER,
    INTERNATIONAL_TRANSFER,
    ACQUISITION
  }

  /** What a retirement records about the use of the units. */
  public record Retirement(
      String retirementId, String beneficiary, String purpose, String usingParty) {}

  /** The other registry and account of an international transfer or acquisition. */
  public record Counterpart(String registry, String account) {}

  /** Why a first transfer happened and the id of the action that triggered it. */
  public record Cause(String trigger, String triggeredBy) {}

  static RecordedTransaction transfer(
      Caller caller, String from, String to, long quantity, List<Block> blocks, Instant at) {
    return new RecordedTransaction(
        UUID.randomUUID(),
        Kind.TRANSFER,
        from,
        to,
        quantity,
        by(caller),
        at,
        blocks,
        null,
        null,
        null,
        null);
  }

  static RecordedTransaction retirement(
      Caller caller,
      String account,
      long quantity,
      Retirement retirement,
      List<Block> blocks,
      Instant at) {
    return new RecordedTransaction(
        UUID.randomUUID(),
        Kind.RETIREMENT,
        account,
        null,
        quantity,
        by(caller),
        at,
        blocks,
        retirement,
        null,
        null,
        null);
  }

  static RecordedTransaction cancellation(
      Caller caller,
      String account,
      String cancellationAccount,
      long quantity,
      String reason,
      List<Block> blocks,
      Instant at) {
    return new RecordedTransaction(
        UUID.randomUUID(),
        Kind.CANCELLATION,
        account,
        cancellationAccount,
        quantity,
        by(caller),
        at,
        blocks,
        null,
        reason,
        null,
        null);
  }

  /** The first transfer of {@code blocks}; they stay where the triggering action put them. */
  public static RecordedTransaction firstTransfer(
      UUID id, String initiatedBy, long quantity, Cause cause, List<Block> blocks, Instant at) {
    return new RecordedTransaction(
        id,
        Kind.FIRST_TRANSFER,
        null,
        null,
        quantity,
        initiatedBy,
        at,
        blocks,
        null,
        null,
        null,
        cause);
  }

  public static RecordedTransaction internationalTransfer(
      UUID transferId,
      String initiatedBy,
      String from,
      Counterpart to,
      long quantity,
      List<Block> blocks,
      Instant at) {
    return new RecordedTransaction(
        transferId,
        Kind.INTERNATIONAL_TRANSFER,
        from,
        null,
        quantity,
        initiatedBy,
        at,
        blocks,
        null,
        null,
        to,
        null);
  }

  public static RecordedTransaction acquisition(
      UUID transferId, Counterpart from, String to, long quantity, List<Block> blocks, Instant at) {
    return new RecordedTransaction(
        transferId,
        Kind.ACQUISITION,
        null,
        to,
        quantity,
        from.registry(),
        at,
        blocks,
        null,
        null,
        from,
        null);
  }

  private static String by(Caller caller) {
    return caller.subject() == null ? "unknown" : caller.subject();
  }
}
