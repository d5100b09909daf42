package org.tanso.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.tanso.testing.Rows;

/**
 * Idempotency-Key on a POST that writes to the real database: one effect per caller and key,
 * whatever is retried or raced.
 */
@QuarkusTest
class IdempotencyTest {

  @Inject DataSource dataSource;

  @Test
  void theSameKeyAndBodyReturnTheFirstResultAndChangeNothingMore() throws Exception {
    String caller = caller();
    String key = UUID.randomUUID().toString();
    Response first = post(caller, key, body("first", 3));
    first.then().statusCode(201).contentType(ContentType.JSON);
    Response again = post(caller, key, body("first", 3));
    again.then().statusCode(201).contentType(ContentType.JSON);
    assertEquals(first.asString(), again.asString(), "the replay returns the stored result");
    assertEquals(1, things(caller), "rows written");
  }

  @Test
  void theSameKeyWithAnotherBodyIsAConflictAndChangesNothing() throws Exception {
    String caller = caller();
    String key = UUID.randomUUID().toString();
    post(caller, key, body("original", 3)).then().statusCode(201);
    Response other = post(caller, key, body("original", 4));
    other.then().statusCode(409).contentType("application/problem+json");
    assertEquals("IDEMPOTENCY_CONFLICT", other.path("code"));
    assertEquals(409, (int) other.path("status"));
    assertEquals(1, things(caller), "rows written");
  }

  @Test
  void keysAreScopedToTheCaller() throws Exception {
    String alice = caller();
    String bob = caller();
    String key = UUID.randomUUID().toString();
    Response forAlice = post(alice, key, body("shared-key", 1));
    forAlice.then().statusCode(201);
    Response forBob = post(bob, key, body("shared-key", 1));
    forBob.then().statusCode(201);
    assertEquals(bob, forBob.path("caller"), "bob gets his own result, not alice's");
    assertNotEquals((Object) forAlice.path("id"), forBob.path("id"));
    // and with another body, bob's key is his own: no conflict with alice's
    post(bob, "second-" + key, body("other", 9)).then().statusCode(201);
    post(alice, "second-" + key, body("different", 2)).then().statusCode(201);
    assertEquals(1 + 1, things(alice));
    assertEquals(1 + 1, things(bob));
  }

  @Test
  void concurrentTwinsWithOneKeyHaveOneEffect() throws Exception {
    String caller = caller();
    String key = UUID.randomUUID().toString();
    int twins = 8;
    ExecutorService pool = Executors.newFixedThreadPool(twins);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Response>> responses = new ArrayList<>();
    try {
      for (int i = 0; i < twins; i++) {
        responses.add(
            pool.submit(
                () -> {
                  start.await();
                  return post(caller, key, body("slow-twin", 5));
                }));
      }
      start.countDown();
      List<String> bodies = new ArrayList<>();
      for (Future<Response> f : responses) {
        Response r = f.get(60, TimeUnit.SECONDS);
        assertEquals(201, r.statusCode(), r.asString());
        bodies.add(r.asString());
      }
      assertEquals(
          1, bodies.stream().distinct().count(), "every twin gets the same result: " + bodies);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, things(caller), "rows written by " + twins + " concurrent twins");
  }

  @Test
  void aFailedRequestStoresNothingSoItsRetryRunsAgain() throws Exception {
    String caller = caller();
    String key = UUID.randomUUID().toString();
    Response failed = post(caller, key, body("reject-me", 1));
    failed.then().statusCode(422);
    assertEquals("THING_REJECTED", failed.path("code"));
    assertEquals(0, things(caller));
    assertEquals(
        0,
        Rows.number(dataSource, "SELECT count(*) FROM idempotency_record WHERE caller = ?", caller),
        "idempotency records kept of a failed request");
    // the same key is free for the corrected request
    post(caller, key, body("accepted", 1)).then().statusCode(201);
    assertEquals(1, things(caller));
  }

  @Test
  void aMalformedKeyIsRefused() throws Exception {
    String caller = caller();
    for (String key : List.of("with space", "x".repeat(256))) {
      Response r = post(caller, key, body("k", 1));
      r.then().statusCode(400).contentType("application/problem+json");
      assertEquals("MALFORMED_REQUEST", r.path("code"));
    }
    post(caller, "x".repeat(255), body("k", 1)).then().statusCode(201);
    assertEquals(1, things(caller));
  }

  @Test
  void withoutAKeyEveryRequestTakesEffect() throws Exception {
    String caller = caller();
    for (int i = 0; i < 2; i++) {
      given()
          .header("X-Caller", caller)
          .contentType(ContentType.JSON)
          .body(body("no-key", 1))
          .post("/things")
          .then()
          .statusCode(201);
    }
    assertEquals(2, things(caller));
  }

  private static Response post(String caller, String key, String body) {
    return given()
        .header("X-Caller", caller)
        .header(Idempotency.HEADER, key)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/things");
  }

  static String body(String name, long quantity) {
    return "{\"name\":\"" + name + "\",\"quantity\":" + quantity + "}";
  }

  private static String caller() {
    return "caller-" + UUID.randomUUID();
  }

  private long things(String caller) throws SQLException {
    return Rows.number(dataSource, "SELECT count(*) FROM thing WHERE caller = ?", caller);
  }
}
