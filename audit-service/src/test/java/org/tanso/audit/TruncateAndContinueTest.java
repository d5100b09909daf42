package org.tanso.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.audit.AuditFixture.awaitEntry;
import static org.tanso.audit.AuditFixture.publish;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.tanso.events.Topics;
import org.tanso.testing.TestTokens;

/**
 * The tail of the log removed by a superuser while the service keeps appending: the new entries
 * take the removed sequence numbers and a newer checkpoint signs the rewritten log, so only an
 * earlier signed checkpoint still tells. Runs on a database of its own (it leaves the log
 * tampered).
 */
@QuarkusTest
@TestProfile(TruncateAndContinueTest.OwnDatabase.class)
class TruncateAndContinueTest {

  public static class OwnDatabase implements QuarkusTestProfile {}

  @Inject
  @DataSource("migration")
  AgroalDataSource superuser;

  @Test
  void aTruncationCoveredByLaterAppendsIsFoundByTheEarlierCheckpoint() throws Exception {
    AuditFixture.settle();
    long signed = awaitCheckpoint(append("TC", 5));
    given()
        .auth()
        .oauth2(TestTokens.regulator())
        .get("/audit/verification")
        .then()
        .statusCode(200)
        .body("ok", is(true));

    long keep = signed - 2;
    try (Connection c = superuser.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SET session_replication_role = replica");
      s.executeUpdate("DELETE FROM audit_subject WHERE seq > " + keep);
      s.executeUpdate("DELETE FROM audit_entry WHERE seq > " + keep);
      s.executeUpdate("DELETE FROM merkle_node WHERE (idx + 1) << level > " + keep);
      s.execute("SET session_replication_role = DEFAULT");
    }
    // the service goes on: three new entries at keep + 1 .. keep + 3, and a checkpoint of them
    long last = append("TD", 3);
    assertTrue(last == keep + 3, "appended after the truncation at " + last);
    awaitCheckpoint(last);

    given()
        .auth()
        .oauth2(TestTokens.regulator())
        .get("/audit/verification")
        .then()
        .statusCode(200)
        .body("ok", is(false))
        .body("problem", containsString("checkpoint at tree size " + signed + " does"));
  }

  private static long append(String prefix, int n) {
    String subject = prefix + UUID.randomUUID().toString().substring(0, 8);
    UUID last = null;
    for (int i = 0; i < n; i++) {
      last =
          publish(
              Topics.REGISTRY_EVENTS,
              "tanso.registry.CreditsTransferred.v1",
              subject,
              "{\"from\":\"" + subject + "\",\"quantity\":" + (i + 1) + "}");
    }
    return awaitEntry(subject, last);
  }

  /** Waits for a checkpoint of at least {@code size} entries and returns its size. */
  private static long awaitCheckpoint(long size) {
    long[] latest = new long[1];
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              var response =
                  given().auth().oauth2(TestTokens.regulator()).get("/audit/checkpoints/latest");
              latest[0] =
                  response.statusCode() == 200 ? response.jsonPath().getLong("treeSize") : 0;
              return latest[0] >= size;
            });
    return latest[0];
  }
}
