package org.tanso.registry;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tanso.testing.TestTokens;

/**
 * Each caller has its own allowance; beyond it, 429 with Retry-After, and other callers are
 * unaffected.
 */
@QuarkusTest
@TestProfile(RateLimitTest.Tight.class)
class RateLimitTest {

  public static class Tight implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("tanso.rate-limit.per-second", "2", "tanso.rate-limit.burst", "5");
    }
  }

  @Test
  void aCallerBeyondItsAllowanceGets429WithRetryAfter() {
    String greedy = TestTokens.regulator();
    int ok = 0;
    Response limited = null;
    for (int i = 0; i < 12; i++) {
      Response response = given().auth().oauth2(greedy).get("/me");
      if (response.statusCode() == 200) {
        ok++;
      } else {
        limited = response;
      }
    }
    assertTrue(ok >= 5 && ok < 12, "allowed " + ok);
    assertEquals(429, limited.statusCode());
    assertEquals("RATE_LIMITED", limited.path("code"));
    assertTrue(limited.contentType().startsWith("application/problem+json"));
    assertTrue(Long.parseLong(limited.header("Retry-After")) >= 1);
    // another caller is not affected, and health checks are never limited
    assertEquals(200, given().auth().oauth2(TestTokens.marketOperator()).get("/me").statusCode());
    for (int i = 0; i < 10; i++) {
      assertEquals(200, given().get("/q/health/live").statusCode());
    }
  }
}
