package org.tanso.registry.international.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tanso.registry.international.domain.ProtocolModel.Answered;
import org.tanso.registry.international.domain.ProtocolModel.Completed;
import org.tanso.registry.international.domain.ProtocolModel.Proposed;
import org.tanso.registry.international.domain.ProtocolModel.SenderUnit;
import org.tanso.registry.international.domain.ProtocolModel.Terminated;

/**
 * The named paths of the international transfer protocol, one message at a time, on {@link
 * ProtocolModel}.
 */
class InternationalTransferScenariosTest {

  final ProtocolModel m = new ProtocolModel(3);

  @AfterEach
  void everyInvariantHeldAndEverythingSettles() {
    assertTrue(m.violations().isEmpty(), m::report);
    m.deliverEverything();
    m.checkSettled();
    assertTrue(m.violations().isEmpty(), m::report);
  }

  void assertUnits(SenderUnit inSender, boolean activeInReceiver, int... units) {
    for (int u : units) {
      assertEquals(inSender, m.senderUnits[u], "unit " + u + " in the sender\n" + m.report());
      assertEquals(
          activeInReceiver,
          m.receiverActive.contains(u),
          "unit " + u + " in the receiver\n" + m.report());
    }
  }

  @Test
  void acceptedThenCompleted() {
    int t = m.propose(Set.of(0, 1));
    assertUnits(SenderUnit.RESERVED, false, 0, 1);
    assertUnits(SenderUnit.ACTIVE, false, 2);
    m.deliverProposal(t, null);
    assertEquals(new ReceivingSide.Answer(true, null), m.lastStep);
    assertEquals(TransferStatus.ACCEPTED, m.receiverStatus.get(t));
    assertUnits(SenderUnit.RESERVED, false, 0, 1);
    m.deliver(Answered.class, t);
    assertEquals(new SendingSide.Complete(), m.lastStep);
    // in flight: gone from the sender, not yet in the receiver, a TransferCompleted will create
    // them
    assertUnits(SenderUnit.TRANSFERRED_OUT, false, 0, 1);
    assertEquals(1, m.inFlightCount(Completed.class, t));
    m.deliver(Completed.class, t);
    assertEquals(new ReceivingSide.CreateUnits(), m.lastStep);
    assertUnits(SenderUnit.TRANSFERRED_OUT, true, 0, 1);
    assertEquals(TransferStatus.COMPLETED, m.transfers.get(t).status);
    assertEquals(TransferStatus.COMPLETED, m.receiverStatus.get(t));
    assertTrue(m.inFlight.isEmpty());
  }

  @Test
  void rejectedThenTerminated() {
    int t = m.propose(Set.of(0));
    m.deliverProposal(t, "ACCOUNT_CLOSED");
    assertEquals(new ReceivingSide.Answer(false, "ACCOUNT_CLOSED"), m.lastStep);
    m.deliver(Answered.class, t);
    assertEquals(new SendingSide.Terminate("ACCOUNT_CLOSED"), m.lastStep);
    assertUnits(SenderUnit.ACTIVE, false, 0);
    assertEquals(0, m.inFlightCount(Completed.class, t));
    m.deliver(Terminated.class, t);
    assertEquals(new ReceivingSide.RecordTermination(), m.lastStep);
    assertEquals(TransferStatus.TERMINATED, m.receiverStatus.get(t));
    assertUnits(SenderUnit.ACTIVE, false, 0);
  }

  @Test
  void timeoutThenLateAcceptanceCreatesNothing() {
    int t = m.propose(Set.of(0, 2));
    m.deliverProposal(t, null);
    assertEquals(TransferStatus.ACCEPTED, m.receiverStatus.get(t));
    m.timeout(t);
    assertEquals(new SendingSide.Terminate(SendingSide.TIMEOUT), m.lastStep);
    assertUnits(SenderUnit.ACTIVE, false, 0, 2);
    m.deliver(Answered.class, t);
    assertEquals(new SendingSide.Late(TransferStatus.TERMINATED), m.lastStep);
    assertEquals(0, m.inFlightCount(Completed.class, t), "a late acceptance completes nothing");
    assertUnits(SenderUnit.ACTIVE, false, 0, 2);
    m.deliver(Terminated.class, t);
    assertEquals(new ReceivingSide.RecordTermination(), m.lastStep);
    assertEquals(TransferStatus.TERMINATED, m.receiverStatus.get(t));
    // the same units can go again, and this time they arrive
    int again = m.propose(Set.of(0, 2));
    m.deliverEverything();
    assertUnits(SenderUnit.TRANSFERRED_OUT, true, 0, 2);
    assertEquals(TransferStatus.COMPLETED, m.receiverStatus.get(again));
  }

  @Test
  void duplicatedProposalGetsTheSameAnswerAndCompletesOnce() {
    int t = m.propose(Set.of(1));
    m.deliverAgainLater(Proposed.class, t);
    assertEquals(new ReceivingSide.Answer(true, null), m.lastStep);
    // the checks would refuse it now; the answer given stands
    m.deliverProposal(t, "ACCOUNT_CLOSED");
    assertEquals(new ReceivingSide.RepeatAnswer(TransferStatus.ACCEPTED), m.lastStep);
    assertEquals(2, m.inFlightCount(Answered.class, t));
    m.deliver(Answered.class, t);
    assertEquals(new SendingSide.Complete(), m.lastStep);
    m.deliver(Answered.class, t);
    assertEquals(new SendingSide.Late(TransferStatus.COMPLETED), m.lastStep);
    assertEquals(1, m.inFlightCount(Completed.class, t));
    m.deliver(Completed.class, t);
    assertUnits(SenderUnit.TRANSFERRED_OUT, true, 1);
  }

  @Test
  void duplicatedRejectedProposalRepeatsTheRejectionWithItsCode() {
    int t = m.propose(Set.of(1));
    m.deliver(m.indexOf(Proposed.class, t), false, "ACCOUNT_CLOSED");
    assertEquals(new ReceivingSide.Answer(false, "ACCOUNT_CLOSED"), m.lastStep);
    // the checks would pass now; the rejection stands
    m.deliverProposal(t, null);
    assertEquals(new ReceivingSide.RepeatAnswer(TransferStatus.REJECTED), m.lastStep);
    assertEquals(new Answered(t, false, "ACCOUNT_CLOSED"), m.inFlight.get(m.inFlight.size() - 1));
    m.deliver(Answered.class, t);
    assertEquals(new SendingSide.Terminate("ACCOUNT_CLOSED"), m.lastStep);
    m.deliver(Answered.class, t);
    assertEquals(new SendingSide.Late(TransferStatus.TERMINATED), m.lastStep);
    assertUnits(SenderUnit.ACTIVE, false, 1);
  }

  @Test
  void duplicatedCompletionCreatesTheUnitsOnce() {
    int t = m.propose(Set.of(0, 1, 2));
    m.deliverProposal(t, null);
    m.deliver(Answered.class, t);
    m.deliverAgainLater(Completed.class, t);
    assertEquals(new ReceivingSide.CreateUnits(), m.lastStep);
    m.deliver(Completed.class, t);
    assertEquals(new ReceivingSide.Ignore("already completed"), m.lastStep);
    assertUnits(SenderUnit.TRANSFERRED_OUT, true, 0, 1, 2);
  }

  @Test
  void terminationArrivingBeforeTheProposal() {
    int t = m.propose(Set.of(0));
    m.timeout(t);
    assertEquals(new SendingSide.Terminate(SendingSide.TIMEOUT), m.lastStep);
    m.deliver(Terminated.class, t);
    assertEquals(new ReceivingSide.RecordTermination(), m.lastStep);
    assertEquals(TransferStatus.TERMINATED, m.receiverStatus.get(t));
    m.deliverProposal(t, null);
    assertEquals(new ReceivingSide.Ignore("transfer already TERMINATED"), m.lastStep);
    assertTrue(m.inFlight.isEmpty(), "no answer to a proposal already terminated");
    assertFalse(m.receiverSawProposal.contains(t));
    assertUnits(SenderUnit.ACTIVE, false, 0);
  }

  @Test
  void crashBeforeCommitChangesNothingAndTheMessageComesAgain() {
    int t = m.propose(Set.of(0));
    m.crashWhileHandling(m.indexOf(Proposed.class, t));
    assertEquals(null, m.receiverStatus.get(t));
    assertEquals(1, m.inFlightCount(Proposed.class, t));
    m.deliverProposal(t, null);
    m.deliver(Answered.class, t);
    m.crashWhileHandling(m.indexOf(Completed.class, t));
    assertUnits(SenderUnit.TRANSFERRED_OUT, false, 0);
    m.deliver(Completed.class, t);
    assertUnits(SenderUnit.TRANSFERRED_OUT, true, 0);
  }
}
