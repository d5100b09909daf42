package org.tanso.registry;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.tanso.registry.RegistryFixture.developer;
import static org.tanso.registry.RegistryFixture.fund;
import static org.tanso.registry.RegistryFixture.holdingAccount;
import static org.tanso.registry.RegistryFixture.participant;
import static org.tanso.registry.RegistryFixture.transferBody;
import static org.tanso.registry.RegistryFixture.unique;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tanso.testing.LockGate;
import org.tanso.testing.TestTokens;

/**
 * Every POST of registry-service honours {@code Idempotency-Key}: the same key and body return the
 * first result (same status, same body, no second effect), another body is 409
 * IDEMPOTENCY_CONFLICT, keys belong to one caller (another caller's same key is its own request),
 * and concurrent requests with one key have one effect and all get the same answer.
 */
@QuarkusTest
class IdempotencyTest {

  private static final int TWINS = 8;

  @Inject AgroalDataSource dataSource;

  /**
   * One POST endpoint: two callers, the bodies to send, and a count of the effects in the database.
   */
  private record Endpoint(
      String path,
      int status,
      String caller,
      String otherCaller,
      Object body,
      Object differentBody,
      Object otherCallersBody,
      Object concurrentBody,
      String effectsSql,
      String gateTable) {}

  @ParameterizedTest
  @ValueSource(
      strings = {"/participants", "/accounts", "/transfers", "/retirements", "/cancellations"})
  void everyPostReplaysItsFirstResultOncePerCallerAndKey(String path) throws Exception {
    Endpoint e = endpoint(path);
    String key = unique("key-");

    Response first = post(e.caller(), key, e.body(), path);
    assertEquals(e.status(), first.statusCode(), first.asString());
    assertEquals(1, effects(e), "the first request took effect");

    Response replay = post(e.caller(), key, e.body(), path);
    assertEquals(e.status(), replay.statusCode(), replay.asString());
    assertEquals(json(first), json(replay), "the replay returns the first result");
    assertEquals(1, effects(e), "the replay had no effect of its own");

    Response conflict = post(e.caller(), key, e.differentBody(), path);
    assertEquals(409, conflict.statusCode(), conflict.asString());
    assertEquals("IDEMPOTENCY_CONFLICT", conflict.path("code"), conflict.asString());
    assertEquals(1, effects(e), "a conflicting body had no effect");
    assertEquals(
        json(first),
        json(post(e.caller(), key, e.body(), path)),
        "the first result is still the answer after a conflict");

    // the key is the caller's own: another caller using it makes a request of its own
    Response other = post(e.otherCaller(), key, e.otherCallersBody(), path);
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
            dataSource,
            e.gateTable(),
            TWINS,
            () -> post(e.caller(), twinKey, e.concurrentBody(), path));
    JsonNode answer = json(answers.get(0));
    for (Response r : answers) {
      assertEquals(e.status(), r.statusCode(), r.asString());
      assertEquals(answer, json(r), "every twin got the same answer");
    }
    assertEquals(3, effects(e), "the twins took effect once");
    RegistryInvariants.assertAllHold(dataSource);
  }

  private Endpoint endpoint(String path) {
    String admin = TestTokens.registryAdmin(unique("admin-"));
    String otherAdmin = TestTokens.registryAdmin(unique("admin-"));
    switch (path) {
      case "/participants" -> {
        String prefix = unique("IDEM");
        return new Endpoint(
            path,
            201,
            admin,
            otherAdmin,
            participantBody(prefix + "-A", "VN"),
            participantBody(prefix + "-A", "JP"),
            participantBody(prefix + "-B", "VN"),
            participantBody(prefix + "-C", "VN"),
            "SELECT count(*) FROM participant WHERE id LIKE '" + prefix + "-%'",
            "participant");
      }
      case "/accounts" -> {
        String holder = participant("VN");
        Map<String, Object> body = Map.of("holder", holder, "party", "JP", "type", "HOLDING");
        return new Endpoint(
            path,
            201,
            admin,
            otherAdmin,
            body,
            Map.of("holder", holder, "party", "VN", "type", "HOLDING"),
            body,
            body,
            "SELECT count(*) FROM account WHERE holder = '" + holder + "'",
            "account");
      }
      default -> {
        String alice = participant("VN");
        String from = holdingAccount(alice);
        String to = holdingAccount(participant("JP"));
        fund(from, 100);
        // the same participant signed in as another subject is another caller
        String otherDevice =
            TestTokens.withGroups(List.of("project-developer"), alice, alice + "-second-device");
        String kind =
            switch (path) {
              case "/transfers" -> "TRANSFER";
              case "/retirements" -> "RETIREMENT";
              default -> "CANCELLATION";
            };
        Object body = movement(path, from, to, 3);
        return new Endpoint(
            path,
            201,
            developer(alice),
            otherDevice,
            body,
            movement(path, from, to, 4),
            body,
            body,
            "SELECT count(*) FROM registry_transaction WHERE kind = '"
                + kind
                + "' AND from_account = '"
                + from
                + "'",
            "registry_transaction");
      }
    }
  }

  private static Map<String, Object> participantBody(String id, String party) {
    return Map.of("id", id, "name", "Participant " + id, "party", party);
  }

  private static Object movement(String path, String from, String to, long quantity) {
    Map<String, Object> body = new LinkedHashMap<>();
    switch (path) {
      case "/transfers" -> {
        return transferBody(from, to, quantity);
      }
      case "/retirements" -> {
        body.put("account", from);
        body.put("quantity", quantity);
        body.put("beneficiary", "Da Nang Port Authority");
        body.put("purpose", "NDC");
        body.put("usingParty", "JP");
      }
      default -> {
        body.put("account", from);
        body.put("quantity", quantity);
        body.put("reason", "voluntary cancellation");
      }
    }
    return body;
  }

  private long effects(Endpoint e) throws SQLException {
    return RegistryInvariants.count(dataSource, e.effectsSql());
  }

  private static Response post(String token, String key, Object body, String path) {
    return given()
        .auth()
        .oauth2(token)
        .header("Idempotency-Key", key)
        .contentType(ContentType.JSON)
        .body(body)
        .post(path);
  }

  /** Waits, up to 10 s, until {@code sessions} sessions of this database wait for a lock. */
  private static JsonNode json(Response r) throws Exception {
    return RegistryFixture.JSON.readTree(r.asString());
  }
}
