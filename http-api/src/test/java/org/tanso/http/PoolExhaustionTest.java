package org.tanso.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tanso.http.ProblemMappersTest.assertProblem;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A request that cannot get a database connection within the pool's acquisition timeout (every
 * connection busy) is told to try again, as for any other transient refusal, not answered 500.
 */
@QuarkusTest
@TestProfile(PoolExhaustionTest.TwoConnections.class)
class PoolExhaustionTest {

  public static class TwoConnections implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.datasource.jdbc.max-size",
          "2",
          "quarkus.datasource.jdbc.min-size",
          "0",
          "quarkus.datasource.jdbc.acquisition-timeout",
          "1S");
    }
  }

  @Inject DataSource dataSource;

  @Test
  void aRequestThatFindsThePoolExhaustedGets503TryAgainAndLaterSucceeds() throws Exception {
    String key = UUID.randomUUID().toString();
    String body = IdempotencyTest.body("pooled", 3);
    Response refused;
    // both connections of the pool (Flyway needs two at start, so the pool has two) are taken
    try (Connection one = dataSource.getConnection();
        Connection two = dataSource.getConnection()) {
      one.isValid(1);
      two.isValid(1);
      refused = post(key, body);
    }
    assertProblem(refused, 503, "TRY_AGAIN");
    assertEquals("1", refused.header("Retry-After"), refused.asString());
    // the connections are free again: the same request goes through
    assertEquals(201, post(key, body).statusCode());
  }

  private static Response post(String key, String body) {
    return given()
        .header("X-Caller", "pool-" + key)
        .header(Idempotency.HEADER, key)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/things");
  }
}
