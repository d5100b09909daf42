package org.tanso.registry.international.domain;

/**
 * The receiving registry's half of the protocol: it checks a proposal and answers, creates the
 * units only when the sender completes, and never after the sender terminated. Messages may arrive
 * twice or, across restarts, late; each step depends only on the recorded status (null: the
 * transfer is unknown here).
 */
public final class ReceivingSide {

  private ReceivingSide() {}

  public sealed interface Step {}

  /** Record the answer (ACCEPTED or REJECTED) and send it. */
  public record Answer(boolean accepted, String code) implements Step {}

  /** The proposal was answered before: send the same answer again. */
  public record RepeatAnswer(TransferStatus answered) implements Step {}

  /** Create the accepted units, ACTIVE, in the receiving account. */
  public record CreateUnits() implements Step {}

  /**
   * Record that the sender terminated it (also before the proposal arrived: never accept it later).
   */
  public record RecordTermination() implements Step {}

  /** A duplicate or a message after the end: nothing changes. */
  public record Ignore(String why) implements Step {}

  /**
   * A message the protocol cannot produce here (e.g. completion of a transfer never accepted):
   * dead-letter it.
   */
  public record Violation(String why) implements Step {}

  /**
   * @param refusal the code of the first check the proposal fails, or null when it passes
   */
  public static Step onProposed(TransferStatus status, String refusal) {
    if (status == null) {
      return new Answer(refusal == null, refusal);
    }
    return switch (status) {
      case ACCEPTED, REJECTED -> new RepeatAnswer(status);
      case COMPLETED, TERMINATED -> new Ignore("transfer already " + status);
      case PROPOSED -> throw new IllegalStateException("a receiver never records PROPOSED");
    };
  }

  public static Step onCompleted(TransferStatus status) {
    if (status == null) {
      return new Violation("completion of a transfer never proposed to this registry");
    }
    return switch (status) {
      case ACCEPTED -> new CreateUnits();
      case COMPLETED -> new Ignore("already completed");
      case REJECTED -> new Violation("completion of a transfer this registry rejected");
      case TERMINATED -> new Violation("completion of a transfer already terminated");
      case PROPOSED -> throw new IllegalStateException("a receiver never records PROPOSED");
    };
  }

  public static Step onTerminated(TransferStatus status) {
    if (status == null) {
      return new RecordTermination();
    }
    return switch (status) {
      case ACCEPTED, REJECTED -> new RecordTermination();
      case TERMINATED -> new Ignore("already terminated");
      case COMPLETED -> new Violation("termination of a transfer already completed");
      case PROPOSED -> throw new IllegalStateException("a receiver never records PROPOSED");
    };
  }
}
