package org.tanso.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.registry.RegistryFixture.admin;
import static org.tanso.registry.RegistryFixture.awaitBalance;
import static org.tanso.registry.RegistryFixture.balance;
import static org.tanso.registry.RegistryFixture.developer;
import static org.tanso.registry.RegistryFixture.fund;
import static org.tanso.registry.RegistryFixture.holdingAccount;
import static org.tanso.registry.RegistryFixture.participant;
import static org.tanso.registry.RegistryFixture.publish;
import static org.tanso.registry.RegistryFixture.transfer;
import static org.tanso.registry.RegistryFixture.transferBody;
import static org.tanso.registry.RegistryFixture.unique;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tanso.events.Topics;
import org.tanso.events.issuance.IssuanceApproved;
import org.tanso.testing.TestKafka;

/**
 * Transfers, retirements and cancellations through REST, checked in responses, queries, the
 * database and the topic.
 */
@QuarkusTest
class MovementsTest {

  @Inject AgroalDataSource dataSource;

  @AfterEach
  void invariants() throws Exception {
    RegistryInvariants.assertAllHold(dataSource);
  }

  @Test
  void aQuantitySpreadOverMoreBlocksThanTheFirstReadTakesThemAll() {
    String alice = participant("VN");
    String bob = participant("JP");
    String carol = participant("JP");
    String source = holdingAccount(alice);
    String fragmented = holdingAccount(bob);
    String target = holdingAccount(carol);
    IssuanceApproved approval =
        RegistryFixture.approval(
            unique("VN"),
            "JCM",
            2025,
            LocalDate.of(2025, 1, 1),
            LocalDate.of(2025, 3, 31),
            100,
            Map.of(source, 100),
            null);
    publish(approval);
    awaitBalance(source, 100);
    // 25 single units, each its own block in the receiving account (more than BlockStore reads at
    // first)
    for (int i = 0; i < 25; i++) {
      transfer(developer(alice), transferBody(source, fragmented, 1)).then().statusCode(201);
    }
    assertEquals(25, balance(fragmented));

    JsonPath tx =
        transfer(developer(bob), transferBody(fragmented, target, 22))
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();

    assertEquals(22, tx.getList("blocks").size());
    assertEquals(3, balance(fragmented));
    assertEquals(22, balance(target));
    transfer(developer(bob), transferBody(fragmented, target, 4))
        .then()
        .statusCode(409)
        .body("code", is("INSUFFICIENT_BALANCE"));
  }

  @Test
  void transferTakesOldestVintageAndLowestSerialFirstAndTheSenderKeepsTheLowEnd() {
    String alice = participant("VN");
    String bob = participant("JP");
    String from = holdingAccount(alice);
    String to = holdingAccount(bob);
    // vintage 2026 minted first, vintage 2024 second: the 2024 units must go first
    IssuanceApproved newer =
        RegistryFixture.approval(
            unique("VN"),
            "JCM",
            2026,
            LocalDate.of(2026, 1, 1),
            LocalDate.of(2026, 3, 31),
            100,
            Map.of(from, 100),
            null);
    IssuanceApproved older =
        RegistryFixture.approval(
            unique("VN"),
            "JCM",
            2024,
            LocalDate.of(2024, 1, 1),
            LocalDate.of(2024, 3, 31),
            50,
            Map.of(from, 100),
            null);
    publish(newer);
    awaitBalance(from, 100);
    publish(older);
    awaitBalance(from, 150);
    String olderUnit = "JCM-VN-" + older.project() + "-2024-0001";
    String newerUnit = "JCM-VN-" + newer.project() + "-2026-0001";

    JsonPath tx =
        transfer(developer(alice), transferBody(from, to, 70))
            .then()
            .statusCode(201)
            .body("from", is(from))
            .body("to", is(to))
            .body("quantity", is(70))
            .extract()
            .jsonPath();
    // all 50 of 2024, then 20 of 2026 from the high end of its only block (sender keeps 1..80)
    assertEquals(List.of(olderUnit, newerUnit), tx.getList("blocks.unitId"));
    assertEquals(List.of(1, 81), tx.getList("blocks.start"));
    assertEquals(List.of(50, 100), tx.getList("blocks.end"));
    assertEquals(newerUnit + "-000081-000100", tx.getString("blocks[1].serial"));
    assertEquals(80, balance(from));
    assertEquals(70, balance(to));

    given()
        .auth()
        .oauth2(developer(alice))
        .get("/accounts/" + from + "/holdings")
        .then()
        .statusCode(200)
        .body("items", hasSize(1))
        .body("items[0].start", is(1))
        .body("items[0].end", is(80))
        .body("items[0].project", is(newer.project()));
    given()
        .auth()
        .oauth2(admin())
        .get("/units/" + newerUnit + "/81")
        .then()
        .statusCode(200)
        .body("account", is(to));
    given()
        .auth()
        .oauth2(admin())
        .get("/units/" + newerUnit + "/80")
        .then()
        .statusCode(200)
        .body("account", is(from));

    String id = tx.getString("id");
    given()
        .auth()
        .oauth2(developer(bob))
        .get("/transactions/" + id)
        .then()
        .statusCode(200)
        .body("quantity", is(70))
        .body("blocks", hasSize(2));
    given().auth().oauth2(developer(alice)).get("/transactions/" + id).then().statusCode(200);
    given()
        .auth()
        .oauth2(RegistryFixture.developer(participant("KH")))
        .get("/transactions/" + id)
        .then()
        .statusCode(403)
        .body("code", is("FORBIDDEN"))
        .body("from", nullValue())
        .body("blocks", nullValue())
        .body("quantity", nullValue());
  }

  @Test
  void transferOfNamedSerialRangesMovesExactlyThoseSerials() {
    String alice = participant("VN");
    String from = holdingAccount(alice);
    String to = holdingAccount(participant("JP"));
    String project = fund(from, 100);
    String unit = "JCM-VN-" + project + "-2025-0001";
    transfer(
            developer(alice),
            Map.of(
                "from",
                from,
                "to",
                to,
                "serials",
                List.of(
                    Map.of("unitId", unit, "start", 10, "end", 19),
                    Map.of("unitId", unit, "start", 50, "end", 50))))
        .then()
        .statusCode(201)
        .body("quantity", is(11))
        .body("blocks.start", contains(10, 50))
        .body("blocks.end", contains(19, 50));
    assertEquals(89, balance(from));
    assertEquals(11, balance(to));
    given().auth().oauth2(admin()).get("/units/" + unit + "/9").then().body("account", is(from));
    given().auth().oauth2(admin()).get("/units/" + unit + "/15").then().body("account", is(to));
    given().auth().oauth2(admin()).get("/units/" + unit + "/20").then().body("account", is(from));
    // serials that the sender no longer holds
    transfer(
            developer(alice),
            Map.of(
                "from",
                from,
                "to",
                to,
                "serials",
                List.of(Map.of("unitId", unit, "start", 15, "end", 25))))
        .then()
        .statusCode(409)
        .body("code", is("UNITS_NOT_HELD"));
    // start after end
    transfer(
            developer(alice),
            Map.of(
                "from",
                from,
                "to",
                to,
                "serials",
                List.of(Map.of("unitId", unit, "start", 30, "end", 29))))
        .then()
        .statusCode(400)
        .body("code", is("MALFORMED_REQUEST"));
  }

  @Test
  void retirementIsTerminalAndRecordsBeneficiaryPurposeAndUsingParty() throws Exception {
    String alice = participant("VN");
    String account = holdingAccount(alice);
    String other = holdingAccount(participant("JP"));
    String project = fund(account, 30);
    String unit = "JCM-VN-" + project + "-2025-0001";
    JsonPath retired =
        given()
            .auth()
            .oauth2(developer(alice))
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "account",
                    account,
                    "quantity",
                    12,
                    "beneficiary",
                    "Acme Airlines (CORSIA 2025)",
                    "purpose",
                    "OIMP",
                    "usingParty",
                    "JP"))
            .post("/retirements")
            .then()
            .statusCode(201)
            .body("retirementId", matchesPattern("RET-\\d{4}-\\d{8}"))
            .body("blocks.state", everyItem(is("RETIRED")))
            .body("beneficiary", is("Acme Airlines (CORSIA 2025)"))
            .extract()
            .jsonPath();
    assertEquals(18, balance(account));
    // the retired serials (the high end, 19..30) never move again
    transfer(
            developer(alice),
            Map.of(
                "from",
                account,
                "to",
                other,
                "serials",
                List.of(Map.of("unitId", unit, "start", 25, "end", 30))))
        .then()
        .statusCode(409)
        .body("code", is("UNITS_NOT_ACTIVE"));
    given()
        .auth()
        .oauth2(admin())
        .get("/units/" + unit + "/30")
        .then()
        .body("state", is("RETIRED"))
        .body("account", is(account));
    // only 18 are left to move
    transfer(developer(alice), transferBody(account, other, 19))
        .then()
        .statusCode(409)
        .body("code", is("INSUFFICIENT_BALANCE"));

    JsonNode event = eventWithId(retired.getString("id"), "tanso.registry.CreditsRetired.v1");
    assertEquals("OIMP", event.get("purpose").asText());
    assertEquals(retired.getString("retirementId"), event.get("retirementId").asText());
  }

  @Test
  void cancellationMovesUnitsToTheCancellationAccountForGood() {
    String alice = participant("VN");
    String account = holdingAccount(alice);
    fund(account, 20);
    JsonPath cancelled =
        given()
            .auth()
            .oauth2(developer(alice))
            .contentType(ContentType.JSON)
            .body(Map.of("account", account, "quantity", 5, "reason", "voluntary cancellation"))
            .post("/cancellations")
            .then()
            .statusCode(201)
            .body("blocks.state", everyItem(is("CANCELLED")))
            .extract()
            .jsonPath();
    assertEquals(15, balance(account));
    String cancellationAccount = cancelled.getString("to");
    assertTrue(cancellationAccount.startsWith("JP-500-"));
    // cancellation accounts take no transfers and send nothing
    transfer(developer(alice), transferBody(account, cancellationAccount, 1))
        .then()
        .statusCode(422)
        .body("code", is("ACCOUNT_TYPE_NOT_ALLOWED"));
    // a registry administrator may cancel on any account
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(Map.of("account", account, "quantity", 3, "reason", "mandatory"))
        .post("/cancellations")
        .then()
        .statusCode(201);
    assertEquals(12, balance(account));
  }

  @Test
  void transferErrorsChangeNothing() {
    String alice = participant("VN");
    String from = holdingAccount(alice);
    String to = holdingAccount(participant("JP"));
    fund(from, 10);
    String token = developer(alice);
    transfer(token, transferBody(from, from, 1))
        .then()
        .statusCode(400)
        .body("code", is("SAME_ACCOUNT"));
    transfer(token, transferBody(from, to, 11))
        .then()
        .statusCode(409)
        .body("code", is("INSUFFICIENT_BALANCE"));
    transfer(token, transferBody(from, to, 0))
        .then()
        .statusCode(400)
        .body("code", is("INVALID_QUANTITY"));
    transfer(token, transferBody(from, to, -5))
        .then()
        .statusCode(400)
        .body("code", is("INVALID_QUANTITY"));
    transfer(token, "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"quantity\":1.5}")
        .then()
        .statusCode(400)
        .body("code", is("INVALID_QUANTITY"));
    transfer(token, "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"quantity\":\"5\"}")
        .then()
        .statusCode(400)
        .body("code", is("INVALID_QUANTITY"));
    transfer(
            token,
            "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"quantity\":99999999999999999999}")
        .then()
        .statusCode(400)
        .body("code", is("INVALID_QUANTITY"));
    transfer(
            token,
            "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"quantity\":1,\"extra\":true}")
        .then()
        .statusCode(400)
        .body("code", is("MALFORMED_REQUEST"));
    transfer(token, "{\"from\":\"" + from + "\",\"to\":")
        .then()
        .statusCode(400)
        .body("code", is("MALFORMED_REQUEST"));
    transfer(token, Map.of("from", from, "to", to))
        .then()
        .statusCode(400)
        .body("code", is("MALFORMED_REQUEST"));
    String mistyped =
        to.substring(0, 7) + (char) (((to.charAt(7) - '0' + 1) % 10) + '0') + to.substring(8);
    transfer(token, transferBody(from, mistyped, 1))
        .then()
        .statusCode(400)
        .body("code", is("MALFORMED_REQUEST"));
    String unknown = "JP-100-999998-" + IssuanceMintingTest.checkDigits("JP100999998");
    transfer(token, transferBody(from, unknown, 1))
        .then()
        .statusCode(404)
        .body("code", is("ACCOUNT_NOT_FOUND"));
    given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.TEXT)
        .body("quantity=1")
        .post("/transfers")
        .then()
        .statusCode(415)
        .contentType("application/problem+json")
        .body("code", is("UNSUPPORTED_MEDIA_TYPE"));

    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(Map.of("status", "SUSPENDED", "reason", "investigation"))
        .put("/accounts/" + to + "/status")
        .then()
        .statusCode(200)
        .body("status", is("SUSPENDED"));
    transfer(token, transferBody(from, to, 1))
        .then()
        .statusCode(409)
        .body("code", is("ACCOUNT_NOT_OPEN"));
    assertEquals(10, balance(from));
    assertEquals(0, balance(to));
  }

  @Test
  void eventsOnTheTopicCarryCloudEventsHeadersAndTheSenderAsKey() throws Exception {
    String alice = participant("VN");
    String from = holdingAccount(alice);
    String to = holdingAccount(participant("JP"));
    fund(from, 10);
    String id =
        transfer(developer(alice), transferBody(from, to, 4))
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    TestKafka.Received record =
        TestKafka.readUntil(
                Topics.REGISTRY_EVENTS,
                got -> got.stream().anyMatch(r -> r.value().contains(id)),
                Duration.ofSeconds(30))
            .stream()
            .filter(r -> r.value().contains(id))
            .findFirst()
            .orElseThrow();
    assertEquals(from, record.key());
    assertEquals("1.0", record.headers().get("ce_specversion"));
    assertEquals("tanso.registry.CreditsTransferred.v1", record.headers().get("ce_type"));
    assertEquals(
        "/tanso/JP-JCM/registry-service",
        record.headers().get("ce_source"),
        "the source names the registry");
    assertEquals(from, record.headers().get("ce_subject"));
    assertTrue(record.headers().get("ce_id").matches("[0-9a-f-]{36}"));
    assertTrue(record.headers().get("ce_time").endsWith("Z"));
    JsonNode payload = RegistryFixture.JSON.readTree(record.value());
    assertEquals(4, payload.get("quantity").asLong());
    assertEquals(to, payload.get("to").asText());
    assertEquals(
        1,
        RegistryInvariants.count(
            dataSource,
            "SELECT count(*) FROM outbox_event WHERE payload::text LIKE '%"
                + id
                + "%' AND published_at IS NOT NULL"));
  }

  @Test
  void theSameIdempotencyKeyReturnsTheFirstResultAndADifferentBodyConflicts() {
    String alice = participant("VN");
    String from = holdingAccount(alice);
    String to = holdingAccount(participant("JP"));
    fund(from, 10);
    String key = unique("idem-");
    String first =
        given()
            .auth()
            .oauth2(developer(alice))
            .header("Idempotency-Key", key)
            .contentType(ContentType.JSON)
            .body(transferBody(from, to, 3))
            .post("/transfers")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    String again =
        given()
            .auth()
            .oauth2(developer(alice))
            .header("Idempotency-Key", key)
            .contentType(ContentType.JSON)
            .body(transferBody(from, to, 3))
            .post("/transfers")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    assertEquals(first, again);
    assertEquals(7, balance(from));
    given()
        .auth()
        .oauth2(developer(alice))
        .header("Idempotency-Key", key)
        .contentType(ContentType.JSON)
        .body(transferBody(from, to, 4))
        .post("/transfers")
        .then()
        .statusCode(409)
        .body("code", is("IDEMPOTENCY_CONFLICT"));
    assertEquals(7, balance(from));
  }

  static JsonNode eventWithId(String transactionId, String type) throws Exception {
    TestKafka.Received record =
        TestKafka.readUntil(
                Topics.REGISTRY_EVENTS,
                got ->
                    got.stream()
                        .anyMatch(
                            r ->
                                type.equals(r.headers().get("ce_type"))
                                    && r.value().contains(transactionId)),
                Duration.ofSeconds(30))
            .stream()
            .filter(
                r -> type.equals(r.headers().get("ce_type")) && r.value().contains(transactionId))
            .findFirst()
            .orElseThrow();
    return RegistryFixture.JSON.readTree(record.value());
  }
}
