package org.tanso.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.http.ProblemMappersTest.assertProblem;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A token bucket per caller: a burst of 5, then 429 RATE_LIMITED with Retry-After; other callers
 * keep theirs; it refills.
 */
@QuarkusTest
@TestProfile(RateLimitTest.Tight.class)
class RateLimitTest {

  static final int BURST = 5;
  static final int PUBLIC_BURST = 2;

  public static class Tight implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "tanso.rate-limit.per-second",
          "1",
          "tanso.rate-limit.burst",
          Integer.toString(BURST),
          "tanso.rate-limit.public.per-second",
          "1",
          "tanso.rate-limit.public.burst",
          Integer.toString(PUBLIC_BURST));
    }
  }

  @Test
  void aCallerGetsItsBurstThen429WithRetryAfterAndOthersAreUnaffected() throws Exception {
    String greedy = "Bearer greedy-" + UUID.randomUUID();
    long start = System.nanoTime();
    int served = 0;
    Response limited = null;
    for (int i = 0; i < 20 && limited == null; i++) {
      Response r = given().header("Authorization", greedy).get("/things/x");
      if (r.statusCode() == 429) {
        limited = r;
      } else {
        assertEquals(200, r.statusCode(), r.asString());
        served++;
      }
    }
    long elapsedSeconds = (System.nanoTime() - start) / 1_000_000_000L;
    assertNotNull(limited, "no request was limited");
    // the burst, plus at most one token per second that passed meanwhile
    assertTrue(
        served >= BURST && served <= BURST + elapsedSeconds + 1,
        "served " + served + " in " + elapsedSeconds + " s");
    assertProblem(limited, 429, "RATE_LIMITED");
    long retryAfter = Long.parseLong(limited.header("Retry-After"));
    assertTrue(retryAfter >= 1 && retryAfter <= 2, "Retry-After " + retryAfter);

    // another token has its own bucket
    assertEquals(
        200,
        given()
            .header("Authorization", "Bearer other-" + UUID.randomUUID())
            .get("/things/x")
            .statusCode());

    // after Retry-After the caller is served again
    Thread.sleep(retryAfter * 1000 + 200);
    assertEquals(200, given().header("Authorization", greedy).get("/things/x").statusCode());
  }

  @Test
  void requestsWithoutATokenShareTheirAddresssBucket() {
    int served = 0;
    for (int i = 0; i < 3 * BURST; i++) {
      int status = given().get("/things/anonymous").statusCode();
      if (status == 200) {
        served++;
      } else {
        assertEquals(429, status);
      }
    }
    assertTrue(served < 3 * BURST, "anonymous requests were never limited: " + served);
    // a forged header of some other caller is just another caller, with its own bucket
    assertEquals(
        200,
        given().header("Authorization", "Bearer forged").get("/things/anonymous").statusCode());
  }

  @Test
  void aPublicRouteLimitsPerAddressWhateverAuthorizationOrForwardedHeaderComesAlong() {
    int served = 0;
    Response limited = null;
    for (int i = 0; i < 4 * PUBLIC_BURST && limited == null; i++) {
      // a fresh forged token and a fresh claimed address on every request buy no fresh bucket
      Response r =
          given()
              .header("Authorization", "Bearer forged-" + UUID.randomUUID())
              .header("X-Forwarded-For", "203.0.113." + i)
              .header("Forwarded", "for=198.51.100." + i)
              .get("/public/things/1");
      if (r.statusCode() == 429) {
        limited = r;
      } else {
        assertTrue(r.statusCode() == 200 || r.statusCode() == 404, r.asString());
        served++;
      }
    }
    assertNotNull(limited, "public requests with changing headers were never limited");
    assertTrue(served >= PUBLIC_BURST && served <= PUBLIC_BURST + 2, "served " + served);
    assertProblem(limited, 429, "RATE_LIMITED");
    assertTrue(Long.parseLong(limited.header("Retry-After")) >= 1);
    assertEquals("no-store", limited.header("Cache-Control"));
    // the public allowance is its own: a caller with a token still has its full burst elsewhere
    assertEquals(
        200,
        given()
            .header("Authorization", "Bearer elsewhere-" + UUID.randomUUID())
            .get("/things/x")
            .statusCode());
  }
}
