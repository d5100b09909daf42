package org.tanso.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tanso.events.Topics;
import org.tanso.testing.BadRequest;
import org.tanso.testing.DatabaseSnapshot;
import org.tanso.testing.TestTokens;

/** Broken and hostile queries to audit-service: 4xx problems with stable codes, and no change in the log. */
@QuarkusTest
class BadInputTest {

  @Inject AgroalDataSource dataSource;

  @Test
  void badQueriesGetProblemsAndChangeNothing() throws Exception {
    String subject = "BI" + UUID.randomUUID().toString().substring(0, 8);
    long logged = AuditFixture.awaitEntry(subject, AuditFixture.publish(Topics.REGISTRY_EVENTS, "tanso.registry.AccountOpened.v1", subject, "{}"));
    String reg = TestTokens.regulator();
    // the periodic checkpoint is the log's only background writer: let it catch up first
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
      var latest = io.restassured.RestAssured.given().auth().oauth2(reg).get("/audit/checkpoints/latest");
      return latest.statusCode() == 200 && latest.jsonPath().getLong("treeSize") >= logged;
    });
    List<BadRequest> requests = new ArrayList<>();
    for (String query : List.of("seq=0", "seq=-1", "seq=abc", "seq=1.5", "seq=99999999999999999999", "seq=1&treeSize=0", "seq=5&treeSize=2", "seq=1&treeSize=999999999",
        "seq=%00", "")) {
      requests.add(BadRequest.get("inclusion " + query, "/audit/proofs/inclusion?" + query, reg));
    }
    for (String query : List.of("first=0&second=1", "first=3&second=2", "first=a&second=b", "first=1&second=999999999", "first=1", "")) {
      requests.add(BadRequest.get("consistency " + query, "/audit/proofs/consistency?" + query, reg));
    }
    for (String query : List.of("limit=0", "limit=1001", "limit=x", "after=garbage", "after=czot", "from=yesterday", "to=2025-13-01T00:00:00Z",
        "from=2025-01-01", "subject=%00", "type=%0A", "subject=a%7Fb")) {
      requests.add(BadRequest.get("entries " + query, "/audit/entries?" + query, reg));
    }
    for (String seq : List.of("0", "-5", "abc", "999999999", "1e3", "%00")) {
      requests.add(BadRequest.get("entry " + seq, "/audit/entries/" + seq, reg));
    }
    for (String token : List.of(TestTokens.marketOperator(), TestTokens.registryAdmin("x"), TestTokens.projectDeveloper("P1"), "abc")) {
      requests.add(BadRequest.get("verification as " + token.substring(0, Math.min(12, token.length())) + token.length(), "/audit/verification", token));
    }
    requests.add(BadRequest.get("no token", "/audit/entries", null));
    requests.add(BadRequest.post("writing to the log", "/audit/entries", reg, "{\"seq\":1}"));
    requests.add(BadRequest.get("unknown path", "/audit/nothing", reg));

    Map<String, String> before = DatabaseSnapshot.of(dataSource);
    Map<String, Integer> codes = new TreeMap<>();
    Set<BadRequest> distinct = new LinkedHashSet<>();
    for (BadRequest bad : requests) {
      assertTrue(distinct.add(bad), "the same request twice: " + bad.name());
      codes.merge(bad.sendAndCheck(), 1, Integer::sum);
    }
    assertEquals(before, DatabaseSnapshot.of(dataSource), "bad queries changed the database");
    Log.infof("audit-service: %d bad requests, all 4xx problems: %s", requests.size(), codes);
  }
}
