package org.tanso.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tanso.http.ProblemMappersTest.assertProblem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Control characters in a path or query are refused before any resource runs; ordinary Unicode is
 * not.
 */
@QuarkusTest
class ControlCharacterGuardTest {

  @Test
  void controlCharactersInThePathAreRefused() {
    for (String encoded :
        List.of("%00", "a%00b", "%01", "%0a", "%0D", "%1f", "%1F", "%7f", "%7F")) {
      Response r = given().urlEncodingEnabled(false).get("/things/" + encoded);
      assertProblem(r, 400, "MALFORMED_REQUEST");
      assertEquals(
          "the request path or query contains control characters", r.path("detail"), encoded);
    }
  }

  @Test
  void controlCharactersInTheQueryAreRefused() {
    for (String encoded : List.of("%00", "x%09y", "%1b", "%7F")) {
      assertProblem(
          given().urlEncodingEnabled(false).get("/things/plain?q=" + encoded),
          400,
          "MALFORMED_REQUEST");
    }
  }

  @Test
  void ordinaryTextAndUnicodeAreServed() {
    Response unicode =
        given()
            .urlEncodingEnabled(false)
            .get("/things/%E6%97%A5%E6%9C%AC-%C3%A9?q=caf%C3%A9%20%F0%9F%8C%B3");
    assertEquals(200, unicode.statusCode(), unicode.asString());
    assertEquals("日本-é", unicode.path("name"));
    assertEquals("café 🌳", unicode.path("q"));
    // percent signs that encode printable characters, and the digits after an encoded percent sign
    Response printable = given().urlEncodingEnabled(false).get("/things/a%20b%2500%7E");
    assertEquals(200, printable.statusCode(), printable.asString());
    assertEquals("a b%00~", printable.path("name"));
  }
}
