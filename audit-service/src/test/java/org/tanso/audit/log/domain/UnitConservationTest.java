package org.tanso.audit.log.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tanso.audit.log.domain.HoldingsReplay.Holding;
import org.tanso.audit.log.domain.UnitConservation.Flow;
import org.tanso.audit.log.domain.UnitConservation.Unit;

class UnitConservationTest {

  @Test
  void issuedPlusAcquiredMinusTransferredOutIsWhatIsHeldInEveryStateButTransferredOut() {
    UnitConservation c = new UnitConservation();
    c.record(Flow.ISSUED, "U", 100);
    c.record(Flow.TRANSFERRED_OUT, "U", 30);
    c.record(Flow.ACQUIRED, "U", 10);
    List<Holding> holdings =
        List.of(
            new Holding("U", 1, 40, "A", "ACTIVE"),
            new Holding("U", 41, 50, "A", "RESERVED"),
            new Holding("U", 51, 60, "B", "RETIRED"),
            new Holding("U", 61, 70, "X", "CANCELLED"),
            new Holding("U", 71, 90, "A", "TRANSFERRED_OUT"),
            new Holding("U", 91, 100, "C", "ACTIVE"));
    Unit u = c.summary(holdings).get(0);
    assertEquals(new Unit("U", 100, 10, 30, 50, 10, 10, 10), u);
    assertTrue(u.conserved());
  }

  @Test
  void unitsHeldWithoutComingInOrInAStateNobodyKnowsDoNotAddUp() {
    UnitConservation c = new UnitConservation();
    c.record(Flow.ISSUED, "U", 10);
    List<Unit> units =
        c.summary(
            List.of(new Holding("U", 1, 10, "A", "FROZEN"), new Holding("V", 1, 5, "A", "ACTIVE")));
    assertEquals(
        List.of(new Unit("U", 10, 0, 0, 0, 0, 0, 0), new Unit("V", 0, 0, 0, 5, 0, 0, 0)), units);
    assertFalse(units.get(0).conserved());
    assertFalse(units.get(1).conserved());
  }
}
