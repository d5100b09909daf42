package org.tanso.registry.international;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.registry.RegistryFixture.admin;
import static org.tanso.registry.RegistryFixture.awaitBalance;
import static org.tanso.registry.RegistryFixture.balance;
import static org.tanso.registry.RegistryFixture.changeStatus;
import static org.tanso.registry.RegistryFixture.holdingAccount;
import static org.tanso.registry.RegistryFixture.holdings;
import static org.tanso.registry.RegistryFixture.issue;
import static org.tanso.registry.RegistryFixture.ndc;
import static org.tanso.registry.RegistryFixture.participant;
import static org.tanso.registry.RegistryFixture.transaction;
import static org.tanso.registry.RegistryFixture.unique;
import static org.tanso.registry.international.OutgoingTransfersTest.awaitStatus;
import static org.tanso.registry.international.OutgoingTransfersTest.block;
import static org.tanso.registry.international.OutgoingTransfersTest.bySerials;
import static org.tanso.registry.international.OutgoingTransfersTest.ca;
import static org.tanso.registry.international.OutgoingTransfersTest.international;
import static org.tanso.registry.international.PeerRegistry.ANSWERED;
import static org.tanso.registry.international.PeerRegistry.COMPLETED;
import static org.tanso.registry.international.PeerRegistry.PROPOSED;
import static org.tanso.registry.international.PeerRegistry.TO_VN;
import static org.tanso.registry.international.PeerRegistry.VN;
import static org.tanso.registry.international.PeerRegistry.accept;
import static org.tanso.registry.international.PeerRegistry.awaitDeadLettered;
import static org.tanso.registry.international.PeerRegistry.awaitHandled;
import static org.tanso.registry.international.PeerRegistry.awaitRegistryEvents;
import static org.tanso.registry.international.PeerRegistry.awaitSent;
import static org.tanso.registry.international.PeerRegistry.complete;
import static org.tanso.registry.international.PeerRegistry.deadLettered;
import static org.tanso.registry.international.PeerRegistry.foreignAccount;
import static org.tanso.registry.international.PeerRegistry.propose;
import static org.tanso.registry.international.PeerRegistry.sent;
import static org.tanso.registry.international.PeerRegistry.terminate;
import static org.tanso.registry.international.PeerRegistry.units;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tanso.events.interregistry.TransferCompleted;
import org.tanso.events.interregistry.TransferProposed;
import org.tanso.events.interregistry.TransferredUnits;
import org.tanso.registry.RegistryFixture;
import org.tanso.registry.RegistryInvariants;
import org.tanso.testing.Rows;

/** VN-JCM (the test) proposes international transfers to accounts in this registry (JP-JCM). */
@QuarkusTest
class IncomingTransfersTest {

  @Inject AgroalDataSource dataSource;

  @AfterEach
  void invariants() throws Exception {
    RegistryInvariants.assertAllHold(dataSource);
  }

  /** A unit id VN-JCM issued (unknown here). */
  static String vnUnitId() {
    return "JCM-VN-" + unique("VNPR") + "-2025-0001";
  }

  static String newTransfer() {
    return UUID.randomUUID().toString();
  }

  static JsonNode awaitAnswer(String id) {
    return awaitSent(ANSWERED, id);
  }

  long transfersRecorded(String id) {
    return Rows.number(
        dataSource, "SELECT count(*) FROM international_transfer WHERE id = CAST(? AS uuid)", id);
  }

  long blocksOf(String unitId) {
    return Rows.number(dataSource, "SELECT count(*) FROM credit_block WHERE unit_id = ?", unitId);
  }

  @Test
  void anAcceptedProposalCreatesNothingUntilTheSenderCompletesIt() {
    String account = holdingAccount(participant("JP"));
    String applied = vnUnitId();
    String pending = vnUnitId();
    List<TransferredUnits> proposed =
        List.of(units(applied, 1, 30, 30, "PENDING"), units(pending, 1, 20, 20, "PENDING"));
    String id = newTransfer();

    propose(id, account, proposed);

    JsonNode answer = awaitAnswer(id);
    assertEquals("ACCEPTED", answer.path("answer").asText());
    assertEquals("JP-JCM", answer.path("fromRegistry").asText());
    assertEquals(VN, answer.path("toRegistry").asText());
    awaitHandled();
    assertEquals(0, balance(account));
    assertTrue(holdings(account).isEmpty());
    assertEquals(0, blocksOf(applied));
    given().auth().oauth2(admin()).get("/units/" + applied + "/1").then().statusCode(404);
    assertEquals("ACCEPTED", international(id).getString("status"));
    assertEquals("INCOMING", international(id).getString("direction"));

    // at completion the first transfer has happened for the NDC units: the sender applied it
    complete(
        id, List.of(units(applied, 1, 30, 30, "APPLIED"), units(pending, 1, 20, 20, "PENDING")));
    awaitBalance(account, 50);

    awaitStatus(id, "COMPLETED");
    List<Map<String, Object>> held = holdings(account);
    assertEquals(2, held.size());
    Map<String, Object> a = block(held, applied, 1);
    assertEquals(30L, ((Number) a.get("end")).longValue());
    assertEquals("ACTIVE", a.get("state"));
    assertEquals("APPLIED", ca(a).get("status"));
    assertEquals("VN", ca(a).get("appliedBy"));
    assertEquals("2026-01-15T10:00:00Z", ca(a).get("appliedAt"));
    Map<String, Object> p = block(held, pending, 1);
    assertEquals(20L, ((Number) p.get("end")).longValue());
    assertEquals("ACTIVE", p.get("state"));
    assertEquals("PENDING", ca(p).get("status"));
    assertEquals(account, RegistryFixture.unit(applied, 17).getString("account"));

    var acquisition = transaction(id);
    assertEquals("ACQUISITION", acquisition.getString("kind"));
    assertEquals(account, acquisition.getString("to"));
    assertEquals(50, acquisition.getLong("quantity"));
    assertEquals(VN, acquisition.getString("counterpartRegistry"));
    List<JsonNode> acquired = awaitRegistryEvents("UnitsAcquired", "transferId", id);
    assertEquals(1, acquired.size());
    assertEquals(account, acquired.get(0).path("toAccount").asText());
    assertEquals(50, acquired.get(0).path("quantity").asLong());

    // the same completion again (a new message id) creates nothing more
    complete(
        id, List.of(units(applied, 1, 30, 30, "APPLIED"), units(pending, 1, 20, 20, "PENDING")));
    awaitHandled();
    assertEquals(50, balance(account));
    assertEquals(2, holdings(account).size());
  }

  @Test
  void proposalsThisRegistryCannotTakeAreRejectedWithTheirCode() {
    String suspended = holdingAccount(participant("JP"));
    changeStatus(suspended, "SUSPENDED");
    String closed = holdingAccount(participant("JP"));
    changeStatus(closed, "CLOSED");
    String open = holdingAccount(participant("JP"));
    String localUnits = issue(open, 10, ndc());
    String missing =
        new org.tanso.registry.account.domain.AccountNumber(
                "JP", org.tanso.registry.account.domain.AccountType.HOLDING, 999_998)
            .toString();

    record Case(String code, String toAccount, TransferredUnits units) {}
    List<Case> cases =
        List.of(
            new Case("ACCOUNT_NOT_FOUND", missing, units(vnUnitId(), 1, 5, 5, "PENDING")),
            new Case("ACCOUNT_NOT_OPEN", suspended, units(vnUnitId(), 1, 5, 5, "PENDING")),
            new Case("ACCOUNT_NOT_OPEN", closed, units(vnUnitId(), 1, 5, 5, "PENDING")),
            new Case("UNITS_ALREADY_HELD", open, units(localUnits, 3, 4, 10, "PENDING")),
            new Case(
                "UNITS_NOT_AUTHORISED",
                open,
                units(vnUnitId(), 1, 5, 5, "PENDING", null, List.of())));
    for (Case c : cases) {
      String id = newTransfer();
      propose(id, c.toAccount(), List.of(c.units()));
      JsonNode answer = awaitAnswer(id);
      assertEquals("REJECTED", answer.path("answer").asText(), c.toString());
      assertEquals(c.code(), answer.path("code").asText(), c.toString());
      assertEquals("REJECTED", international(id).getString("status"));
      assertEquals(c.toAccount(), international(id).getString("toAccount"));
    }
    awaitHandled();
    assertEquals(0, balance(suspended));
    assertEquals(0, balance(closed));
    assertEquals(10, balance(open));
    assertEquals(1, holdings(open).size());
  }

  @Test
  void aTransferTerminatedBeforeCompletionNeverCreatesUnits() {
    String account = holdingAccount(participant("JP"));
    String unitId = vnUnitId();
    String id = newTransfer();
    propose(id, account, List.of(units(unitId, 1, 8, 8, "PENDING")));
    awaitAnswer(id);

    terminate(id, "TIMEOUT");
    awaitStatus(id, "TERMINATED");
    complete(id, List.of(units(unitId, 1, 8, 8, "APPLIED")));

    awaitDeadLettered(id);
    awaitHandled();
    assertEquals("TERMINATED", international(id).getString("status"));
    assertEquals(0, balance(account));
    assertEquals(0, blocksOf(unitId));
    assertEquals(
        0,
        Rows.number(
            dataSource,
            "SELECT count(*) FROM registry_transaction WHERE id = CAST(? AS uuid)",
            id));
  }

  @Test
  void aTerminationThatOvertakesItsProposalMeansTheProposalIsIgnored() {
    String account = holdingAccount(participant("JP"));
    String unitId = vnUnitId();
    String id = newTransfer();

    terminate(id, "TIMEOUT");
    awaitHandled();
    assertEquals("TERMINATED", international(id).getString("status"));
    propose(id, account, List.of(units(unitId, 1, 8, 8, "PENDING")));
    awaitHandled();

    assertEquals(0, sent(TO_VN, ANSWERED, id).size());
    assertEquals("TERMINATED", international(id).getString("status"));
    assertEquals(0, balance(account));
    assertEquals(0, blocksOf(unitId));
  }

  @Test
  void messagesNotMeantForThisRegistryOrForNoSharedTransferAreDeadLettered() {
    String account = holdingAccount(participant("JP"));
    String unitId = vnUnitId();

    String toOther = newTransfer();
    PeerRegistry.send(
        PROPOSED,
        toOther,
        new TransferProposed(
            toOther,
            VN,
            "MN-JCM",
            foreignAccount("VN"),
            account,
            5,
            List.of(units(unitId, 1, 5, 5, "PENDING")),
            Instant.now()));
    String fromStranger = newTransfer();
    PeerRegistry.send(
        PROPOSED,
        fromStranger,
        new TransferProposed(
            fromStranger,
            "KR-JCM",
            "JP-JCM",
            foreignAccount("KR"),
            account,
            5,
            List.of(units(unitId, 1, 5, 5, "PENDING")),
            Instant.now()),
        UUID.randomUUID().toString(),
        "/tanso/registry/KR-JCM");
    String neverProposed = newTransfer();
    PeerRegistry.send(
        COMPLETED,
        neverProposed,
        new TransferCompleted(
            neverProposed,
            VN,
            "JP-JCM",
            List.of(units(unitId, 1, 5, 5, "APPLIED")),
            Instant.now()));
    String answerToNothing = newTransfer();
    accept(answerToNothing);

    for (String id : List.of(toOther, fromStranger, neverProposed, answerToNothing)) {
      assertEquals(1, awaitDeadLettered(id).size(), id);
    }
    awaitHandled();
    for (String id : List.of(toOther, fromStranger, neverProposed, answerToNothing)) {
      assertEquals(0, transfersRecorded(id), id);
      assertEquals(0, sent(TO_VN, ANSWERED, id).size(), id);
      assertEquals(1, deadLettered(id).size(), id);
    }
    assertEquals(0, balance(account));
    assertEquals(0, blocksOf(unitId));
  }

  @Test
  void unitsSentOutAndAcquiredBackReturnToTheirOldRows() {
    String alice = participant("JP");
    String account = holdingAccount(alice);
    String returnsTo = holdingAccount(participant("JP"));
    String unitId = issue(account, 100, ndc());
    String vnAccount = foreignAccount("VN");

    String out =
        OutgoingTransfersTest.propose(
                RegistryFixture.developer(alice), bySerials(account, vnAccount, unitId, 1, 40))
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    awaitSent(PROPOSED, out);
    accept(out);
    awaitStatus(out, "COMPLETED");
    JsonNode completed = awaitSent(COMPLETED, out);
    long rows = blocksOf(unitId);
    long oldRow =
        Rows.number(
            dataSource,
            "SELECT min(id) FROM credit_block WHERE unit_id = ? AND state = 'TRANSFERRED_OUT'",
            unitId);

    // VN-JCM sends serials 11..40 back, with the data it received
    TransferredUnits received =
        PeerRegistry.JSON.convertValue(completed.path("units").get(0), TransferredUnits.class);
    TransferredUnits back =
        new TransferredUnits(unitId, 11, 40, received.origin(), received.correspondingAdjustment());
    String in = newTransfer();
    propose(in, returnsTo, List.of(back));
    assertEquals("ACCEPTED", awaitAnswer(in).path("answer").asText());
    complete(in, List.of(back));
    awaitBalance(returnsTo, 30);

    List<Map<String, Object>> backHome = holdings(returnsTo);
    assertEquals(1, backHome.size());
    Map<String, Object> b = backHome.get(0);
    assertEquals(11L, ((Number) b.get("start")).longValue());
    assertEquals(40L, ((Number) b.get("end")).longValue());
    assertEquals("ACTIVE", b.get("state"));
    assertEquals("APPLIED", ca(b).get("status"));
    Map<String, Object> stillAway = block(holdings(account), unitId, 1);
    assertEquals(10L, ((Number) stillAway.get("end")).longValue());
    assertEquals("TRANSFERRED_OUT", stillAway.get("state"));
    // the returning serials took their old row (split from it), no second issuance record
    assertEquals(rows + 1, blocksOf(unitId));
    assertEquals(
        1, Rows.number(dataSource, "SELECT count(*) FROM unit_issuance WHERE unit_id = ?", unitId));
    assertEquals(
        0,
        Rows.number(
            dataSource,
            "SELECT count(*) FROM unit_issuance WHERE unit_id = ? AND acquired",
            unitId));
    assertEquals(ca(stillAway).get("firstTransfer"), ca(b).get("firstTransfer"));
    assertEquals(
        1,
        Rows.number(
            dataSource,
            "SELECT count(*) FROM credit_block WHERE id = ? AND unit_id = ?",
            oldRow,
            unitId));
    assertEquals(
        100,
        Rows.number(
            dataSource,
            "SELECT sum(serial_end - serial_start + 1) FROM credit_block WHERE unit_id = ?",
            unitId));
  }
}
