package org.tanso.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tanso.events.Topics;
import org.tanso.testing.BadRequest;
import org.tanso.testing.DatabaseSnapshot;
import org.tanso.testing.TestTokens;

/**
 * Broken and hostile queries to audit-service, each with the status and problem code it must get,
 * and no change in the log. Control queries with the same tokens succeed first, so a suite where
 * every token were refused would fail.
 */
@QuarkusTest
class BadInputTest {

  /** Every case below; fewer means some were lost. */
  private static final int MIN_CASES = 43;

  @Inject AgroalDataSource dataSource;

  @Test
  void badQueriesGetProblemsAndChangeNothing() throws Exception {
    String subject = "BI" + UUID.randomUUID().toString().substring(0, 8);
    AuditFixture.awaitEntry(
        subject + "-1",
        AuditFixture.publish(
            Topics.REGISTRY_EVENTS, "tanso.registry.AccountOpened.v1", subject + "-1", "{}"));
    // two entries at least, so that seq=5&treeSize=2 is refused for the seq and not for an unknown
    // tree size
    long logged =
        AuditFixture.awaitEntry(
            subject,
            AuditFixture.publish(
                Topics.REGISTRY_EVENTS, "tanso.registry.AccountOpened.v1", subject, "{}"));
    String reg = TestTokens.regulator();
    String operator = TestTokens.marketOperator();
    String admin = TestTokens.registryAdmin("x");
    String developer = TestTokens.projectDeveloper("P1");
    // the periodic checkpoint is the log's only background writer: let it catch up first
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(
            () -> {
              var latest =
                  io.restassured.RestAssured.given()
                      .auth()
                      .oauth2(reg)
                      .get("/audit/checkpoints/latest");
              return latest.statusCode() == 200 && latest.jsonPath().getLong("treeSize") >= logged;
            });

    // controls: the tokens and queries the cases break are accepted when nothing is broken
    BadRequest.control(
        "entries read by the regulator",
        "GET",
        "/audit/entries?subject=" + subject + "&limit=10",
        reg,
        null);
    BadRequest.control("entry read by the regulator", "GET", "/audit/entries/" + logged, reg, null);
    BadRequest.control(
        "inclusion proof", "GET", "/audit/proofs/inclusion?seq=1&treeSize=2", reg, null);
    BadRequest.control(
        "consistency proof", "GET", "/audit/proofs/consistency?first=1&second=2", reg, null);
    for (String token : List.of(operator, admin, developer)) {
      BadRequest.control("checkpoint read", "GET", "/audit/checkpoints/latest", token, null);
    }

    List<BadRequest> requests = new ArrayList<>();
    for (String query :
        List.of(
            "seq=0",
            "seq=-1",
            "seq=abc",
            "seq=1.5",
            "seq=99999999999999999999",
            "seq=1&treeSize=0",
            "seq=5&treeSize=2",
            "seq=%00",
            "")) {
      requests.add(
          BadRequest.get("inclusion " + query, "/audit/proofs/inclusion?" + query, reg)
              .expect(400, "MALFORMED_REQUEST"));
    }
    requests.add(
        BadRequest.get(
                "inclusion seq=1&treeSize=999999999",
                "/audit/proofs/inclusion?seq=1&treeSize=999999999",
                reg)
            .expect(404, "TREE_SIZE_UNKNOWN"));
    for (String query :
        List.of("first=0&second=1", "first=3&second=2", "first=a&second=b", "first=1", "")) {
      requests.add(
          BadRequest.get("consistency " + query, "/audit/proofs/consistency?" + query, reg)
              .expect(400, "MALFORMED_REQUEST"));
    }
    requests.add(
        BadRequest.get(
                "consistency first=1&second=999999999",
                "/audit/proofs/consistency?first=1&second=999999999",
                reg)
            .expect(404, "TREE_SIZE_UNKNOWN"));
    for (String query :
        List.of(
            "limit=0",
            "limit=1001",
            "limit=x",
            "after=garbage",
            "after=czot",
            "from=yesterday",
            "to=2025-13-01T00:00:00Z",
            "from=2025-01-01",
            "subject=%00",
            "type=%0A",
            "subject=a%7Fb")) {
      requests.add(
          BadRequest.get("entries " + query, "/audit/entries?" + query, reg)
              .expect(400, "MALFORMED_REQUEST"));
    }
    for (String seq : List.of("0", "-5", "abc", "1e3", "%00")) {
      requests.add(
          BadRequest.get("entry " + seq, "/audit/entries/" + seq, reg)
              .expect(400, "MALFORMED_REQUEST"));
    }
    requests.add(
        BadRequest.get("entry 999999999", "/audit/entries/999999999", reg)
            .expect(404, "ENTRY_NOT_FOUND"));
    for (String token : List.of(operator, admin, developer)) {
      requests.add(
          BadRequest.get(
                  "verification as "
                      + token.substring(0, Math.min(12, token.length()))
                      + token.length(),
                  "/audit/verification",
                  token)
              .expect(403, "FORBIDDEN"));
    }
    requests.add(
        BadRequest.get("entries as a developer", "/audit/entries", developer)
            .expect(403, "FORBIDDEN"));
    requests.add(
        BadRequest.get("verification as abc", "/audit/verification", "abc")
            .expect(401, "UNAUTHORIZED"));
    requests.add(BadRequest.get("no token", "/audit/entries", null).expect(401, "UNAUTHORIZED"));
    requests.add(
        BadRequest.get(
                "foreign-signed token",
                "/audit/entries",
                TestTokens.signedByStranger("regulator", null))
            .expect(401, "UNAUTHORIZED"));
    requests.add(
        BadRequest.post("writing to the log", "/audit/entries", reg, "{\"seq\":1}")
            .expect(405, "METHOD_NOT_ALLOWED"));
    requests.add(
        BadRequest.post(
                "oversized body",
                "/audit/entries",
                reg,
                "{\"pad\":\"" + "x".repeat(1_100_000) + "\"}")
            .expect(413, "BODY_TOO_LARGE"));
    requests.add(BadRequest.get("unknown path", "/audit/nothing", reg).expect(404, "NOT_FOUND"));
    assertTrue(requests.size() >= MIN_CASES, "cases: " + requests.size());

    Map<String, String> before = DatabaseSnapshot.of(dataSource);
    Map<String, Integer> codes = BadRequest.sendAll(requests);
    assertEquals(before, DatabaseSnapshot.of(dataSource), "bad queries changed the database");
    Log.infof(
        "audit-service: %d bad requests, each with the status and code it expects: %s",
        requests.size(), codes);
  }
}
