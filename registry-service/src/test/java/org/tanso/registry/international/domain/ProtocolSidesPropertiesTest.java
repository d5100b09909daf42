package org.tanso.registry.international.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Each side on its own, fed any sequence of messages for one transfer, whether an honest peer could
 * send it or not: a buggy or replayed peer must not make the sender complete after it terminated,
 * nor the receiver create units it was not told to, twice, or after a termination. The model of
 * both together is {@link InternationalTransferProtocolPropertiesTest}.
 */
class ProtocolSidesPropertiesTest {

  /**
   * A message to the receiver: 0..3 a proposal (3: its checks refuse it), 4 completion, 5
   * termination.
   */
  @Provide
  Arbitrary<List<Integer>> toReceiver() {
    return Arbitraries.integers().between(0, 5).list().ofMaxSize(20);
  }

  @Property(tries = 2000)
  void theReceiverCreatesUnitsOnlyOnceAndOnlyForAnAcceptedTransferNotTerminated(
      @ForAll("toReceiver") List<Integer> messages) {
    TransferStatus status = null;
    List<Boolean> answersSent = new ArrayList<>();
    int created = 0;
    boolean terminated = false;
    List<String> trace = new ArrayList<>();
    for (int m : messages) {
      TransferStatus before = status;
      ReceivingSide.Step step;
      if (m <= 3) {
        step = ReceivingSide.onProposed(status, m == 3 ? "ACCOUNT_CLOSED" : null);
      } else if (m == 4) {
        step = ReceivingSide.onCompleted(status);
      } else {
        step = ReceivingSide.onTerminated(status);
      }
      trace.add(
          (m <= 3 ? "proposed" + (m == 3 ? "(refused)" : "") : m == 4 ? "completed" : "terminated")
              + " at "
              + before
              + " -> "
              + step);
      String where = String.join("\n", trace);
      if (step instanceof ReceivingSide.Answer a) {
        assertTrue(m <= 3, where);
        assertEquals(null, before, where);
        assertEquals(m != 3, a.accepted(), where);
        answersSent.add(a.accepted());
        status = a.accepted() ? TransferStatus.ACCEPTED : TransferStatus.REJECTED;
      } else if (step instanceof ReceivingSide.RepeatAnswer r) {
        assertTrue(m <= 3, where);
        assertEquals(before, r.answered(), where);
        answersSent.add(r.answered() == TransferStatus.ACCEPTED);
      } else if (step instanceof ReceivingSide.CreateUnits) {
        assertEquals(4, m, where);
        assertEquals(
            TransferStatus.ACCEPTED,
            before,
            "units created only for a transfer this registry accepted\n" + where);
        assertFalse(terminated, "units created after a termination\n" + where);
        created++;
        status = TransferStatus.COMPLETED;
      } else if (step instanceof ReceivingSide.RecordTermination) {
        assertEquals(5, m, where);
        assertEquals(0, created, "termination recorded after the units were created\n" + where);
        terminated = true;
        status = TransferStatus.TERMINATED;
      }
      assertTrue(created <= 1, "units created twice\n" + where);
      assertTrue(
          answersSent.stream().distinct().count() <= 1,
          "the receiver changed its answer\n" + where);
      if (before != null && before.isFinal()) {
        assertEquals(before, status, "a final status changed\n" + where);
        assertFalse(
            step instanceof ReceivingSide.Answer || step instanceof ReceivingSide.RepeatAnswer,
            "answered after the end\n" + where);
      }
      assertNotEquals(TransferStatus.PROPOSED, status, where);
    }
  }

  /**
   * A message to the sender: 0..2 an acceptance, 3 a rejection with a code, 4 one without, 5 the
   * timeout.
   */
  @Provide
  Arbitrary<List<Integer>> toSender() {
    return Arbitraries.integers().between(0, 5).list().ofMaxSize(20);
  }

  /** The first answer or timeout decides, once; everything after it is Late or Nothing. */
  @Property(tries = 2000)
  void theSenderDecidesOnceOnTheFirstAnswerOrTimeout(@ForAll("toSender") List<Integer> messages) {
    TransferStatus status = TransferStatus.PROPOSED;
    List<String> trace = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      int m = messages.get(i);
      TransferStatus before = status;
      SendingSide.Step step =
          m == 5
              ? SendingSide.onTimeout(status)
              : SendingSide.onAnswer(
                  status, m <= 2, m == 3 ? "ACCOUNT_CLOSED" : m == 4 ? "" : null);
      trace.add(m + " at " + before + " -> " + step);
      String where = String.join("\n", trace);
      SendingSide.Step expected;
      if (i == 0) {
        expected =
            m <= 2
                ? new SendingSide.Complete()
                : m == 3
                    ? new SendingSide.Terminate("ACCOUNT_CLOSED")
                    : m == 4
                        ? new SendingSide.Terminate("REJECTED")
                        : new SendingSide.Terminate(SendingSide.TIMEOUT);
      } else {
        expected = m == 5 ? new SendingSide.Nothing() : new SendingSide.Late(before);
      }
      assertEquals(expected, step, where);
      if (step instanceof SendingSide.Complete) {
        status = TransferStatus.COMPLETED;
      } else if (step instanceof SendingSide.Terminate) {
        status = TransferStatus.TERMINATED;
      }
    }
  }
}
