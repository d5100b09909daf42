package org.tanso.registry;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.registry.RegistryFixture.admin;
import static org.tanso.registry.RegistryFixture.approval;
import static org.tanso.registry.RegistryFixture.awaitBalance;
import static org.tanso.registry.RegistryFixture.balance;
import static org.tanso.registry.RegistryFixture.holdingAccount;
import static org.tanso.registry.RegistryFixture.jcm;
import static org.tanso.registry.RegistryFixture.participant;
import static org.tanso.registry.RegistryFixture.publish;
import static org.tanso.registry.RegistryFixture.unique;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tanso.events.Topics;
import org.tanso.events.issuance.IssuanceApproved;
import org.tanso.testing.OutboxTable;
import org.tanso.testing.TestKafka;

/** IssuanceApproved arriving over the real broker becomes serial-numbered blocks, once. */
@QuarkusTest
class IssuanceMintingTest {

  @Inject AgroalDataSource dataSource;

  @AfterEach
  void invariants() throws Exception {
    RegistryInvariants.assertAllHold(dataSource);
  }

  @Test
  void jcmIssuanceIsSplitByTheAllocationTableWithTheRemainderToTheFirstShare() throws Exception {
    String dev = participant("VN");
    String a = holdingAccount(dev);
    String b = holdingAccount(dev);
    String c = holdingAccount(dev);
    Map<String, Integer> table = new LinkedHashMap<>();
    table.put(a, 50);
    table.put(b, 30);
    table.put(c, 20);
    IssuanceApproved approved = jcm(unique("VN"), 1_000_003, table);
    publish(approved);
    // floor(50 %) = 500001, floor(30 %) = 300000, floor(20 %) = 200000, remainder 2 to the first
    // share
    awaitBalance(a, 500_003);
    assertEquals(300_000, balance(b));
    assertEquals(200_000, balance(c));

    JsonNode issued =
        awaitEvent(Topics.REGISTRY_EVENTS, "tanso.registry.CreditsIssued.v1", approved.requestId());
    String unitId = issued.get("unitId").asText();
    assertEquals("JCM-VN-" + approved.project() + "-2025-0001", unitId);
    assertEquals("MITIGATION_CONTRIBUTION", issued.get("authorisationStatus").asText());
    JsonNode blocks = issued.get("blocks");
    assertEquals(3, blocks.size());
    assertEquals(unitId + "-000001-500003", blocks.get(0).get("serial").asText());
    assertEquals(a, blocks.get(0).get("account").asText());
    assertEquals(500_004, blocks.get(1).get("start").asLong());
    assertEquals(1_000_003, blocks.get(2).get("end").asLong());

    given()
        .auth()
        .oauth2(admin())
        .get("/units/" + unitId + "/800004")
        .then()
        .statusCode(200)
        .body("account", org.hamcrest.Matchers.is(c))
        .body("state", org.hamcrest.Matchers.is("ACTIVE"))
        .body("blockSerial", org.hamcrest.Matchers.is(unitId + "-0800004-1000003"));
  }

  @Test
  void a64IssuanceTakesShareOfProceedsAndOverallMitigationFirst() throws Exception {
    String dev = participant("VN");
    String a = holdingAccount(dev);
    String b = holdingAccount(dev);
    Map<String, Integer> table = new LinkedHashMap<>();
    table.put(a, 60);
    table.put(b, 40);
    String sop = "JP-600-000001-" + checkDigits("JP600000001");
    String omge = "JP-500-000002-" + checkDigits("JP500000002");
    long sopBefore = balance(sop);
    IssuanceApproved approved =
        approval(
            unique("VN"),
            "A6_4",
            2026,
            LocalDate.of(2026, 1, 1),
            LocalDate.of(2026, 6, 30),
            99,
            table,
            new IssuanceApproved.Authorisation(
                "AUTH-VN-7", LocalDate.of(2025, 11, 1), "NDC", 1000, "VN-JP JCM"));
    publish(approved);
    // 99 units: SOP floor(4.95) = 4, OMGE floor(1.98) = 1, rest 94: 60 % floor 56 (+1 remainder) =
    // 57, 40 % floor 37
    awaitBalance(a, 57);
    assertEquals(37, balance(b));
    assertEquals(sopBefore + 4, balance(sop));

    JsonNode issued =
        awaitEvent(Topics.REGISTRY_EVENTS, "tanso.registry.CreditsIssued.v1", approved.requestId());
    JsonNode blocks = issued.get("blocks");
    assertEquals(4, blocks.size());
    assertEquals(sop, blocks.get(0).get("account").asText());
    assertEquals("ACTIVE", blocks.get(0).get("state").asText());
    assertEquals(4, blocks.get(0).get("quantity").asLong());
    assertEquals(omge, blocks.get(1).get("account").asText());
    assertEquals("CANCELLED", blocks.get(1).get("state").asText());
    assertEquals(1, blocks.get(1).get("quantity").asLong());
    assertEquals("AUTHORISED", issued.get("authorisationStatus").asText());
    JsonNode article6 = issued.get("article6");
    assertEquals("AUTH-VN-7", article6.get("authorisationId").asText());
    assertEquals("VN", article6.get("firstTransferringParty").asText());
    assertEquals(99, article6.get("lastSerial").asLong());
  }

  @Test
  void theSameEventDeliveredTwiceMintsOnce() throws Exception {
    String dev = participant("VN");
    String a = holdingAccount(dev);
    IssuanceApproved approved = jcm(unique("VN"), 500, Map.of(a, 100));
    UUID eventId = UUID.randomUUID();
    RegistryFixture.publish(approved, eventId);
    RegistryFixture.publish(approved, eventId);
    // and once more under a new event id: the request itself is minted once
    RegistryFixture.publish(approved, UUID.randomUUID());
    // all three deliveries consumed and everything they caused published before anything is read
    List<TestKafka.Received> published = settledRegistryEvents();
    assertEquals(500, balance(a));
    assertEquals(
        1,
        RegistryInvariants.count(
            dataSource,
            "SELECT count(*) FROM unit_issuance WHERE request_id = '"
                + approved.requestId()
                + "'"));
    assertEquals(
        1,
        published.stream()
            .filter(r -> matches(r, approved.requestId(), "tanso.registry.CreditsIssued.v1"))
            .count(),
        "CreditsIssued");
    // the new event id for a request already minted is answered, not ignored: no IssuanceFailed
    // either
    assertEquals(
        0,
        published.stream()
            .filter(r -> matches(r, approved.requestId(), "tanso.registry.IssuanceFailed.v1"))
            .count(),
        "IssuanceFailed");
  }

  @Test
  void unmintableRequestsEmitIssuanceFailedAndMintNothing() throws Exception {
    String dev = participant("VN");
    String a = holdingAccount(dev);
    String closed = holdingAccount(dev);
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(Map.of("status", "CLOSED", "reason", "test"))
        .put("/accounts/" + closed + "/status")
        .then()
        .statusCode(200);
    String unknown = "JP-100-999999-" + checkDigits("JP100999999");
    Map<String, Integer> toUnknown = new LinkedHashMap<>();
    toUnknown.put(a, 50);
    toUnknown.put(unknown, 50);
    Map<String, Integer> notHundred = new LinkedHashMap<>();
    notHundred.put(a, 50);
    notHundred.put(closed, 40);

    IssuanceApproved unknownAccount = jcm(unique("VN"), 10, toUnknown);
    IssuanceApproved closedAccount = jcm(unique("VN"), 10, Map.of(closed, 100));
    IssuanceApproved badTable = jcm(unique("VN"), 10, notHundred);
    String project = unique("VN");
    IssuanceApproved first =
        approval(
            project,
            "JCM",
            2025,
            LocalDate.of(2025, 1, 1),
            LocalDate.of(2025, 6, 30),
            10,
            Map.of(a, 100),
            null);
    IssuanceApproved overlapping =
        approval(
            project,
            "JCM",
            2025,
            LocalDate.of(2025, 6, 1),
            LocalDate.of(2025, 12, 31),
            10,
            Map.of(a, 100),
            null);
    IssuanceApproved sameAgain =
        approval(
            project,
            "JCM",
            2025,
            LocalDate.of(2025, 1, 1),
            LocalDate.of(2025, 6, 30),
            10,
            Map.of(a, 100),
            null);
    IssuanceApproved.Authorisation auth =
        new IssuanceApproved.Authorisation("AUTH-1", LocalDate.of(2025, 1, 1), "OIMP", 15, null);
    String authProject = unique("VN");
    IssuanceApproved withinAuth =
        approval(
            authProject,
            "JCM",
            2024,
            LocalDate.of(2024, 1, 1),
            LocalDate.of(2024, 12, 31),
            10,
            Map.of(a, 100),
            auth);
    IssuanceApproved aboveAuth =
        approval(
            authProject,
            "JCM",
            2025,
            LocalDate.of(2025, 1, 1),
            LocalDate.of(2025, 12, 31),
            6,
            Map.of(a, 100),
            auth);
    for (IssuanceApproved approved :
        List.of(
            unknownAccount,
            closedAccount,
            badTable,
            first,
            overlapping,
            sameAgain,
            withinAuth,
            aboveAuth)) {
      publish(approved);
    }
    assertEquals(
        "ACCOUNT_NOT_FOUND",
        awaitEvent(
                Topics.REGISTRY_EVENTS,
                "tanso.registry.IssuanceFailed.v1",
                unknownAccount.requestId())
            .get("code")
            .asText());
    assertEquals(
        "ACCOUNT_NOT_OPEN",
        awaitEvent(
                Topics.REGISTRY_EVENTS,
                "tanso.registry.IssuanceFailed.v1",
                closedAccount.requestId())
            .get("code")
            .asText());
    assertEquals(
        "INVALID_ALLOCATION",
        awaitEvent(Topics.REGISTRY_EVENTS, "tanso.registry.IssuanceFailed.v1", badTable.requestId())
            .get("code")
            .asText());
    assertEquals(
        "PERIOD_OVERLAP",
        awaitEvent(
                Topics.REGISTRY_EVENTS, "tanso.registry.IssuanceFailed.v1", overlapping.requestId())
            .get("code")
            .asText());
    assertEquals(
        "ALREADY_ISSUED",
        awaitEvent(
                Topics.REGISTRY_EVENTS, "tanso.registry.IssuanceFailed.v1", sameAgain.requestId())
            .get("code")
            .asText());
    assertEquals(
        "ABOVE_AUTHORISED_QUANTITY",
        awaitEvent(
                Topics.REGISTRY_EVENTS, "tanso.registry.IssuanceFailed.v1", aboveAuth.requestId())
            .get("code")
            .asText());
    // only the two good requests minted: 10 + 10
    assertEquals(20, balance(a));
    assertEquals(0, balance(closed));
    for (IssuanceApproved failed :
        List.of(unknownAccount, closedAccount, badTable, overlapping, sameAgain, aboveAuth)) {
      assertEquals(
          0,
          RegistryInvariants.count(
              dataSource,
              "SELECT count(*) FROM unit_issuance WHERE request_id = '"
                  + failed.requestId()
                  + "'"));
    }
  }

  @Test
  void aPoisonMessageGoesToTheDeadLetterTopicAndThePartitionKeepsFlowing() throws Exception {
    String dev = participant("VN");
    String a = holdingAccount(dev);
    IssuanceApproved good = jcm(unique("VN"), 42, Map.of(a, 100));
    String poisonKey = good.requestId();
    // same key, so same partition, ahead of a good record
    TestKafka.send(
        Topics.ISSUANCE_EVENTS,
        poisonKey,
        "{not json",
        RegistryFixture.headers(
            UUID.randomUUID(), "tanso.issuance.IssuanceApproved.v1", poisonKey));
    publish(good);
    awaitBalance(a, 42);
    List<TestKafka.Received> dead =
        TestKafka.readUntil(
            Topics.deadLetter(Topics.ISSUANCE_EVENTS, "registry-service"),
            got -> got.stream().anyMatch(r -> poisonKey.equals(r.key())),
            Duration.ofSeconds(30));
    TestKafka.Received poison =
        dead.stream().filter(r -> poisonKey.equals(r.key())).findFirst().orElseThrow();
    assertEquals("{not json", poison.value());
    assertNotNull(poison.headers().get("dead-letter-reason"));
    // the copy names the original by topic, partition and offset: audit-service identifies a copy
    // of a record
    // without ce_id by these headers, so they are checked here against the connector's real
    // dead-letter copy
    assertEquals(Topics.ISSUANCE_EVENTS, poison.headers().get("dead-letter-topic"));
    int partition = Integer.parseInt(poison.headers().get("dead-letter-partition"));
    long offset = Long.parseLong(poison.headers().get("dead-letter-offset"));
    TestKafka.Received original =
        TestKafka.readToEnd(Topics.ISSUANCE_EVENTS).stream()
            .filter(r -> r.partition() == partition && r.offset() == offset)
            .findFirst()
            .orElseThrow();
    assertEquals(poisonKey, original.key());
    assertEquals("{not json", original.value());
  }

  @Test
  void otherIssuanceEventTypesAreIgnored() throws Exception {
    String dev = participant("VN");
    String a = holdingAccount(dev);
    IssuanceApproved approved = jcm(unique("VN"), 5, Map.of(a, 100));
    TestKafka.send(
        Topics.ISSUANCE_EVENTS,
        approved.requestId(),
        RegistryFixture.JSON.writeValueAsString(approved),
        RegistryFixture.headers(
            UUID.randomUUID(), "tanso.issuance.IssuanceRequested.v1", approved.requestId()));
    List<TestKafka.Received> published = settledRegistryEvents();
    assertEquals(0, balance(a), "balance after an IssuanceRequested record");
    assertEquals(
        0,
        RegistryInvariants.count(
            dataSource,
            "SELECT count(*) FROM unit_issuance WHERE request_id = '"
                + approved.requestId()
                + "'"));
    assertEquals(
        List.of(),
        published.stream()
            .filter(r -> r.value() != null && r.value().contains(approved.requestId()))
            .toList());
  }

  /**
   * Everything on tanso.registry.events once registry-service has consumed all that
   * tanso.issuance.events holds now and its relay has published all it committed.
   */
  private List<TestKafka.Received> settledRegistryEvents() {
    TestKafka.awaitConsumed("registry-service", Topics.ISSUANCE_EVENTS, Duration.ofSeconds(30));
    OutboxTable.awaitDrained(dataSource, Duration.ofSeconds(30));
    return TestKafka.readToEnd(Topics.REGISTRY_EVENTS);
  }

  static JsonNode awaitEvent(String topic, String type, String requestId) throws Exception {
    List<TestKafka.Received> found = eventsFor(requestId, type, 1);
    assertTrue(!found.isEmpty(), "no " + type + " for " + requestId);
    return RegistryFixture.JSON.readTree(found.get(0).value());
  }

  static List<TestKafka.Received> eventsFor(String requestId, String type, int atLeast) {
    return TestKafka.readUntil(
            Topics.REGISTRY_EVENTS,
            got -> got.stream().filter(r -> matches(r, requestId, type)).count() >= atLeast,
            Duration.ofSeconds(30))
        .stream()
        .filter(r -> matches(r, requestId, type))
        .toList();
  }

  private static boolean matches(TestKafka.Received r, String requestId, String type) {
    if (!type.equals(r.headers().get("ce_type")) || r.value() == null) {
      return false;
    }
    try {
      JsonNode requested = RegistryFixture.JSON.readTree(r.value()).get("requestId");
      return requested != null && requestId.equals(requested.asText());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return false;
    }
  }

  static String checkDigits(String body) {
    StringBuilder digits = new StringBuilder();
    for (char ch : body.toCharArray()) {
      digits.append(Character.isLetter(ch) ? String.valueOf(ch - 'A' + 10) : String.valueOf(ch));
    }
    int r =
        new java.math.BigInteger(digits + "00").mod(java.math.BigInteger.valueOf(97)).intValue();
    return String.format("%02d", 98 - r);
  }
}
