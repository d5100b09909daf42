package org.tanso.audit.reconciliation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.audit.reconciliation.RegistryEvents.acquired;
import static org.tanso.audit.reconciliation.RegistryEvents.answered;
import static org.tanso.audit.reconciliation.RegistryEvents.block;
import static org.tanso.audit.reconciliation.RegistryEvents.completed;
import static org.tanso.audit.reconciliation.RegistryEvents.firstTransfer;
import static org.tanso.audit.reconciliation.RegistryEvents.issued;
import static org.tanso.audit.reconciliation.RegistryEvents.proposed;
import static org.tanso.audit.reconciliation.RegistryEvents.retired;
import static org.tanso.audit.reconciliation.RegistryEvents.terminated;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tanso.audit.log.domain.HoldingsReplay;
import org.tanso.audit.log.domain.HoldingsReplay.Holding;
import org.tanso.audit.log.domain.UnitConservation;
import org.tanso.audit.log.domain.UnitConservation.Unit;
import org.tanso.audit.reconciliation.ReconciliationService.Result;
import org.tanso.audit.reconciliation.RegistryEvents.Event;

/**
 * The Article 6 lifecycle replayed event by event as reconciliation does: where the serials are
 * (reserved, transferred out, acquired) and whether each unit identifier's units add up.
 */
class InternationalReplayTest {

  static final String U = "JCM-VN-VN001-2025-0001";
  static final String FOREIGN = "JCM-MN-MN002-2024-0002";
  static final String A = "VN-100-000001-42";
  static final String C = "VN-100-000003-77";
  static final String D = "VN-100-000004-56";
  static final String ABROAD = "JP-100-000009-13";

  /** The log so far, replayed. */
  private final HoldingsReplay replay = new HoldingsReplay();

  private final UnitConservation conservation = new UnitConservation();
  private long second;

  private Instant next() {
    return Instant.parse("2026-03-01T09:00:00Z").plusSeconds(second++);
  }

  private void log(Event... events) {
    for (Event e : events) {
      assertTrue(
          ReconciliationService.replayEvent(e.type(), e.tree(), replay, conservation),
          e.type() + " is replayed");
    }
  }

  private Unit unit(String unitId) {
    return conservation.summary(replay.blocks()).stream()
        .filter(u -> u.unitId().equals(unitId))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aProposedTransferReservesAndItsCompletionSendsTheUnitsOut() {
    log(issued(next(), U, block(U, 1, 100, A, "ACTIVE")));
    log(proposed(next(), "IT-1", A, ABROAD, block(U, 61, 100, A, "RESERVED")));
    assertEquals(
        List.of(new Holding(U, 1, 60, A, "ACTIVE"), new Holding(U, 61, 100, A, "RESERVED")),
        replay.blocks());
    assertEquals(new Unit(U, 100, 0, 0, 60, 40, 0, 0), unit(U));

    log(completed(next(), "IT-1", A, ABROAD, block(U, 61, 100, A, "TRANSFERRED_OUT")));
    assertEquals(
        List.of(new Holding(U, 1, 60, A, "ACTIVE"), new Holding(U, 61, 100, A, "TRANSFERRED_OUT")),
        replay.blocks());
    Unit after = unit(U);
    assertEquals(new Unit(U, 100, 0, 40, 60, 0, 0, 0), after);
    assertTrue(after.conserved());
  }

  @Test
  void aTerminatedTransferReleasesTheReservation() {
    log(issued(next(), U, block(U, 1, 100, A, "ACTIVE")));
    log(proposed(next(), "IT-2", A, ABROAD, block(U, 61, 100, A, "RESERVED")));
    log(terminated(next(), "IT-2", A, ABROAD, block(U, 61, 100, A, "ACTIVE")));
    assertEquals(List.of(new Holding(U, 1, 100, A, "ACTIVE")), replay.blocks());
    assertEquals(new Unit(U, 100, 0, 0, 100, 0, 0, 0), unit(U));
  }

  @Test
  void unitsAcquiredFromAnotherRegistryAreHeldWithoutAnIssuanceHere() {
    log(acquired(next(), "IT-3", ABROAD, C, block(FOREIGN, 1, 50, C, "ACTIVE")));
    log(retired(next(), C, block(FOREIGN, 1, 10, C, "RETIRED")));
    assertEquals(
        List.of(
            new Holding(FOREIGN, 1, 10, C, "RETIRED"), new Holding(FOREIGN, 11, 50, C, "ACTIVE")),
        replay.blocks());
    Unit foreign = unit(FOREIGN);
    assertEquals(new Unit(FOREIGN, 0, 50, 0, 40, 0, 10, 0), foreign);
    assertTrue(foreign.conserved());
  }

  @Test
  void serialsReacquiredAfterGoingOutCountOnceOutAndOnceAcquired() {
    log(issued(next(), U, block(U, 1, 100, A, "ACTIVE")));
    log(proposed(next(), "IT-4", A, ABROAD, block(U, 1, 100, A, "RESERVED")));
    log(completed(next(), "IT-4", A, ABROAD, block(U, 1, 100, A, "TRANSFERRED_OUT")));
    // the other registry sends 21..40 back, to another account
    log(acquired(next(), "IT-5", ABROAD, D, block(U, 21, 40, D, "ACTIVE")));
    assertEquals(
        List.of(
            new Holding(U, 1, 20, A, "TRANSFERRED_OUT"),
            new Holding(U, 21, 40, D, "ACTIVE"),
            new Holding(U, 41, 100, A, "TRANSFERRED_OUT")),
        replay.blocks());
    assertEquals(new Unit(U, 100, 20, 100, 20, 0, 0, 0), unit(U));
    assertTrue(unit(U).conserved());

    // and out they go again
    log(proposed(next(), "IT-6", D, ABROAD, block(U, 21, 40, D, "RESERVED")));
    log(completed(next(), "IT-6", D, ABROAD, block(U, 21, 40, D, "TRANSFERRED_OUT")));
    assertEquals(new Unit(U, 100, 20, 120, 0, 0, 0, 0), unit(U));
    assertTrue(unit(U).conserved());
  }

  @Test
  void aFirstTransferRecordIsReplayedAndChangesNothing() {
    Instant completion = Instant.parse("2026-03-01T10:00:00Z");
    log(issued(next(), U, block(U, 1, 100, A, "ACTIVE")));
    log(proposed(next(), "IT-7", A, ABROAD, block(U, 61, 100, A, "RESERVED")));
    log(completed(completion, "IT-7", A, ABROAD, block(U, 61, 100, A, "TRANSFERRED_OUT")));
    List<Holding> before = replay.blocks();
    List<Unit> unitsBefore = conservation.summary(before);

    log(firstTransfer(completion, "IT-7", block(U, 61, 100, A, "TRANSFERRED_OUT")));
    assertEquals(before, replay.blocks());
    assertEquals(unitsBefore, conservation.summary(replay.blocks()));
  }

  @Test
  void anAnswerMovesNothingAndIsNotReplayed() {
    Event answer = answered(next(), "IT-8", C, 10);
    assertFalse(
        ReconciliationService.replayEvent(answer.type(), answer.tree(), replay, conservation));
    assertEquals(List.of(), replay.blocks());
  }

  @Test
  void aCompletionLoggedTwiceBreaksConservationThoughTheHoldingsMatch() {
    Event completion =
        completed(next(), "IT-9", A, ABROAD, block(U, 61, 100, A, "TRANSFERRED_OUT"));
    log(
        issued(next(), U, block(U, 1, 100, A, "ACTIVE")),
        proposed(next(), "IT-9", A, ABROAD, block(U, 61, 100, A, "RESERVED")),
        completion);
    List<Holding> registry =
        List.of(new Holding(U, 1, 60, A, "ACTIVE"), new Holding(U, 61, 100, A, "TRANSFERRED_OUT"));
    Result clean =
        ReconciliationService.withConservation(
            ReconciliationService.compare(replay.blocks(), registry, 3, 2),
            conservation.summary(replay.blocks()));
    assertTrue(clean.ok(), clean.toString());
    assertEquals(List.of(new Unit(U, 100, 0, 40, 60, 0, 0, 0)), clean.units());

    // the same completion a second time, under another event id
    log(completion);
    Result twice =
        ReconciliationService.withConservation(
            ReconciliationService.compare(replay.blocks(), registry, 4, 2),
            conservation.summary(replay.blocks()));
    assertFalse(twice.ok());
    assertEquals(
        List.of(
            new ReconciliationService.Discrepancy(
                "UNIT_CONSERVATION",
                null,
                U,
                null,
                null,
                "issued 100 + acquired 0 - transferred out 80 = 20",
                "active 60 + reserved 0 + retired 0 + cancelled 0 = 60")),
        twice.discrepancies());
  }
}
