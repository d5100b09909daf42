package org.tanso.registry.account.domain;

/**
 * One line of an account's statement: a change of its balance (or, for units leaving after their
 * reservation, of nothing but where they are), and why. Built through the factory of its direction
 * so that the sign of {@code effect} always agrees with it.
 *
 * @param reference the transaction id, the international transfer id, or the unit id of an issuance
 * @param counterpartyRegistry the other registry of an international transfer or acquisition
 * @param counterpartyAccount the account on the other side, where there is one
 * @param effect the signed change of the balance
 */
public record Movement(
    String account,
    Kind kind,
    Direction direction,
    String reference,
    long quantity,
    long effect,
    String counterpartyRegistry,
    String counterpartyAccount) {

  /** Why the balance changed. */
  public enum Kind {
    /** units minted into the account */
    ISSUANCE,
    TRANSFER,
    RETIREMENT,
    /** units cancelled out of the account */
    CANCELLATION,
    /** units held back for an international transfer proposed from the account */
    RESERVATION,
    /** reserved units spendable again: the international transfer was terminated */
    RESERVATION_RELEASE,
    /** reserved units left for the other registry: the balance changed at the reservation */
    INTERNATIONAL_TRANSFER,
    /** units that came from another registry */
    ACQUISITION,
    /** what history recorded before statements existed did not explain (see V5) */
    OPENING_BALANCE
  }

  /** Into or out of the account. */
  public enum Direction {
    IN,
    OUT
  }

  public Movement {
    if (quantity <= 0) {
      throw new IllegalArgumentException("a movement moves a positive quantity, not " + quantity);
    }
    if (account == null || reference == null || kind == null || direction == null) {
      throw new IllegalArgumentException("a movement needs its account, kind and reference");
    }
  }

  /** {@code quantity} units into {@code account}. */
  public static Movement in(
      String account,
      Kind kind,
      String reference,
      long quantity,
      String counterpartyRegistry,
      String counterpartyAccount) {
    return new Movement(
        account,
        kind,
        Direction.IN,
        reference,
        quantity,
        quantity,
        counterpartyRegistry,
        counterpartyAccount);
  }

  /** {@code quantity} units out of {@code account}'s balance. */
  public static Movement out(
      String account,
      Kind kind,
      String reference,
      long quantity,
      String counterpartyRegistry,
      String counterpartyAccount) {
    return new Movement(
        account,
        kind,
        Direction.OUT,
        reference,
        quantity,
        -quantity,
        counterpartyRegistry,
        counterpartyAccount);
  }

  /**
   * {@code quantity} units leaving {@code account} that were no longer in its balance (reserved
   * before): a statement line with no effect.
   */
  public static Movement outOfReserve(
      String account,
      Kind kind,
      String reference,
      long quantity,
      String counterpartyRegistry,
      String counterpartyAccount) {
    return new Movement(
        account,
        kind,
        Direction.OUT,
        reference,
        quantity,
        0,
        counterpartyRegistry,
        counterpartyAccount);
  }
}
