package org.tanso.registry;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.registry.RegistryFixture.account;
import static org.tanso.registry.RegistryFixture.admin;
import static org.tanso.registry.RegistryFixture.balance;
import static org.tanso.registry.RegistryFixture.cancel;
import static org.tanso.registry.RegistryFixture.changeStatus;
import static org.tanso.registry.RegistryFixture.developer;
import static org.tanso.registry.RegistryFixture.fund;
import static org.tanso.registry.RegistryFixture.holdingAccount;
import static org.tanso.registry.RegistryFixture.issue;
import static org.tanso.registry.RegistryFixture.ndc;
import static org.tanso.registry.RegistryFixture.participant;
import static org.tanso.registry.RegistryFixture.retire;
import static org.tanso.registry.RegistryFixture.transfer;
import static org.tanso.registry.RegistryFixture.transferBody;
import static org.tanso.testing.Lists.assertInOrder;
import static org.tanso.testing.Lists.assertMalformed;
import static org.tanso.testing.Lists.field;
import static org.tanso.testing.Lists.walk;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.util.PSQLException;
import org.tanso.registry.account.domain.AccountNumber;
import org.tanso.registry.account.domain.AccountType;
import org.tanso.registry.international.PeerRegistry;
import org.tanso.testing.TestTokens;

/**
 * The lists of registry-service: participants, accounts, an account's statement and international
 * transfers. Each is walked page by page with more items than a page (no repeats, no gaps, in
 * order), through every filter, with bad filter values refused, and without another participant's
 * data ever showing.
 */
@QuarkusTest
class ListsTest {

  @Inject AgroalDataSource dataSource;

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String url;

  @ConfigProperty(name = "quarkus.datasource.username")
  String user;

  @ConfigProperty(name = "quarkus.datasource.password")
  Optional<String> password;

  @AfterEach
  void invariants() throws Exception {
    RegistryInvariants.assertAllHold(dataSource);
  }

  // participants

  @Test
  void participantsAreListedInRegistrationOrderPageByPage() {
    List<String> mine = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      mine.add(participant(i % 2 == 0 ? "JP" : "VN"));
    }
    List<Map<String, Object>> all = walk(admin(), "/participants", Map.of(), 3);
    assertTrue(all.size() > 3, "more than one page");
    assertInOrder(mine, field(all, "id"));
    Map<String, Object> first = all.get(field(all, "id").indexOf(mine.get(0)));
    assertEquals("Participant " + mine.get(0), first.get("name"));
    assertEquals("JP", first.get("party"));
    assertInOrder(mine, field(walk(TestTokens.regulator(), "/participants", Map.of(), 4), "id"));

    given()
        .auth()
        .oauth2(developer(mine.get(0)))
        .get("/participants")
        .then()
        .statusCode(403)
        .body("code", is("FORBIDDEN"));
    given().auth().oauth2(TestTokens.marketOperator()).get("/participants").then().statusCode(403);
    assertMalformed(admin(), "/participants", Map.of("party", "JP"));
    assertMalformed(admin(), "/participants", Map.of("limit", "0"));
    assertMalformed(admin(), "/participants", Map.of("after", "not-a-cursor"));
  }

  // accounts

  @Test
  void accountsAreFilteredByHolderPartyTypeAndStatusAndADeveloperSeesOnlyItsOwn() {
    String alice = participant("JP");
    String bob = participant("VN");
    String a1 = holdingAccount(alice);
    String a2 = account(alice, "VN", "HOLDING");
    String a3 = account(alice, "JP", "GOVERNMENT_HOLDING");
    String a4 = holdingAccount(alice);
    String b1 = holdingAccount(bob);
    String b2 = account(bob, "VN", "HOLDING");
    changeStatus(a4, "SUSPENDED");
    fund(a1, 25);

    List<Map<String, Object>> alices = walk(admin(), "/accounts", Map.of("holder", alice), 2);
    assertEquals(List.of(a1, a2, a3, a4), field(alices, "number"));
    Map<String, Object> first = alices.get(0);
    assertEquals(alice, first.get("holder"));
    assertEquals("JP", first.get("party"));
    assertEquals("HOLDING", first.get("type"));
    assertEquals("OPEN", first.get("status"));
    assertEquals(25, ((Number) first.get("balance")).intValue());
    assertEquals(0, ((Number) first.get("reserved")).intValue());
    assertEquals("SUSPENDED", alices.get(3).get("status"));

    assertEquals(
        List.of(a2),
        field(walk(admin(), "/accounts", Map.of("holder", alice, "party", "VN"), 2), "number"));
    assertEquals(
        List.of(a3),
        field(
            walk(admin(), "/accounts", Map.of("holder", alice, "type", "GOVERNMENT_HOLDING"), 2),
            "number"));
    assertEquals(
        List.of(a4),
        field(
            walk(admin(), "/accounts", Map.of("holder", alice, "status", "SUSPENDED"), 2),
            "number"));
    assertEquals(
        List.of(a1, a2, a3),
        field(walk(admin(), "/accounts", Map.of("holder", alice, "status", "OPEN"), 2), "number"));
    assertEquals(
        List.of(b1, b2),
        field(walk(TestTokens.regulator(), "/accounts", Map.of("holder", bob), 1), "number"));
    // filters without a holder, across everyone's accounts
    List<Map<String, Object>> vn = walk(admin(), "/accounts", Map.of("party", "VN"), 5);
    assertInOrder(List.of(a2, b2), field(vn, "number"));
    assertTrue(vn.stream().allMatch(a -> "VN".equals(a.get("party"))), vn.toString());
    List<Map<String, Object>> suspended =
        walk(admin(), "/accounts", Map.of("status", "SUSPENDED", "type", "HOLDING"), 5);
    assertInOrder(List.of(a4), field(suspended, "number"));
    assertTrue(
        suspended.stream()
            .allMatch(a -> "SUSPENDED".equals(a.get("status")) && "HOLDING".equals(a.get("type"))),
        suspended.toString());
    List<Map<String, Object>> everything = walk(admin(), "/accounts", Map.of(), 50);
    assertInOrder(List.of(a1, a2, a3, a4, b1, b2), field(everything, "number"));

    // a project developer gets its participant's accounts only, whatever it asks
    String asAlice = developer(alice);
    assertEquals(List.of(a1, a2, a3, a4), field(walk(asAlice, "/accounts", Map.of(), 3), "number"));
    assertEquals(List.of(), walk(asAlice, "/accounts", Map.of("holder", bob), 3));
    assertEquals(
        List.of(a1, a2, a3, a4),
        field(walk(asAlice, "/accounts", Map.of("holder", alice), 3), "number"));
    assertEquals(
        List.of(a2), field(walk(asAlice, "/accounts", Map.of("party", "VN"), 3), "number"));
    assertEquals(List.of(b1, b2), field(walk(developer(bob), "/accounts", Map.of(), 1), "number"));
    assertEquals(
        List.of(),
        walk(
            TestTokens.withGroups(List.of("project-developer"), null, "nobody"),
            "/accounts",
            Map.of(),
            3));
    given()
        .auth()
        .oauth2(TestTokens.marketOperator())
        .get("/accounts")
        .then()
        .statusCode(403)
        .body("code", is("FORBIDDEN"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "type=FOO",
        "type=holding",
        "status=OPENED",
        "party=XX",
        "party=jp",
        "party=JPN",
        "holder=not a participant",
        "holder=" + "x" + "123456789012345678901234567890123456789012345678901234567890123456",
        "unknown=1",
        "holder=A&holder=B",
        "limit=1001",
        "limit=-1",
        "after=abc"
      })
  void badAccountFiltersAreMalformedRequests(String query) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      String[] kv = pair.split("=", 2);
      parameters.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(kv[1]);
    }
    for (String token : List.of(admin(), developer(participant("JP")))) {
      RequestSpecification request = given().auth().oauth2(token);
      parameters.forEach((k, v) -> request.queryParam(k, v.toArray()));
      request
          .get("/accounts")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("code", is("MALFORMED_REQUEST"));
    }
  }

  // the account statement

  @Test
  void theStatementListsEveryMovementWithItsEffectAndTheBalanceAfterIt() {
    String alice = participant("JP");
    String bob = participant("JP");
    String account = holdingAccount(alice);
    String second = holdingAccount(alice);
    String bobs = holdingAccount(bob);
    String unitId = "JCM-VN-" + fund(account, 100) + "-2025-0001";
    fund(bobs, 50);
    String out = id(transfer(developer(alice), transferBody(account, bobs, 30)));
    String in = id(transfer(developer(bob), transferBody(bobs, account, 12)));
    String retired = id(retire(developer(alice), account, 5));
    String cancelled = id(cancel(developer(alice), account, 7));
    String moved = id(transfer(developer(alice), transferBody(account, second, 8)));

    List<Map<String, Object>> lines =
        walk(developer(alice), "/accounts/" + account + "/transactions", Map.of(), 2);
    assertEquals(
        List.of("ISSUANCE", "TRANSFER", "TRANSFER", "RETIREMENT", "CANCELLATION", "TRANSFER"),
        field(lines, "kind"));
    assertEquals(List.of("IN", "OUT", "IN", "OUT", "OUT", "OUT"), field(lines, "direction"));
    assertEquals(List.of(unitId, out, in, retired, cancelled, moved), field(lines, "reference"));
    assertEquals(List.of("100", "30", "12", "5", "7", "8"), field(lines, "quantity"));
    assertEquals(List.of("100", "-30", "12", "-5", "-7", "-8"), field(lines, "effect"));
    long running = 0;
    for (int i = 0; i < lines.size(); i++) {
      Map<String, Object> line = lines.get(i);
      assertEquals(i + 1, ((Number) line.get("seq")).intValue(), "movements numbered 1, 2, ...");
      running += ((Number) line.get("effect")).longValue();
      assertEquals(running, ((Number) line.get("balanceAfter")).longValue(), line.toString());
    }
    assertEquals(62, running);
    assertEquals(balance(account), running, "the last balance after is the account's balance");
    assertEquals(null, lines.get(0).get("counterparty"));
    assertEquals(Map.of("account", bobs), lines.get(1).get("counterparty"));
    assertEquals(Map.of("account", bobs), lines.get(2).get("counterparty"));
    assertEquals(null, lines.get(3).get("counterparty"));
    assertTrue(
        String.valueOf(lines.get(4).get("counterparty")).contains("-500-"),
        "a cancellation goes to the cancellation account: " + lines.get(4));
    assertEquals(Map.of("account", second), lines.get(5).get("counterparty"));
    // the receiving side of the same transfers
    List<Map<String, Object>> bobsLines =
        walk(admin(), "/accounts/" + bobs + "/transactions", Map.of(), 10);
    assertEquals(List.of("50", "30", "-12"), field(bobsLines, "effect"));
    assertEquals(List.of("50", "80", "68"), field(bobsLines, "balanceAfter"));
    assertEquals(List.of(out, in), field(bobsLines, "reference").subList(1, 3));
    assertEquals(
        List.of("8"),
        field(
            walk(admin(), "/accounts/" + second + "/transactions", Map.of(), 10), "balanceAfter"));

    // from (inclusive) and to (exclusive) as instants; dates are whole UTC days
    String third = (String) lines.get(2).get("at");
    assertEquals(
        List.of(in, retired, cancelled, moved),
        field(
            walk(admin(), "/accounts/" + account + "/transactions", Map.of("from", third), 3),
            "reference"));
    assertEquals(
        List.of(unitId, out),
        field(
            walk(admin(), "/accounts/" + account + "/transactions", Map.of("to", third), 3),
            "reference"));
    assertEquals(
        List.of(in),
        field(
            walk(
                admin(),
                "/accounts/" + account + "/transactions",
                Map.of("from", third, "to", lines.get(3).get("at")),
                3),
            "reference"));
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
    assertEquals(
        6,
        walk(
                TestTokens.regulator(),
                "/accounts/" + account + "/transactions",
                Map.of("from", today, "to", today),
                4)
            .size());
    assertEquals(
        List.of(),
        walk(admin(), "/accounts/" + account + "/transactions", Map.of("to", yesterday), 4));
    assertEquals(
        6,
        walk(
                admin(),
                "/accounts/" + account + "/transactions",
                Map.of("from", yesterday + "T23:00:00-01:00"),
                4)
            .size());

    // who: as GET /accounts/{number}
    given()
        .auth()
        .oauth2(developer(bob))
        .get("/accounts/" + account + "/transactions")
        .then()
        .statusCode(403)
        .body("code", is("FORBIDDEN"));
    given()
        .auth()
        .oauth2(TestTokens.marketOperator())
        .get("/accounts/" + account + "/transactions")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(admin())
        .get("/accounts/" + new AccountNumber("JP", AccountType.HOLDING, 999_998) + "/transactions")
        .then()
        .statusCode(404)
        .body("code", is("ACCOUNT_NOT_FOUND"));
    String path = "/accounts/" + account + "/transactions";
    assertMalformed(admin(), "/accounts/JP-100-000001-00/transactions", Map.of());
    assertMalformed(admin(), path, Map.of("from", "yesterday"));
    assertMalformed(admin(), path, Map.of("from", "2026-13-01"));
    assertMalformed(admin(), path, Map.of("to", "2026-12-01T10:00:00"));
    assertMalformed(admin(), path, Map.of("from", today, "to", yesterday));
    assertMalformed(
        admin(), path, Map.of("from", "2026-12-01T10:00:00Z", "to", "2026-12-01T09:59:59Z"));
    assertMalformed(admin(), path, Map.of("kind", "TRANSFER"));
    assertMalformed(admin(), path, Map.of("after", "bQ"));
  }

  @Test
  void theDatabaseRefusesABalanceChangeWithoutItsStatementLine() throws Exception {
    String account = holdingAccount(participant("JP"));
    fund(account, 10);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement s =
          c.prepareStatement("UPDATE account SET balance = balance - 1 WHERE number = ?")) {
        s.setString(1, account);
        assertEquals(1, s.executeUpdate());
      }
      PSQLException refused = assertThrows(PSQLException.class, c::commit);
      assertEquals("23514", refused.getSQLState(), refused.getMessage());
      assertTrue(
          refused.getMessage().contains("its statement ends with balance 10"),
          refused.getMessage());
    }
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      PSQLException refused =
          assertThrows(
              PSQLException.class,
              () ->
                  s.executeUpdate(
                      "DELETE FROM account_movement WHERE account = '" + account + "'"));
      assertTrue(refused.getMessage().contains("append-only"), refused.getMessage());
    }
    assertEquals(10, balance(account));
  }

  // international transfers

  @Test
  void internationalTransfersAreListedToTheirPartiesByStatus() {
    String alice = participant("JP");
    String bob = participant("JP");
    String account = holdingAccount(alice);
    String bobs = holdingAccount(bob);
    issue(account, 100, ndc());
    issue(bobs, 100, ndc());
    List<String> alices = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      alices.add(propose(developer(alice), account, i));
    }
    String bobsTransfer = propose(developer(bob), bobs, 4);
    PeerRegistry.reject(alices.get(1), "ACCOUNT_NOT_FOUND");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                "TERMINATED"
                    .equals(
                        given()
                            .auth()
                            .oauth2(admin())
                            .get("/international-transfers/" + alices.get(1))
                            .then()
                            .extract()
                            .path("status")));

    List<Map<String, Object>> everything = walk(admin(), "/international-transfers", Map.of(), 2);
    assertInOrder(
        List.of(alices.get(0), alices.get(1), alices.get(2), bobsTransfer),
        field(everything, "id"));
    List<Map<String, Object>> proposed =
        walk(TestTokens.regulator(), "/international-transfers", Map.of("status", "PROPOSED"), 2);
    assertInOrder(List.of(alices.get(0), alices.get(2), bobsTransfer), field(proposed, "id"));
    assertTrue(proposed.stream().allMatch(t -> "PROPOSED".equals(t.get("status"))));
    assertInOrder(
        List.of(alices.get(1)),
        field(walk(admin(), "/international-transfers", Map.of("status", "TERMINATED"), 2), "id"));

    // a holder sees the transfers of its own accounts only
    List<Map<String, Object>> asAlice =
        walk(developer(alice), "/international-transfers", Map.of(), 1);
    assertEquals(alices, field(asAlice, "id"));
    Map<String, Object> first = asAlice.get(0);
    assertEquals("OUTGOING", first.get("direction"));
    assertEquals(account, first.get("from"));
    assertEquals(1, ((Number) first.get("quantity")).intValue());
    assertEquals(
        List.of(alices.get(1)),
        field(
            walk(developer(alice), "/international-transfers", Map.of("status", "TERMINATED"), 1),
            "id"));
    assertEquals(
        List.of(bobsTransfer),
        field(walk(developer(bob), "/international-transfers", Map.of(), 1), "id"));
    assertEquals(
        List.of(), walk(developer(participant("JP")), "/international-transfers", Map.of(), 5));

    // the reservations and the release are in the statement
    List<Map<String, Object>> lines =
        walk(developer(alice), "/accounts/" + account + "/transactions", Map.of(), 10);
    assertEquals(
        List.of("ISSUANCE", "RESERVATION", "RESERVATION", "RESERVATION", "RESERVATION_RELEASE"),
        field(lines, "kind"));
    assertEquals(List.of("100", "-1", "-2", "-3", "2"), field(lines, "effect"));
    assertEquals(List.of("100", "99", "97", "94", "96"), field(lines, "balanceAfter"));
    assertEquals(
        Map.of("registry", PeerRegistry.VN, "account", (String) first.get("toAccount")),
        lines.get(1).get("counterparty"));
    assertEquals(96, balance(account));

    for (String bad : List.of("proposed", "DONE", "PROPOSED,COMPLETED")) {
      assertMalformed(admin(), "/international-transfers", Map.of("status", bad));
      assertMalformed(developer(alice), "/international-transfers", Map.of("status", bad));
    }
    assertMalformed(admin(), "/international-transfers", Map.of("direction", "OUT"));
    given()
        .auth()
        .oauth2(TestTokens.marketOperator())
        .get("/international-transfers")
        .then()
        .statusCode(403);
  }

  private static String propose(String token, String from, long quantity) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("from", from);
    body.put("toRegistry", PeerRegistry.VN);
    body.put("toAccount", PeerRegistry.foreignAccount("VN"));
    body.put("quantity", quantity);
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/international-transfers")
        .then()
        .statusCode(202)
        .extract()
        .path("id");
  }

  private static String id(io.restassured.response.Response response) {
    return response.then().statusCode(201).extract().path("id");
  }

  // the history recorded before statements existed

  @Test
  void theMigrationRebuildsTheStatementsOfTheHistoryBeforeIt() throws Exception {
    String database =
        "registry_statement_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    execute(url, "CREATE DATABASE " + database);
    String scratch = url.replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
    try {
      flyway(scratch, "4").migrate();
      // A: 100 issued, 30 to B, 12 back from B, 5 retired, 7 cancelled, 4 reserved for a transfer
      // that
      //    completed, 6 for one that was terminated  → 100 - 30 + 12 - 5 - 7 - 4 = 66
      // B: 30 in, 12 out, 9 acquired from VN-JCM → 27;  C: 40 with no recorded history
      execute(
          scratch,
          """
          INSERT INTO participant (id, name, party) VALUES ('PA', 'a', 'JP'), ('PB', 'b', 'JP'), ('REG', 'r', 'JP');
          INSERT INTO account (number, party, type, holder, status, balance, opened_at) VALUES
            ('JP-100-000010-01', 'JP', 'HOLDING', 'PA', 'OPEN', 66, '2026-01-01T00:00:00Z'),
            ('JP-100-000011-01', 'JP', 'HOLDING', 'PB', 'OPEN', 27, '2026-01-01T00:00:01Z'),
            ('JP-100-000012-01', 'JP', 'HOLDING', 'PB', 'OPEN', 40, '2026-01-01T00:00:02Z'),
            ('JP-500-000002-01', 'JP', 'CANCELLATION', 'REG', 'OPEN', 0, '2026-01-01T00:00:00Z');
          INSERT INTO outbox_event (event_id, aggregatetype, aggregateid, type, subject, payload, occurred_at) VALUES
            (gen_random_uuid(), 'unit', 'U1', 'tanso.registry.CreditsIssued.v1', 'U1',
             '{"unitId":"U1","blocks":[{"account":"JP-100-000010-01","quantity":60,"state":"ACTIVE"},
               {"account":"JP-100-000010-01","quantity":40,"state":"ACTIVE"},
               {"account":"JP-500-000002-01","quantity":2,"state":"CANCELLED"}]}', '2026-01-02T00:00:00Z'),
            (gen_random_uuid(), 'account', 'x', 'tanso.registry.CreditsTransferred.v1', 'x', '{}', '2026-01-03T00:00:00Z');
          INSERT INTO registry_transaction (id, kind, from_account, to_account, quantity, initiated_by, created_at,
              counterpart_registry, counterpart_account) VALUES
            ('00000000-0000-0000-0000-000000000001', 'TRANSFER', 'JP-100-000010-01', 'JP-100-000011-01', 30, 'a', '2026-01-03T00:00:00Z', NULL, NULL),
            ('00000000-0000-0000-0000-000000000002', 'TRANSFER', 'JP-100-000011-01', 'JP-100-000010-01', 12, 'b', '2026-01-04T00:00:00Z', NULL, NULL),
            ('00000000-0000-0000-0000-000000000003', 'RETIREMENT', 'JP-100-000010-01', NULL, 5, 'a', '2026-01-05T00:00:00Z', NULL, NULL),
            ('00000000-0000-0000-0000-000000000004', 'CANCELLATION', 'JP-100-000010-01', 'JP-500-000002-01', 7, 'a', '2026-01-06T00:00:00Z', NULL, NULL),
            ('00000000-0000-0000-0000-000000000005', 'INTERNATIONAL_TRANSFER', 'JP-100-000010-01', NULL, 4, 'a', '2026-01-08T00:00:00Z', 'VN-JCM', 'VN-100-000001-01'),
            ('00000000-0000-0000-0000-000000000006', 'ACQUISITION', NULL, 'JP-100-000011-01', 9, 'VN-JCM', '2026-01-09T00:00:00Z', 'VN-JCM', 'VN-100-000002-01'),
            ('00000000-0000-0000-0000-000000000007', 'FIRST_TRANSFER', NULL, NULL, 4, 'a', '2026-01-08T00:00:00Z', NULL, NULL);
          INSERT INTO international_transfer (id, direction, status, from_registry, to_registry, from_account, to_account, quantity, units,
              proposed_at, completed_at, terminated_at) VALUES
            ('00000000-0000-0000-0000-000000000005', 'OUT', 'COMPLETED', 'JP-JCM', 'VN-JCM', 'JP-100-000010-01', 'VN-100-000001-01', 4, '[]',
             '2026-01-07T00:00:00Z', '2026-01-08T00:00:00Z', NULL),
            ('00000000-0000-0000-0000-000000000008', 'OUT', 'TERMINATED', 'JP-JCM', 'VN-JCM', 'JP-100-000010-01', 'VN-100-000001-01', 6, '[]',
             '2026-01-10T00:00:00Z', NULL, '2026-01-11T00:00:00Z'),
            ('00000000-0000-0000-0000-000000000006', 'IN', 'COMPLETED', 'VN-JCM', 'JP-JCM', 'VN-100-000002-01', 'JP-100-000011-01', 9, '[]',
             '2026-01-09T00:00:00Z', '2026-01-09T00:00:00Z', NULL);
          """);
      flyway(scratch, "latest").migrate();
      assertEquals(
          List.of(
              "JP-100-000010-01 1 ISSUANCE IN U1 100 100 100",
              "JP-100-000010-01 2 TRANSFER OUT 00000000-0000-0000-0000-000000000001 30 -30 70",
              "JP-100-000010-01 3 TRANSFER IN 00000000-0000-0000-0000-000000000002 12 12 82",
              "JP-100-000010-01 4 RETIREMENT OUT 00000000-0000-0000-0000-000000000003 5 -5 77",
              "JP-100-000010-01 5 CANCELLATION OUT 00000000-0000-0000-0000-000000000004 7 -7 70",
              "JP-100-000010-01 6 RESERVATION OUT 00000000-0000-0000-0000-000000000005 4 -4 66",
              "JP-100-000010-01 7 INTERNATIONAL_TRANSFER OUT 00000000-0000-0000-0000-000000000005 4 0 66",
              "JP-100-000010-01 8 RESERVATION OUT 00000000-0000-0000-0000-000000000008 6 -6 60",
              "JP-100-000010-01 9 RESERVATION_RELEASE IN 00000000-0000-0000-0000-000000000008 6 6 66",
              "JP-100-000011-01 1 TRANSFER IN 00000000-0000-0000-0000-000000000001 30 30 30",
              "JP-100-000011-01 2 TRANSFER OUT 00000000-0000-0000-0000-000000000002 12 -12 18",
              "JP-100-000011-01 3 ACQUISITION IN 00000000-0000-0000-0000-000000000006 9 9 27",
              "JP-100-000012-01 1 OPENING_BALANCE IN opening balance 40 40 40"),
          rows(
              scratch,
              "SELECT account || ' ' || seq || ' ' || kind || ' ' || direction || ' ' || reference || ' ' || quantity || ' ' || effect"
                  + " || ' ' || balance_after FROM account_movement ORDER BY account, seq"));
      assertEquals(
          List.of(
              "JP-100-000010-01 9",
              "JP-100-000011-01 3",
              "JP-100-000012-01 1",
              "JP-500-000002-01 0"),
          rows(scratch, "SELECT number || ' ' || movements FROM account ORDER BY number"));
    } finally {
      execute(url, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  private Flyway flyway(String jdbcUrl, String target) {
    return Flyway.configure()
        .dataSource(jdbcUrl, user, password.orElse(""))
        .locations("classpath:db/migration")
        .target(target)
        .load();
  }

  private void execute(String jdbcUrl, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password.orElse(""));
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private List<String> rows(String jdbcUrl, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password.orElse(""));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
