package org.tanso.registry.international.domain;

/**
 * The proposing registry's half of the protocol (the Kyoto ITL pattern): it reserves the units when
 * it proposes, and it alone decides the outcome. An acceptance completes the transfer only while it
 * is PROPOSED; a rejection or the timeout terminates it; anything arriving after the outcome
 * changes nothing.
 */
public final class SendingSide {

  private SendingSide() {}

  /** What the sender does next. */
  public sealed interface Step {}

  /** Units leave for good (TRANSFERRED_OUT); tell the receiver to create them. */
  public record Complete() implements Step {}

  /** Units are spendable again here; tell the receiver it is over. */
  public record Terminate(String code) implements Step {}

  /**
   * An answer after the outcome (e.g. a late acceptance after the timeout): record it, do nothing.
   */
  public record Late(TransferStatus outcome) implements Step {}

  /** Nothing to do (the timeout of a transfer that already ended). */
  public record Nothing() implements Step {}

  public static final String TIMEOUT = "TIMEOUT";

  public static Step onAnswer(TransferStatus status, boolean accepted, String code) {
    if (status != TransferStatus.PROPOSED) {
      return new Late(status);
    }
    return accepted
        ? new Complete()
        : new Terminate(code == null || code.isBlank() ? "REJECTED" : code);
  }

  public static Step onTimeout(TransferStatus status) {
    return status == TransferStatus.PROPOSED ? new Terminate(TIMEOUT) : new Nothing();
  }
}
