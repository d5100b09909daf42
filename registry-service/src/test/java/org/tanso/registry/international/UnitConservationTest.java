package org.tanso.registry.international;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tanso.registry.RegistryFixture.admin;
import static org.tanso.registry.RegistryFixture.authorisation;
import static org.tanso.registry.RegistryFixture.awaitBalance;
import static org.tanso.registry.RegistryFixture.balance;
import static org.tanso.registry.RegistryFixture.cancel;
import static org.tanso.registry.RegistryFixture.developer;
import static org.tanso.registry.RegistryFixture.holdingAccount;
import static org.tanso.registry.RegistryFixture.issue;
import static org.tanso.registry.RegistryFixture.ndc;
import static org.tanso.registry.RegistryFixture.participant;
import static org.tanso.registry.RegistryFixture.retire;
import static org.tanso.registry.RegistryFixture.transfer;
import static org.tanso.registry.RegistryFixture.transferBody;
import static org.tanso.registry.international.OutgoingTransfersTest.awaitStatus;
import static org.tanso.registry.international.OutgoingTransfersTest.bySerials;
import static org.tanso.registry.international.OutgoingTransfersTest.propose;
import static org.tanso.registry.international.PeerRegistry.ANSWERED;
import static org.tanso.registry.international.PeerRegistry.COMPLETED;
import static org.tanso.registry.international.PeerRegistry.PROPOSED;
import static org.tanso.registry.international.PeerRegistry.accept;
import static org.tanso.registry.international.PeerRegistry.awaitSent;
import static org.tanso.registry.international.PeerRegistry.foreignAccount;
import static org.tanso.registry.international.PeerRegistry.reject;
import static org.tanso.registry.international.PeerRegistry.units;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tanso.events.interregistry.TransferredUnits;
import org.tanso.registry.RegistryInvariants;
import org.tanso.testing.Rows;

/**
 * Per unit id, after a mixed sequence: issued + acquired − transferred out = active + reserved +
 * retired + cancelled.
 */
@QuarkusTest
class UnitConservationTest {

  @Inject AgroalDataSource dataSource;

  @AfterEach
  void invariants() throws Exception {
    RegistryInvariants.assertAllHold(dataSource);
  }

  @Test
  void unitsAreConservedAcrossIssuanceMovementsAndInternationalTransfersBothWays() {
    String alice = participant("JP");
    String bob = participant("JP");
    String a = holdingAccount(alice);
    String b = holdingAccount(bob);
    String ndcUnits = issue(a, 100, ndc());
    String oimpUnits = issue(a, 50, authorisation(List.of("OIMP"), "USE_OR_CANCELLATION"));

    transfer(developer(alice), transferBody(a, b, 10)).then().statusCode(201);
    String completedOut = outAndAnswer(alice, a, ndcUnits, 21, 50, true);
    outAndAnswer(alice, a, ndcUnits, 51, 60, false);
    String pending =
        propose(developer(alice), bySerials(a, foreignAccount("VN"), ndcUnits, 61, 70))
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    retire(developer(alice), a, 5).then().statusCode(201);
    cancel(developer(alice), a, 5).then().statusCode(201);

    // VN-JCM sends 10 of the serials it got back, and 25 units of its own
    TransferredUnits received =
        PeerRegistry.JSON.convertValue(
            awaitSent(COMPLETED, completedOut).path("units").get(0), TransferredUnits.class);
    acquire(
        b,
        new TransferredUnits(
            ndcUnits, 31, 40, received.origin(), received.correspondingAdjustment()));
    String vnUnits = IncomingTransfersTest.vnUnitId();
    acquire(b, units(vnUnits, 1, 25, 25, "APPLIED"));
    outAndAnswer(bob, b, vnUnits, 1, 5, true);
    retire(developer(bob), b, 2).then().statusCode(201);

    Map<String, Map<String, Long>> held = heldByState(List.of(ndcUnits, oimpUnits, vnUnits));
    for (String unitId : List.of(ndcUnits, oimpUnits, vnUnits)) {
      long issued =
          Rows.number(
              dataSource,
              "SELECT coalesce(sum(quantity), 0) FROM unit_issuance WHERE unit_id = ? AND NOT acquired",
              unitId);
      long acquired = moved(unitId, "ACQUISITION");
      long transferredOut = moved(unitId, "INTERNATIONAL_TRANSFER");
      Map<String, Long> s = held.getOrDefault(unitId, Map.of());
      long here =
          s.getOrDefault("ACTIVE", 0L)
              + s.getOrDefault("RESERVED", 0L)
              + s.getOrDefault("RETIRED", 0L)
              + s.getOrDefault("CANCELLED", 0L);
      assertEquals(
          issued + acquired - transferredOut,
          here,
          unitId
              + ": issued "
              + issued
              + " acquired "
              + acquired
              + " out "
              + transferredOut
              + " held "
              + s);
    }
    assertEquals(
        100 + 10 - 30,
        sum(held.get(ndcUnits), "ACTIVE", "RESERVED", "RETIRED", "CANCELLED")
            + 0 * pending.length());
    assertEquals(10L, held.get(ndcUnits).get("RESERVED"));
    assertEquals(25 - 5, sum(held.get(vnUnits), "ACTIVE", "RETIRED", "CANCELLED", "RESERVED"));
    assertEquals(
        balance(a) + balance(b),
        Rows.number(
            dataSource,
            "SELECT coalesce(sum(serial_end - serial_start + 1), 0) FROM credit_block WHERE account IN (?, ?) AND state = 'ACTIVE'",
            a,
            b));
  }

  /** Proposes serials to VN-JCM and answers as VN-JCM; returns the transfer id once it ended. */
  private static String outAndAnswer(
      String participant, String from, String unitId, long start, long end, boolean accepted) {
    String id =
        propose(developer(participant), bySerials(from, foreignAccount("VN"), unitId, start, end))
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    awaitSent(PROPOSED, id);
    if (accepted) {
      accept(id);
      awaitStatus(id, "COMPLETED");
    } else {
      reject(id, "ACCOUNT_NOT_FOUND");
      awaitStatus(id, "TERMINATED");
    }
    return id;
  }

  private static void acquire(String account, TransferredUnits units) {
    long before = balance(account);
    String id = UUID.randomUUID().toString();
    PeerRegistry.propose(id, account, List.of(units));
    JsonNode answer = awaitSent(ANSWERED, id);
    assertEquals("ACCEPTED", answer.path("answer").asText(), answer.toString());
    PeerRegistry.complete(id, List.of(units));
    awaitBalance(account, before + units.quantity());
  }

  private long moved(String unitId, String kind) {
    return Rows.number(
        dataSource,
        "SELECT coalesce(sum(tb.serial_end - tb.serial_start + 1), 0) FROM transaction_block tb"
            + " JOIN registry_transaction t ON t.id = tb.transaction_id WHERE t.kind = ? AND tb.unit_id = ?",
        kind,
        unitId);
  }

  /** Quantities per unit id and state, read page by page from GET /holdings. */
  private static Map<String, Map<String, Long>> heldByState(List<String> unitIds) {
    Map<String, Map<String, Long>> result = new HashMap<>();
    String after = null;
    do {
      var request = given().auth().oauth2(admin()).queryParam("limit", 1000);
      if (after != null) {
        request = request.queryParam("after", after);
      }
      JsonPath page = request.get("/holdings").then().statusCode(200).extract().jsonPath();
      List<Map<String, Object>> items = page.getList("items");
      for (Map<String, Object> h : items) {
        if (unitIds.contains(h.get("unitId"))) {
          result
              .computeIfAbsent((String) h.get("unitId"), k -> new HashMap<>())
              .merge((String) h.get("state"), ((Number) h.get("quantity")).longValue(), Long::sum);
        }
      }
      after = page.getString("next");
    } while (after != null);
    return result;
  }

  private static long sum(Map<String, Long> byState, String... states) {
    long total = 0;
    for (String state : states) {
      total += byState.getOrDefault(state, 0L);
    }
    return total;
  }
}
