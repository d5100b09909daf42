package org.tanso.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
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
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tanso.events.Topics;
import org.tanso.testing.TestTokens;

/**
 * A superuser can bypass the triggers; the hash chain still catches the change. Runs on a database
 * of its own (separate profile), since it leaves the log tampered.
 */
@QuarkusTest
@TestProfile(TamperDetectionTest.OwnDatabase.class)
class TamperDetectionTest {

  public static class OwnDatabase implements QuarkusTestProfile {}

  @Inject
  @DataSource("migration")
  AgroalDataSource superuser;

  @Test
  void aChangedEntryIsFoundByVerification() throws Exception {
    String subject = "TD" + UUID.randomUUID().toString().substring(0, 8);
    UUID last = null;
    for (int i = 0; i < 6; i++) {
      last = publish(Topics.REGISTRY_EVENTS, "tanso.registry.CreditsTransferred.v1", subject, "{\"from\":\"" + subject + "\",\"quantity\":" + (i + 1) + "}");
    }
    long lastSeq = awaitEntry(subject, last);
    given().auth().oauth2(TestTokens.regulator()).get("/audit/verification").then().statusCode(200).body("ok", is(true));

    long victim = lastSeq - 2;
    try (Connection c = superuser.getConnection(); Statement s = c.createStatement()) {
      // replica mode skips ordinary triggers: only a superuser can do this
      s.execute("SET session_replication_role = replica");
      s.executeUpdate("UPDATE audit_entry SET payload = replace(payload, '\"quantity\":', '\"quantity\":1000') WHERE seq = " + victim);
      s.execute("SET session_replication_role = DEFAULT");
    }
    given().auth().oauth2(TestTokens.regulator()).get("/audit/verification").then().statusCode(200)
        .body("ok", is(false)).body("firstBadSeq", is((int) victim));
  }
}
