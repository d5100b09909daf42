package org.tanso.registry.international.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The two halves of the international transfer protocol, driven only by their Steps, under random
 * schedules of a faulty network ({@link ProtocolModel}): deliveries in any order, duplicates, lost
 * deliveries redelivered, crashes before and after commit, the sender's timeout at any moment, and
 * new transfers of the units a terminated transfer gave back. At every moment no unit is ACTIVE in
 * both registries and none is lost; once everything is delivered both registries agree on every
 * outcome and each unit is ACTIVE in exactly one of them.
 */
class InternationalTransferProtocolPropertiesTest {

  static final int UNITS = 5;
  static final int MAX_TRANSFERS = 4;
  static final String[] REFUSALS = {"ACCOUNT_NOT_FOUND", "ACCOUNT_CLOSED", " "};

  /**
   * One step of a schedule: what happens ({@code kind}, 0..99 by weight) and to which message or
   * transfer.
   */
  record Op(int kind, int pick) {
    @Override
    public String toString() {
      return name() + "(" + pick + ")";
    }

    String name() {
      if (kind < 45) {
        return "deliver";
      } else if (kind < 57) {
        return "deliverNoAck";
      } else if (kind < 67) {
        return "crash";
      } else if (kind < 77) {
        return "drop";
      } else if (kind < 88) {
        return "timeout";
      }
      return "propose";
    }
  }

  @Provide
  Arbitrary<List<Op>> schedules() {
    Arbitrary<Op> op =
        Combinators.combine(
                Arbitraries.integers().between(0, 99), Arbitraries.integers().between(0, 999))
            .as(Op::new);
    return op.list().ofMaxSize(120);
  }

  @Property(tries = 10_000)
  void noUnitIsEverActiveTwiceOrLostAndEveryTransferEndsTheSameOnBothSides(
      @ForAll @IntRange(min = 1, max = 31) int firstUnits, @ForAll("schedules") List<Op> schedule) {
    ProtocolModel m = new ProtocolModel(UNITS);
    m.propose(subset(firstUnits, m));
    for (Op op : schedule) {
      apply(m, op);
      assertTrue(m.violations().isEmpty(), () -> m.report());
    }
    m.deliverEverything();
    assertTrue(m.violations().isEmpty(), () -> m.report());
    m.checkSettled();
    assertTrue(m.violations().isEmpty(), () -> m.report());
    // timers that fire after the end change nothing
    for (ProtocolModel.Transfer t : m.transfers) {
      m.timeout(t.id);
      assertEquals(new SendingSide.Nothing(), m.lastStep, () -> m.report());
    }
    assertTrue(m.inFlight.isEmpty(), () -> m.report());
    m.checkSettled();
    assertTrue(m.violations().isEmpty(), () -> m.report());

    boolean lateAcceptance = false;
    for (ProtocolModel.Transfer t : m.transfers) {
      Statistics.label("transfer outcome").collect(outcome(m, t));
      lateAcceptance |= t.status == TransferStatus.TERMINATED && t.lateAnswers.contains(true);
    }
    Statistics.label("schedule by its first transfer's outcome")
        .collect(outcome(m, m.transfers.get(0)));
    Statistics.label("transfers per schedule").collect(m.transfers.size());
    Statistics.label("schedule with a late acceptance after termination").collect(lateAcceptance);
    Statistics.label("schedule with a duplicate delivery").collect(m.redeliveries > 0);
    Statistics.label("schedule with a crash before commit").collect(m.crashes > 0);
  }

  static String outcome(ProtocolModel m, ProtocolModel.Transfer t) {
    if (t.status == TransferStatus.COMPLETED) {
      return "COMPLETED";
    }
    if (!SendingSide.TIMEOUT.equals(t.terminationCode)) {
      return "TERMINATED by rejection";
    }
    if (!m.receiverSawProposal.contains(t.id)) {
      return "TERMINATED by timeout, receiver never saw the proposal";
    }
    if (t.lateAnswers.contains(true)) {
      return "TERMINATED by timeout, late acceptance";
    }
    if (t.lateAnswers.contains(false)) {
      return "TERMINATED by timeout, late rejection";
    }
    return "TERMINATED by timeout, answer never reached the sender"; // impossible once everything
    // is delivered
  }

  static void apply(ProtocolModel m, Op op) {
    int n = m.inFlight.size();
    switch (op.name()) {
      case "deliver", "deliverNoAck" -> {
        if (n > 0) {
          int i = op.pick() % n;
          String refusal = op.pick() % 4 == 3 ? REFUSALS[op.pick() / 4 % REFUSALS.length] : null;
          m.deliver(i, op.name().equals("deliver"), refusal);
        }
      }
      case "crash" -> {
        if (n > 0) {
          m.crashWhileHandling(op.pick() % n);
        }
      }
      case "drop" -> {
        if (n > 0) {
          m.drop(op.pick() % n);
        }
      }
      case "timeout" -> m.timeout(op.pick() % m.transfers.size());
      case "propose" -> {
        Set<Integer> units = subset(op.pick() + 1, m);
        if (m.transfers.size() < MAX_TRANSFERS && !units.isEmpty()) {
          m.propose(units);
        }
      }
      default -> throw new IllegalStateException(op.name());
    }
  }

  /** The units ACTIVE in the sender whose bits are set in {@code mask}. */
  static Set<Integer> subset(int mask, ProtocolModel m) {
    Set<Integer> units = new TreeSet<>();
    for (int u = 0; u < UNITS; u++) {
      if ((mask & (1 << u)) != 0 && m.senderUnits[u] == ProtocolModel.SenderUnit.ACTIVE) {
        units.add(u);
      }
    }
    return units;
  }
}
