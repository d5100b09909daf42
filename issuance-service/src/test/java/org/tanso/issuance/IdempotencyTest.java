package org.tanso.issuance;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.tanso.issuance.IssuanceFixture.developer;
import static org.tanso.issuance.IssuanceFixture.project;
import static org.tanso.issuance.IssuanceFixture.registerProject;
import static org.tanso.issuance.IssuanceFixture.submission;
import static org.tanso.issuance.IssuanceFixture.submitted;
import static org.tanso.issuance.IssuanceFixture.unique;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tanso.testing.LockGate;
import org.tanso.testing.TestTokens;

/**
 * Every POST of issuance-service honours {@code Idempotency-Key}: the same key and request return
 * the first result (same status, same body, no second effect), another body or another request's
 * path is 409 IDEMPOTENCY_CONFLICT, keys belong to one caller, and concurrent requests with one key
 * have one effect and all get the same answer.
 */
@QuarkusTest
class IdempotencyTest {

  private static final int TWINS = 8;

  @Inject AgroalDataSource dataSource;

  /** A request: where it goes and what it carries. */
  private record Call(String path, Object body) {}

  /**
   * One POST endpoint: two callers, the requests to send, and a count of the effects in the
   * database.
   */
  private record Endpoint(
      int status,
      String caller,
      String otherCaller,
      Call first,
      Call different,
      Call otherCallers,
      Call concurrent,
      String effectsSql,
      String gateTable) {}

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/projects",
        "/issuance-requests",
        "/issuance-requests/{id}/approval",
        "/issuance-requests/{id}/rejection"
      })
  void everyPostReplaysItsFirstResultOncePerCallerAndKey(String endpoint) throws Exception {
    Endpoint e = endpoint(endpoint);
    String key = unique("key-");

    Response first = post(e.caller(), key, e.first());
    assertEquals(e.status(), first.statusCode(), first.asString());
    assertEquals(1, effects(e), "the first request took effect");

    Response replay = post(e.caller(), key, e.first());
    assertEquals(e.status(), replay.statusCode(), replay.asString());
    assertEquals(json(first), json(replay), "the replay returns the first result");
    assertEquals(1, effects(e), "the replay had no effect of its own");

    Response conflict = post(e.caller(), key, e.different());
    assertEquals(409, conflict.statusCode(), conflict.asString());
    assertEquals("IDEMPOTENCY_CONFLICT", conflict.path("code"), conflict.asString());
    assertEquals(1, effects(e), "a conflicting request had no effect");
    assertEquals(
        json(first),
        json(post(e.caller(), key, e.first())),
        "the first result is still the answer after a conflict");

    // the key is the caller's own: another caller using it makes a request of its own
    Response other = post(e.otherCaller(), key, e.otherCallers());
    assertEquals(e.status(), other.statusCode(), other.asString());
    assertNotEquals(
        json(first),
        json(other),
        "another caller's request is not answered with the first caller's result");
    assertEquals(2, effects(e), "another caller's request with the same key took effect");

    // twins with a fresh key, all at once: one effect, one answer. The table the effect is written
    // to is
    // held in SHARE mode until every twin waits in the database, so that none can finish before the
    // others start.
    String twinKey = unique("twin-");
    List<Response> answers =
        LockGate.race(
            dataSource, e.gateTable(), TWINS, () -> post(e.caller(), twinKey, e.concurrent()));
    JsonNode answer = json(answers.get(0));
    for (Response r : answers) {
      assertEquals(e.status(), r.statusCode(), r.asString());
      assertEquals(answer, json(r), "every twin got the same answer");
    }
    assertEquals(3, effects(e), "the twins took effect once");
  }

  private Endpoint endpoint(String endpoint) {
    String admin = TestTokens.registryAdmin(unique("admin-"));
    String otherAdmin = TestTokens.registryAdmin(unique("admin-"));
    String dev = unique("P");
    switch (endpoint) {
      case "/projects" -> {
        String prefix = unique("IK");
        Map<String, Object> body = project(prefix + "A", "JCM", List.of(dev), null);
        Map<String, Object> retitled = project(prefix + "A", "JCM", List.of(dev), null);
        retitled.put("title", "Another title");
        return new Endpoint(
            201,
            admin,
            otherAdmin,
            new Call("/projects", body),
            new Call("/projects", retitled),
            new Call("/projects", project(prefix + "B", "JCM", List.of(dev), null)),
            new Call("/projects", project(prefix + "C", "JCM", List.of(dev), null)),
            "SELECT count(*) FROM project WHERE id LIKE '" + prefix + "%'",
            "project");
      }
      case "/issuance-requests" -> {
        String project = registerProject(dev, null);
        // the same participant signed in as another subject is another caller
        String otherDevice =
            TestTokens.withGroups(List.of("project-developer"), dev, dev + "-second-device");
        return new Endpoint(
            201,
            developer(dev),
            otherDevice,
            new Call(endpoint, submission(project, "2025-01-01", "2025-01-31", 2025, 10)),
            new Call(endpoint, submission(project, "2025-02-01", "2025-02-28", 2025, 10)),
            new Call(endpoint, submission(project, "2025-03-01", "2025-03-31", 2025, 10)),
            new Call(endpoint, submission(project, "2025-04-01", "2025-04-30", 2025, 10)),
            "SELECT count(*) FROM issuance_request WHERE project_id = '" + project + "'",
            "issuance_request");
      }
      default -> {
        boolean approval = endpoint.endsWith("/approval");
        String project = registerProject(dev, null);
        List<String> ids = new ArrayList<>();
        for (int month = 1; month <= 4; month++) {
          String start = String.format("2025-%02d-01", month);
          String end = String.format("2025-%02d-28", month);
          ids.add(submitted(dev, project, start, end, 2025, 10));
        }
        Object body =
            approval ? Map.of() : Map.of("reason", "the verification report is not signed");
        // a body-less approval conflicts when the same key is used for another request
        Call different =
            approval
                ? new Call(decision(ids.get(1), true), body)
                : new Call(decision(ids.get(0), false), Map.of("reason", "another reason"));
        String event = approval ? "IssuanceApproved" : "IssuanceRejected";
        return new Endpoint(
            200,
            admin,
            otherAdmin,
            new Call(decision(ids.get(0), approval), body),
            different,
            new Call(decision(ids.get(2), approval), body),
            new Call(decision(ids.get(3), approval), body),
            "SELECT count(*) FROM outbox_event WHERE type = 'tanso.issuance."
                + event
                + ".v1' AND aggregateid IN ('"
                + String.join("','", ids)
                + "')",
            "issuance_request");
      }
    }
  }

  private static String decision(String id, boolean approval) {
    return "/issuance-requests/" + id + (approval ? "/approval" : "/rejection");
  }

  private long effects(Endpoint e) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(e.effectsSql())) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Response post(String token, String key, Call call) {
    return given()
        .auth()
        .oauth2(token)
        .header("Idempotency-Key", key)
        .contentType(ContentType.JSON)
        .body(call.body())
        .post(call.path());
  }

  /** Waits, up to 10 s, until {@code sessions} sessions of this database wait for a lock. */
  private static JsonNode json(Response r) throws Exception {
    return IssuanceFixture.JSON.readTree(r.asString());
  }
}
