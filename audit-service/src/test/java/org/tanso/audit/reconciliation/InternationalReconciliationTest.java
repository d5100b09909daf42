package org.tanso.audit.reconciliation;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.audit.reconciliation.RegistryEvents.acquired;
import static org.tanso.audit.reconciliation.RegistryEvents.block;
import static org.tanso.audit.reconciliation.RegistryEvents.completed;
import static org.tanso.audit.reconciliation.RegistryEvents.firstTransfer;
import static org.tanso.audit.reconciliation.RegistryEvents.issued;
import static org.tanso.audit.reconciliation.RegistryEvents.proposed;
import static org.tanso.audit.reconciliation.RegistryEvents.retired;
import static org.tanso.audit.reconciliation.RegistryEvents.terminated;
import static org.tanso.audit.reconciliation.RegistryEvents.transferred;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tanso.audit.reconciliation.RegistryEvents.Event;
import org.tanso.events.Topics;
import org.tanso.events.registry.Block;
import org.tanso.testing.TestKafka;
import org.tanso.testing.TestTokens;

/**
 * One registry's Article 6 traffic on the real broker: units reserved for a proposed international
 * transfer, sent out, a proposal terminated and one left pending, units acquired from another
 * registry (of a unit id never issued here, and serials this registry had sent out before) and
 * moved on. The log's replay equals what the registry lists, state by state, and every unit id's
 * units add up; one block the registry lists differently is reported.
 */
@QuarkusTest
@QuarkusTestResource(value = RegistryHoldingsStub.class, restrictToAnnotatedClass = true)
class InternationalReconciliationTest {

  static final String RUN = UUID.randomUUID().toString().substring(0, 6).toUpperCase();
  static final String U = "JCM-VN-V" + RUN + "-2025-0001";
  static final String W = "JCM-MN-M" + RUN + "-2024-0002";
  static final String A = "VN-100-000001-42";
  static final String B = "VN-100-000002-15";
  static final String C = "VN-100-000003-85";
  static final String D = "VN-100-000004-58";
  static final String ABROAD = "JP-100-000009-13";
  static final String IT1 = "IT-" + RUN + "-1";

  private static boolean published;

  /**
   * What registry-service lists after the sequence: its rows, split as its transactions left them.
   */
  static List<Block> registryRows() {
    return List.of(
        block(U, 1, 100, A, "TRANSFERRED_OUT"),
        block(U, 101, 120, D, "TRANSFERRED_OUT"),
        block(U, 121, 150, C, "ACTIVE"),
        block(U, 151, 200, A, "TRANSFERRED_OUT"),
        block(U, 201, 400, A, "ACTIVE"),
        block(U, 401, 600, A, "ACTIVE"),
        block(U, 601, 700, B, "ACTIVE"),
        block(U, 701, 750, B, "RESERVED"),
        block(U, 751, 1000, B, "ACTIVE"),
        block(W, 1, 50, C, "RETIRED"),
        block(W, 51, 300, C, "ACTIVE"));
  }

  static synchronized void publishOnce() {
    if (published) {
      return;
    }
    Instant t = Instant.parse("2026-03-02T08:00:00.000001Z");
    List<Event> events = new ArrayList<>();
    events.add(issued(t, U, block(U, 1, 600, A, "ACTIVE"), block(U, 601, 1000, B, "ACTIVE")));
    events.add(proposed(t.plusSeconds(1), IT1, A, ABROAD, block(U, 1, 200, A, "RESERVED")));
    // the first transfer (keyed by unit id, another partition) is logged before the completion it
    // belongs to
    events.add(firstTransfer(t.plusSeconds(2), IT1, block(U, 1, 200, A, "TRANSFERRED_OUT")));
    events.add(completed(t.plusSeconds(2), IT1, A, ABROAD, block(U, 1, 200, A, "TRANSFERRED_OUT")));
    events.add(
        proposed(
            t.plusSeconds(3), "IT-" + RUN + "-2", B, ABROAD, block(U, 601, 700, B, "RESERVED")));
    events.add(
        terminated(
            t.plusSeconds(4), "IT-" + RUN + "-2", B, ABROAD, block(U, 601, 700, B, "ACTIVE")));
    events.add(
        proposed(
            t.plusSeconds(5), "IT-" + RUN + "-3", B, ABROAD, block(U, 701, 750, B, "RESERVED")));
    events.add(
        acquired(t.plusSeconds(6), "IT-" + RUN + "-4", ABROAD, C, block(W, 1, 300, C, "ACTIVE")));
    events.add(retired(t.plusSeconds(7), C, block(W, 1, 50, C, "RETIRED")));
    // serials this registry sent out come back
    events.add(
        acquired(t.plusSeconds(8), "IT-" + RUN + "-5", ABROAD, C, block(U, 101, 150, C, "ACTIVE")));
    // D proposes to send on what C gave it; D's partition delivers that before C's transfer
    events.add(
        proposed(
            t.plusSeconds(10), "IT-" + RUN + "-6", D, ABROAD, block(U, 101, 120, D, "RESERVED")));
    events.add(transferred(t.plusSeconds(9), C, D, block(U, 101, 120, D, "ACTIVE")));
    events.add(
        completed(
            t.plusSeconds(11),
            "IT-" + RUN + "-6",
            D,
            ABROAD,
            block(U, 101, 120, D, "TRANSFERRED_OUT")));
    for (Event e : events) {
      TestKafka.send(
          Topics.REGISTRY_EVENTS,
          e.key(),
          e.json(),
          Map.of(
              "ce_specversion",
              "1.0",
              "ce_id",
              UUID.randomUUID().toString(),
              "ce_type",
              e.type(),
              "ce_source",
              "/tanso/registry/VN-JCM",
              "ce_time",
              e.at().toString(),
              "ce_subject",
              e.key()));
    }
    TestKafka.awaitConsumed("audit-service", Topics.REGISTRY_EVENTS, Duration.ofSeconds(60));
    published = true;
  }

  private static JsonPath reconciliation() {
    return given()
        .auth()
        .oauth2(TestTokens.regulator())
        .get("/audit/reconciliation")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  @Test
  void reservedTransferredOutAndAcquiredUnitsReconcileAndAddUp() {
    publishOnce();
    RegistryHoldingsStub.holds(registryRows());
    JsonPath result = reconciliation();

    assertTrue(result.getBoolean("ok"), result.prettify());
    assertEquals(List.of(), result.getList("discrepancies"));
    assertEquals(4, result.getInt("accountsChecked"));
    assertEquals(11, result.getInt("registryBlocks"));
    assertTrue(result.getLong("entriesReplayed") >= 13, result.prettify());
    assertEquals(
        List.of(
            Map.of(
                "unitId",
                W,
                "issued",
                0,
                "acquired",
                300,
                "transferredOut",
                0,
                "active",
                250,
                "reserved",
                0,
                "retired",
                50,
                "cancelled",
                0),
            Map.of(
                "unitId",
                U,
                "issued",
                1000,
                "acquired",
                50,
                "transferredOut",
                220,
                "active",
                780,
                "reserved",
                50,
                "retired",
                0,
                "cancelled",
                0)),
        result.getList("units"));

    // every step of one international transfer, by its id
    List<String> steps =
        given()
            .auth()
            .oauth2(TestTokens.regulator())
            .queryParam("subject", IT1)
            .get("/audit/entries")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("items.type");
    assertEquals(
        Set.of(
            "tanso.registry.InternationalTransferProposed.v1",
            "tanso.registry.FirstTransferRecorded.v1",
            "tanso.registry.InternationalTransferCompleted.v1"),
        Set.copyOf(steps));
  }

  @Test
  void aReservationTheRegistryNoLongerListsIsReported() {
    publishOnce();
    List<Block> rows = new ArrayList<>(registryRows());
    rows.replaceAll(
        b -> b.start() == 701 && b.unitId().equals(U) ? block(U, 701, 750, B, "ACTIVE") : b);
    RegistryHoldingsStub.holds(rows);
    JsonPath result = reconciliation();

    assertFalse(result.getBoolean("ok"), result.prettify());
    List<Map<String, Object>> discrepancies = result.getList("discrepancies");
    assertEquals(
        Set.of("ACCOUNT_TOTAL", "BLOCK"),
        discrepancies.stream().map(d -> (String) d.get("kind")).collect(Collectors.toSet()),
        result.prettify());
    assertTrue(discrepancies.stream().allMatch(d -> B.equals(d.get("account"))), result.prettify());
    assertTrue(
        discrepancies.stream()
            .anyMatch(
                d ->
                    "ACCOUNT_TOTAL".equals(d.get("kind"))
                        && "{ACTIVE=350, RESERVED=50}".equals(d.get("log"))
                        && "{ACTIVE=400}".equals(d.get("registry"))),
        result.prettify());
    assertTrue(
        discrepancies.stream()
            .anyMatch(
                d ->
                    "BLOCK".equals(d.get("kind"))
                        && Integer.valueOf(701).equals(d.get("start"))
                        && Integer.valueOf(750).equals(d.get("end"))
                        && "RESERVED".equals(d.get("log"))),
        result.prettify());
  }
}
