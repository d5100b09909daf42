package org.tanso.issuance.request;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tanso.issuance.IssuanceFixture.authorisation;
import static org.tanso.issuance.IssuanceFixture.developer;
import static org.tanso.issuance.IssuanceFixture.registerProject;
import static org.tanso.issuance.IssuanceFixture.submission;
import static org.tanso.issuance.IssuanceFixture.unique;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tanso.testing.RowLock;
import org.tanso.testing.ShortLockTimeout;

/**
 * A submission that cannot get its project's row lock within the lock timeout is answered 503
 * TRY_AGAIN with Retry-After, changes nothing, and succeeds when retried after the lock is gone.
 * The lock timeout is 1 s here (10 s in the service's configuration) to keep the test short.
 */
@QuarkusTest
@TestProfile(ShortLockTimeout.class)
class LockTimeoutTest {

  @Inject AgroalDataSource dataSource;

  @Test
  void aSubmissionBlockedByARowLockPastTheTimeoutIsToldToTryAgainAndChangesNothing()
      throws Exception {
    String dev = unique("P");
    String project = registerProject(dev, authorisation(100));
    String key = unique("lock-");
    Map<String, Object> body = submission(project, "2025-01-01", "2025-06-30", 2025, 40);

    RowLock.Refused refused =
        RowLock.whileHeld(
            dataSource,
            "SELECT id FROM project WHERE id = ? FOR UPDATE",
            project,
            () -> post(developer(dev), key, body));
    RowLock.assertTryAgain(refused, 9_000);

    // the lock is gone: the same request, same key, now goes through, once
    Response retried = post(developer(dev), key, body);
    assertEquals(201, retried.statusCode(), retried.asString());
    String id = retried.path("id");
    assertEquals(id, post(developer(dev), key, body).then().statusCode(201).extract().path("id"));
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT count(*) FROM issuance_request WHERE project_id = ?")) {
      s.setString(1, project);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        assertEquals(1, rs.getLong(1));
      }
    }
  }

  private static Response post(String token, String key, Object body) {
    return given()
        .auth()
        .oauth2(token)
        .header("Idempotency-Key", key)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/issuance-requests");
  }
}
