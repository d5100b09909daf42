package org.tanso.issuance.publicproject.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnitCountsTest {

  @Test
  void unitsAreSummedPerUnitIdInUnitIdOrder() {
    var counts =
        UnitCounts.perUnit(
            List.of(
                new UnitCounts.Range("B-2026", 1, 10, "RETIRED"),
                new UnitCounts.Range("A-2025", 5, 5, "RETIRED"),
                new UnitCounts.Range("B-2026", 20, 29, "RETIRED")));
    assertEquals(Map.of("A-2025", 1L, "B-2026", 20L), counts);
    assertEquals(List.of("A-2025", "B-2026"), List.copyOf(counts.keySet()));
  }

  @Test
  void onlyBlocksMintedCancelledAreCancelledAtIssuance() {
    assertEquals(
        20,
        UnitCounts.cancelledAtIssuance(
            List.of(
                new UnitCounts.Range("U", 1, 50, "ACTIVE"),
                new UnitCounts.Range("U", 51, 70, "CANCELLED"),
                new UnitCounts.Range("U", 71, 1000, "ACTIVE"))));
    assertEquals(0, UnitCounts.cancelledAtIssuance(List.of(new UnitCounts.Range("U", 1, 9, null))));
  }

  @Test
  void aRangeIsAtLeastOneSerialOfANamedUnitId() {
    assertThrows(IllegalArgumentException.class, () -> new UnitCounts.Range("U", 5, 4, "ACTIVE"));
    assertThrows(IllegalArgumentException.class, () -> new UnitCounts.Range("U", 0, 4, "ACTIVE"));
    assertThrows(IllegalArgumentException.class, () -> new UnitCounts.Range(" ", 1, 4, "ACTIVE"));
  }
}
