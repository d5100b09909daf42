package org.tanso.registry.international;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.registry.RegistryFixture.accountView;
import static org.tanso.registry.RegistryFixture.admin;
import static org.tanso.registry.RegistryFixture.authorisation;
import static org.tanso.registry.RegistryFixture.balance;
import static org.tanso.registry.RegistryFixture.cancel;
import static org.tanso.registry.RegistryFixture.developer;
import static org.tanso.registry.RegistryFixture.holdingAccount;
import static org.tanso.registry.RegistryFixture.holdings;
import static org.tanso.registry.RegistryFixture.issue;
import static org.tanso.registry.RegistryFixture.ndc;
import static org.tanso.registry.RegistryFixture.participant;
import static org.tanso.registry.RegistryFixture.retire;
import static org.tanso.registry.RegistryFixture.transaction;
import static org.tanso.registry.RegistryFixture.transfer;
import static org.tanso.registry.RegistryFixture.transferBody;
import static org.tanso.registry.international.PeerRegistry.COMPLETED;
import static org.tanso.registry.international.PeerRegistry.PROPOSED;
import static org.tanso.registry.international.PeerRegistry.TERMINATED;
import static org.tanso.registry.international.PeerRegistry.TO_VN;
import static org.tanso.registry.international.PeerRegistry.VN;
import static org.tanso.registry.international.PeerRegistry.accept;
import static org.tanso.registry.international.PeerRegistry.awaitHandled;
import static org.tanso.registry.international.PeerRegistry.awaitRegistryEvents;
import static org.tanso.registry.international.PeerRegistry.awaitSent;
import static org.tanso.registry.international.PeerRegistry.foreignAccount;
import static org.tanso.registry.international.PeerRegistry.registryEvents;
import static org.tanso.registry.international.PeerRegistry.reject;
import static org.tanso.registry.international.PeerRegistry.sent;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tanso.registry.RegistryFixture;
import org.tanso.registry.RegistryInvariants;
import org.tanso.testing.Rows;

/**
 * This registry (JP-JCM) proposes international transfers to VN-JCM; the test answers as VN-JCM
 * over Kafka.
 */
@QuarkusTest
class OutgoingTransfersTest {

  @Inject AgroalDataSource dataSource;

  @AfterEach
  void invariants() throws Exception {
    RegistryInvariants.assertAllHold(dataSource);
  }

  static Response propose(String token, Map<String, Object> body) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/international-transfers");
  }

  static Map<String, Object> byQuantity(
      String from, String toRegistry, String toAccount, long quantity) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("from", from);
    body.put("toRegistry", toRegistry);
    body.put("toAccount", toAccount);
    body.put("quantity", quantity);
    return body;
  }

  static Map<String, Object> bySerials(
      String from, String toAccount, String unitId, long start, long end) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("from", from);
    body.put("toRegistry", VN);
    body.put("toAccount", toAccount);
    body.put("serials", List.of(Map.of("unitId", unitId, "start", start, "end", end)));
    return body;
  }

  static JsonPath international(String id) {
    return given()
        .auth()
        .oauth2(admin())
        .get("/international-transfers/" + id)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  static void awaitStatus(String id, String status) {
    await()
        .atMost(PeerRegistry.WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> status.equals(international(id).getString("status")));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> block(List<Map<String, Object>> holdings, String unitId, long start) {
    return holdings.stream()
        .filter(
            h -> unitId.equals(h.get("unitId")) && ((Number) h.get("start")).longValue() == start)
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no block of " + unitId + " starting at " + start + " in " + holdings));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> ca(Map<String, Object> block) {
    return (Map<String, Object>) block.get("correspondingAdjustment");
  }

  @Test
  void aProposalReservesTheUnitsAndTheirAcceptanceCompletesTheTransferAndFirstTransfersThem() {
    String alice = participant("JP");
    String account = holdingAccount(alice);
    String other = holdingAccount(participant("JP"));
    String unitId = issue(account, 100, ndc());
    String toAccount = foreignAccount("VN");

    JsonPath proposed =
        propose(developer(alice), byQuantity(account, VN, toAccount, 40))
            .then()
            .statusCode(202)
            .body("status", is("PROPOSED"))
            .body("direction", is("OUTGOING"))
            .body("toRegistry", is(VN))
            .body("toAccount", is(toAccount))
            .body("quantity", is(40))
            .extract()
            .jsonPath();
    String id = proposed.getString("id");

    assertEquals(60, balance(account));
    assertEquals(40L, accountView(account).getLong("reserved"));
    List<Map<String, Object>> held = holdings(account);
    Map<String, Object> reserved =
        held.stream().filter(h -> "RESERVED".equals(h.get("state"))).findFirst().orElseThrow();
    assertEquals(id, reserved.get("reservedFor"));
    assertEquals(40, ((Number) reserved.get("quantity")).intValue());
    assertEquals("PENDING", ca(reserved).get("status"));
    long reservedStart = ((Number) reserved.get("start")).longValue();
    long reservedEnd = ((Number) reserved.get("end")).longValue();
    assertEquals(id, RegistryFixture.unit(unitId, reservedStart).getString("reservedFor"));

    // the proposal carries the serials with their Article 6 origin
    JsonNode message = awaitSent(PROPOSED, id);
    assertEquals("JP-JCM", message.path("fromRegistry").asText());
    assertEquals(VN, message.path("toRegistry").asText());
    assertEquals(account, message.path("fromAccount").asText());
    assertEquals(toAccount, message.path("toAccount").asText());
    assertEquals(40, message.path("quantity").asLong());
    JsonNode units = message.path("units").get(0);
    assertEquals(unitId, units.path("unitId").asText());
    assertEquals(reservedStart, units.path("start").asLong());
    assertEquals(reservedEnd, units.path("end").asLong());
    JsonNode origin = units.path("origin");
    assertTrue(origin.path("authorisationId").asText().startsWith("AUTH-"), origin.toString());
    assertEquals("[\"NDC\"]", origin.path("purposes").toString());
    assertEquals("VN", origin.path("hostParty").asText());
    assertEquals("JP-JCM", origin.path("originatingRegistry").asText());
    assertEquals("VN", origin.path("firstTransferringParty").asText());
    assertEquals(2025, origin.path("vintage").asInt());
    assertEquals(100, origin.path("issuedQuantity").asLong());
    assertEquals("PENDING", units.path("correspondingAdjustment").path("status").asText());

    // reserved units are not spendable
    transfer(
            developer(alice),
            Map.of(
                "from",
                account,
                "to",
                other,
                "serials",
                List.of(Map.of("unitId", unitId, "start", reservedStart, "end", reservedStart))))
        .then()
        .statusCode(409)
        .body("code", is("UNITS_NOT_ACTIVE"));
    transfer(developer(alice), transferBody(account, other, 61))
        .then()
        .statusCode(409)
        .body("code", is("INSUFFICIENT_BALANCE"));
    retire(developer(alice), account, 61)
        .then()
        .statusCode(409)
        .body("code", is("INSUFFICIENT_BALANCE"));
    cancel(developer(alice), account, 61)
        .then()
        .statusCode(409)
        .body("code", is("INSUFFICIENT_BALANCE"));
    propose(developer(alice), bySerials(account, toAccount, unitId, reservedStart, reservedEnd))
        .then()
        .statusCode(409)
        .body("code", is("UNITS_NOT_ACTIVE"));

    accept(id);
    awaitStatus(id, "COMPLETED");

    JsonPath done = international(id);
    assertEquals("ACCEPTED", done.getString("answer"));
    assertNotNull(done.getString("completedAt"));
    assertEquals(60, balance(account));
    assertEquals(0L, accountView(account).getLong("reserved"));
    held = holdings(account);
    Map<String, Object> out = block(held, unitId, reservedStart);
    assertEquals("TRANSFERRED_OUT", out.get("state"));
    assertNull(out.get("reservedFor"));
    assertEquals("APPLIED", ca(out).get("status"));
    assertEquals("VN", ca(out).get("appliedBy"));
    assertNotNull(ca(out).get("appliedAt"));
    // only the part that left is first transferred; the part that stays keeps its PENDING status
    Map<String, Object> kept =
        held.stream()
            .filter(h -> "ACTIVE".equals(h.get("state")) && unitId.equals(h.get("unitId")))
            .findFirst()
            .orElseThrow();
    assertEquals(60, ((Number) kept.get("quantity")).intValue());
    assertEquals("PENDING", ca(kept).get("status"));

    String firstTransfer = (String) ca(out).get("firstTransfer");
    JsonPath ft = transaction(firstTransfer);
    assertEquals("FIRST_TRANSFER", ft.getString("kind"));
    assertEquals("INTERNATIONAL_TRANSFER", ft.getString("trigger"));
    assertEquals(id, ft.getString("triggeredBy"));
    assertEquals(40, ft.getLong("quantity"));
    JsonPath itx = transaction(id);
    assertEquals("INTERNATIONAL_TRANSFER", itx.getString("kind"));
    assertEquals(VN, itx.getString("counterpartRegistry"));
    assertEquals(toAccount, itx.getString("counterpartAccount"));

    JsonNode completed = awaitSent(COMPLETED, id);
    assertEquals(
        "APPLIED",
        completed.path("units").get(0).path("correspondingAdjustment").path("status").asText());
    assertEquals(
        "VN",
        completed.path("units").get(0).path("correspondingAdjustment").path("appliedBy").asText());
    List<JsonNode> recorded = awaitRegistryEvents("FirstTransferRecorded", "triggeredBy", id);
    assertEquals(1, recorded.size());
    assertEquals(firstTransfer, recorded.get(0).path("transactionId").asText());
    assertEquals("INTERNATIONAL_TRANSFER", recorded.get(0).path("trigger").asText());
    assertEquals(1, sent(TO_VN, COMPLETED, id).size());
    assertEquals(0, sent(TO_VN, TERMINATED, id).size());
  }

  @Test
  void aRejectionTerminatesTheTransferAndTheUnitsAreSpendableAgain() {
    String alice = participant("JP");
    String account = holdingAccount(alice);
    String unitId = issue(account, 50, ndc());
    List<Map<String, Object>> before = holdings(account);

    String id =
        propose(developer(alice), byQuantity(account, VN, foreignAccount("VN"), 50))
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    assertEquals(0, balance(account));
    awaitSent(PROPOSED, id);

    reject(id, "ACCOUNT_NOT_OPEN");
    awaitStatus(id, "TERMINATED");

    JsonPath t = international(id);
    assertEquals("REJECTED", t.getString("answer"));
    assertEquals("ACCOUNT_NOT_OPEN", t.getString("code"));
    assertEquals(50, balance(account));
    assertEquals(0L, accountView(account).getLong("reserved"));
    List<Map<String, Object>> after = holdings(account);
    assertEquals(1, after.size());
    assertEquals("ACTIVE", after.get(0).get("state"));
    assertNull(after.get(0).get("reservedFor"));
    assertEquals("PENDING", ca(after.get(0)).get("status"));
    assertEquals(before.get(0).get("serial"), after.get(0).get("serial"));
    JsonNode terminated = awaitSent(TERMINATED, id);
    assertEquals("ACCOUNT_NOT_OPEN", terminated.path("code").asText());
    awaitHandled();
    assertEquals(0, sent(TO_VN, COMPLETED, id).size());
    assertEquals(0, registryEvents("FirstTransferRecorded", "triggeredBy", id).size());
    assertEquals(
        0,
        Rows.number(
            dataSource,
            "SELECT count(*) FROM credit_block WHERE unit_id = ? AND ca_status = 'APPLIED'",
            unitId));
  }

  @Test
  void aDuplicatedAcceptanceCompletesTheTransferOnce() {
    String alice = participant("JP");
    String account = holdingAccount(alice);
    issue(account, 30, ndc());
    String id =
        propose(developer(alice), byQuantity(account, VN, foreignAccount("VN"), 30))
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    awaitSent(PROPOSED, id);

    String answer = accept(id);
    // the same message delivered again, and the same answer sent again as a new message
    PeerRegistry.send(
        PeerRegistry.ANSWERED,
        id,
        new org.tanso.events.interregistry.TransferAnswered(
            id, VN, PeerRegistry.HERE, "ACCEPTED", null, null, java.time.Instant.now()),
        answer,
        "/tanso/registry/" + VN);
    accept(id);
    awaitStatus(id, "COMPLETED");
    awaitHandled();
    // the answer the outcome was decided on, delivered again, is a duplicate: not a late answer
    org.junit.jupiter.api.Assertions.assertNull(
        international(id).getString("lateAnswerAt"), "a duplicated acceptance is no late answer");

    assertEquals(0, balance(account));
    awaitSent(COMPLETED, id);
    assertEquals(1, sent(TO_VN, COMPLETED, id).size());
    assertEquals(1, awaitRegistryEvents("FirstTransferRecorded", "triggeredBy", id).size());
    assertEquals(
        1,
        Rows.number(
            dataSource,
            "SELECT count(*) FROM registry_transaction WHERE kind = 'FIRST_TRANSFER' AND triggered_by = ?",
            id));
    assertEquals(
        1,
        Rows.number(
            dataSource,
            "SELECT count(*) FROM inbox_event WHERE event_id = CAST(? AS uuid)",
            answer));
  }

  @Test
  void unitsAppliedAtIssuanceAreNotFirstTransferredAgainWhenTheyLeave() {
    String alice = participant("JP");
    String account = holdingAccount(alice);
    String unitId = issue(account, 20, authorisation(List.of("NDC", "OIMP"), "ISSUANCE"));
    Map<String, Object> minted = holdings(account).get(0);
    assertEquals("APPLIED", ca(minted).get("status"));
    Object mintFirstTransfer = ca(minted).get("firstTransfer");
    Object mintAppliedAt = ca(minted).get("appliedAt");

    String id =
        propose(developer(alice), bySerials(account, foreignAccount("VN"), unitId, 1, 20))
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    awaitSent(PROPOSED, id);
    accept(id);
    awaitStatus(id, "COMPLETED");

    Map<String, Object> out = holdings(account).get(0);
    assertEquals("TRANSFERRED_OUT", out.get("state"));
    assertEquals("APPLIED", ca(out).get("status"));
    assertEquals(mintFirstTransfer, ca(out).get("firstTransfer"));
    assertEquals(mintAppliedAt, ca(out).get("appliedAt"));
    assertEquals("ISSUANCE", transaction((String) mintFirstTransfer).getString("trigger"));
    awaitSent(COMPLETED, id);
    assertEquals(0, registryEvents("FirstTransferRecorded", "triggeredBy", id).size());
    assertEquals(
        0,
        Rows.number(
            dataSource,
            "SELECT count(*) FROM registry_transaction WHERE kind = 'FIRST_TRANSFER' AND triggered_by = ?",
            id));
  }

  @Test
  void refusedProposalsChangeNothing() {
    String alice = participant("JP");
    String account = holdingAccount(alice);
    String unitId = issue(account, 10, ndc());
    String mitigation = issue(account, 5, null);
    String toAccount = foreignAccount("VN");
    String good = toAccount;
    String badCheckDigits =
        good.substring(0, good.length() - 2) + (good.endsWith("00") ? "01" : "00");

    propose(developer(alice), byQuantity(account, "KR-JCM", toAccount, 1))
        .then()
        .statusCode(422)
        .body("code", is("UNKNOWN_REGISTRY"));
    propose(developer(alice), byQuantity(account, VN, foreignAccount("MN"), 1))
        .then()
        .statusCode(422)
        .body("code", is("ACCOUNT_NOT_IN_REGISTRY"));
    propose(developer(alice), byQuantity(account, VN, toAccount, 11))
        .then()
        .statusCode(409)
        .body("code", is("UNITS_NOT_AUTHORISED"));
    propose(developer(alice), bySerials(account, toAccount, mitigation, 1, 1))
        .then()
        .statusCode(409)
        .body("code", is("UNITS_NOT_AUTHORISED"));
    propose(developer(alice), byQuantity(account, VN, toAccount, 16))
        .then()
        .statusCode(409)
        .body("code", is("INSUFFICIENT_BALANCE"));
    propose(developer(alice), byQuantity(account, VN, badCheckDigits, 1))
        .then()
        .statusCode(400)
        .body("code", is("MALFORMED_REQUEST"));
    Map<String, Object> both = bySerials(account, toAccount, unitId, 1, 1);
    both.put("quantity", 1);
    propose(developer(alice), both).then().statusCode(400).body("code", is("MALFORMED_REQUEST"));
    propose(developer(participant("JP")), byQuantity(account, VN, toAccount, 1))
        .then()
        .statusCode(403);

    assertEquals(15, balance(account));
    assertEquals(0L, accountView(account).getLong("reserved"));
    assertTrue(holdings(account).stream().allMatch(h -> "ACTIVE".equals(h.get("state"))));
    assertEquals(
        0,
        Rows.number(
            dataSource,
            "SELECT count(*) FROM international_transfer WHERE from_account = ?",
            account));
    assertEquals(
        0,
        Rows.number(
            dataSource,
            "SELECT count(*) FROM outbox_event WHERE destination IS NOT NULL AND payload::text LIKE ?",
            "%" + account + "%"));
  }

  @Test
  void anIdempotencyKeyReplayReturnsTheSameTransfer() {
    String alice = participant("JP");
    String account = holdingAccount(alice);
    issue(account, 10, ndc());
    String key = UUID.randomUUID().toString();
    Map<String, Object> body = byQuantity(account, VN, foreignAccount("VN"), 4);

    String first =
        given()
            .auth()
            .oauth2(developer(alice))
            .header("Idempotency-Key", key)
            .contentType(ContentType.JSON)
            .body(body)
            .post("/international-transfers")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    String second =
        given()
            .auth()
            .oauth2(developer(alice))
            .header("Idempotency-Key", key)
            .contentType(ContentType.JSON)
            .body(body)
            .post("/international-transfers")
            .then()
            .statusCode(202)
            .extract()
            .path("id");

    assertEquals(first, second);
    assertEquals(6, balance(account));
    assertEquals(4L, accountView(account).getLong("reserved"));
    assertEquals(
        1,
        Rows.number(
            dataSource,
            "SELECT count(*) FROM international_transfer WHERE from_account = ?",
            account));
    awaitSent(PROPOSED, first);
    assertEquals(1, sent(TO_VN, PROPOSED, first).size());
  }
}
