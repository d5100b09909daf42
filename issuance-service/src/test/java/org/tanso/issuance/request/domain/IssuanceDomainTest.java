package org.tanso.issuance.request.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tanso.issuance.project.domain.AccountNumbers;
import org.tanso.issuance.project.domain.AllocationTable;

class IssuanceDomainTest {

  @Test
  void periodsOverlapWhenTheyShareADayEvenAtTheEdge() {
    MonitoringPeriod h1 = new MonitoringPeriod(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 6, 30));
    assertTrue(h1.overlaps(new MonitoringPeriod(LocalDate.of(2025, 6, 30), LocalDate.of(2025, 12, 31))));
    assertFalse(h1.overlaps(new MonitoringPeriod(LocalDate.of(2025, 7, 1), LocalDate.of(2025, 12, 31))));
    assertTrue(h1.overlaps(new MonitoringPeriod(LocalDate.of(2024, 1, 1), LocalDate.of(2026, 1, 1))));
    assertThrows(IllegalArgumentException.class, () -> new MonitoringPeriod(LocalDate.of(2025, 2, 1), LocalDate.of(2025, 1, 31)));
  }

  @Test
  void vintageIsAYearThePeriodTouches() {
    MonitoringPeriod span = new MonitoringPeriod(LocalDate.of(2024, 10, 1), LocalDate.of(2025, 3, 31));
    assertTrue(span.admitsVintage(2024));
    assertTrue(span.admitsVintage(2025));
    assertFalse(span.admitsVintage(2023));
    assertFalse(span.admitsVintage(2026));
  }

  @Test
  void workflowTransitions() {
    assertTrue(RequestStatus.SUBMITTED.mayBecome(RequestStatus.APPROVED));
    assertTrue(RequestStatus.SUBMITTED.mayBecome(RequestStatus.REJECTED));
    assertTrue(RequestStatus.APPROVED.mayBecome(RequestStatus.ISSUED));
    assertTrue(RequestStatus.APPROVED.mayBecome(RequestStatus.FAILED));
    for (RequestStatus terminal : List.of(RequestStatus.REJECTED, RequestStatus.ISSUED, RequestStatus.FAILED)) {
      for (RequestStatus next : RequestStatus.values()) {
        assertFalse(terminal.mayBecome(next), terminal + " -> " + next);
      }
    }
    assertFalse(RequestStatus.SUBMITTED.mayBecome(RequestStatus.ISSUED));
  }

  @Test
  void allocationTables() {
    assertNull(AllocationTable.problem(List.of(row("A", "33.33"), row("B", "33.33"), row("C", "33.34"))));
    assertNotNull(AllocationTable.problem(List.of(row("A", "50"), row("B", "49.99"))));
    assertNotNull(AllocationTable.problem(List.of(row("A", "50"), row("A", "50"))));
    assertNotNull(AllocationTable.problem(List.of(row("A", "0"), row("B", "100"))));
    assertNotNull(AllocationTable.problem(List.of(row("A", "100.00001"))));
    assertNotNull(AllocationTable.problem(List.of()));
  }

  @Test
  void accountNumbersCarryCheckDigits() {
    assertTrue(AccountNumbers.isWellFormed("JP-100-000042-95"));
    assertFalse(AccountNumbers.isWellFormed("JP-100-000042-94"));
    assertFalse(AccountNumbers.isWellFormed("JP-100-000024-95"));
    assertFalse(AccountNumbers.isWellFormed("JP-700-000042-95"));
    assertFalse(AccountNumbers.isWellFormed("jp-100-000042-95"));
    assertFalse(AccountNumbers.isWellFormed(null));
    assertEquals(16, "JP-100-000042-95".length());
  }

  private static AllocationTable.Row row(String account, String percent) {
    return new AllocationTable.Row(account, new BigDecimal(percent));
  }
}
