package org.tanso.audit.log.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tanso.audit.log.domain.HoldingsReplay.Holding;

class HoldingsReplayTest {

  @Test
  void issuanceTransferRetirementAndCancellationReplayToTheRegistryPicture() {
    HoldingsReplay replay = new HoldingsReplay();
    // issued 1..100 to A, 101..150 to B
    replay.apply("U1", 1, 100, "A", "ACTIVE");
    replay.apply("U1", 101, 150, "B", "ACTIVE");
    // A transfers 71..100 to C (sender keeps the low end)
    replay.apply("U1", 71, 100, "C", "ACTIVE");
    // C retires 91..100 in place
    replay.apply("U1", 91, 100, "C", "RETIRED");
    // B cancels 141..150 into X
    replay.apply("U1", 141, 150, "X", "CANCELLED");
    assertEquals(
        List.of(
            new Holding("U1", 1, 70, "A", "ACTIVE"),
            new Holding("U1", 71, 90, "C", "ACTIVE"),
            new Holding("U1", 91, 100, "C", "RETIRED"),
            new Holding("U1", 101, 140, "B", "ACTIVE"),
            new Holding("U1", 141, 150, "X", "CANCELLED")),
        replay.blocks());
  }

  @Test
  void adjacentRangesOfTheSameAccountAndStateMerge() {
    List<Holding> fragmented =
        List.of(
            new Holding("U2", 11, 20, "A", "ACTIVE"),
            new Holding("U2", 1, 10, "A", "ACTIVE"),
            new Holding("U2", 21, 30, "B", "ACTIVE"));
    assertEquals(
        List.of(new Holding("U2", 1, 20, "A", "ACTIVE"), new Holding("U2", 21, 30, "B", "ACTIVE")),
        HoldingsReplay.normalise(fragmented));
  }

  @Test
  void aRangeSpanningSeveralSlotsReplacesAllOfThem() {
    HoldingsReplay replay = new HoldingsReplay();
    replay.apply("U3", 1, 10, "A", "ACTIVE");
    replay.apply("U3", 11, 20, "B", "ACTIVE");
    replay.apply("U3", 21, 30, "C", "ACTIVE");
    replay.apply("U3", 5, 25, "D", "ACTIVE");
    assertEquals(
        List.of(
            new Holding("U3", 1, 4, "A", "ACTIVE"),
            new Holding("U3", 5, 25, "D", "ACTIVE"),
            new Holding("U3", 26, 30, "C", "ACTIVE")),
        replay.blocks());
  }
}
