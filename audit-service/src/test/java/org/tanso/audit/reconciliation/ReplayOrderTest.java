package org.tanso.audit.reconciliation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tanso.audit.log.AuditLog;
import org.tanso.audit.log.domain.HoldingsReplay;

/**
 * Events keyed by different accounts travel on different partitions, so the log can hold a later
 * movement of a serial before an earlier one. The replay must follow the order in which the
 * registry committed them (event time), not the order in which the log received them.
 */
@QuarkusTest
class ReplayOrderTest {

  @Inject AuditLog log;
  @Inject ReconciliationService reconciliation;

  @Test
  void movementsReceivedOutOfOrderReplayInTheOrderTheyHappened() throws Exception {
    String unit =
        "JCM-VN-R" + UUID.randomUUID().toString().substring(0, 8).toUpperCase() + "-2025-0001";
    append(
        "CreditsIssued",
        "JP-100-000001-00",
        "2026-01-01T10:00:00.000001Z",
        unit,
        1,
        10,
        "JP-100-000001-00");
    // B sends serial 5 on to C (B's partition) is received before A sent it to B (A's partition)
    append(
        "CreditsTransferred",
        "JP-100-000002-00",
        "2026-01-01T10:00:02.000001Z",
        unit,
        5,
        5,
        "JP-100-000003-00");
    append(
        "CreditsTransferred",
        "JP-100-000001-00",
        "2026-01-01T10:00:01.000001Z",
        unit,
        5,
        5,
        "JP-100-000002-00");

    HoldingsReplay replay = new HoldingsReplay();
    reconciliation.replay(replay);
    List<HoldingsReplay.Holding> mine =
        replay.blocks().stream().filter(h -> h.unitId().equals(unit)).toList();

    assertEquals(
        List.of(
            new HoldingsReplay.Holding(unit, 1, 4, "JP-100-000001-00", "ACTIVE"),
            new HoldingsReplay.Holding(unit, 5, 5, "JP-100-000003-00", "ACTIVE"),
            new HoldingsReplay.Holding(unit, 6, 10, "JP-100-000001-00", "ACTIVE")),
        mine);
  }

  private void append(
      String name, String subject, String at, String unit, long start, long end, String account)
      throws Exception {
    String payload =
        "{\"at\":\""
            + at
            + "\",\"blocks\":[{\"unitId\":\""
            + unit
            + "\",\"start\":"
            + start
            + ",\"end\":"
            + end
            + ",\"quantity\":"
            + (end - start + 1)
            + ",\"account\":\""
            + account
            + "\",\"state\":\"ACTIVE\"}]}";
    log.append(UUID.randomUUID(), "tanso.registry." + name + ".v1", subject, at, payload);
  }
}
