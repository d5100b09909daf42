package org.tanso.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tanso.http.ProblemMappersTest.assertProblem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bodies are read exactly as written: what a registry would otherwise have to guess is refused with
 * 400.
 */
@QuarkusTest
class StrictJsonTest {

  @Test
  void aWellFormedBodyIsAccepted() {
    Response r = post("{\"name\":\"ok\",\"quantity\":7}");
    r.then().statusCode(201);
    assertEquals("ok", r.path("name"));
    assertEquals(7, (int) r.path("quantity"));
  }

  @Test
  void anUnknownFieldIsRefusedAndNamed() {
    Response r = post("{\"name\":\"x\",\"quantity\":1,\"quantty\":2}");
    assertProblem(r, 400, "MALFORMED_REQUEST");
    assertEquals(List.of("quantty"), r.path("errors.field"));
  }

  @Test
  void aDuplicateFieldIsRefused() {
    assertProblem(
        post("{\"name\":\"x\",\"quantity\":1,\"quantity\":1000}"), 400, "INVALID_QUANTITY");
    assertProblem(post("{\"name\":\"x\",\"name\":\"y\",\"quantity\":1}"), 400, "MALFORMED_REQUEST");
  }

  @Test
  void numbersAsTextOrFractionsAreNotQuantities() {
    for (String quantity :
        List.of("\"5\"", "1.5", "5.0", "1e3", "true", "null", "99999999999999999999")) {
      assertProblem(
          post("{\"name\":\"x\",\"quantity\":" + quantity + "}"), 400, "INVALID_QUANTITY");
    }
  }

  @Test
  void textMustBeText() {
    for (String name : List.of("7", "true", "1.5", "{}", "[]")) {
      assertProblem(post("{\"name\":" + name + ",\"quantity\":1}"), 400, "MALFORMED_REQUEST");
    }
  }

  @Test
  void aNulCharacterInTextIsRefused() {
    Response r = post("{\"name\":\"a\\u0000b\",\"quantity\":1}");
    assertProblem(r, 400, "MALFORMED_REQUEST");
    assertEquals(List.of("name"), r.path("errors.field"));
  }

  @Test
  void brokenOrTrailingJsonIsRefused() {
    for (String body :
        List.of(
            "{\"name\":\"x\",\"quantity\":1} {}",
            "{\"name\":\"x\",\"quantity\":1",
            "[]",
            "",
            "nope")) {
      assertProblem(post(body), 400, "MALFORMED_REQUEST");
    }
  }

  private static Response post(String body) {
    return given().contentType(ContentType.JSON).body(body).post("/things");
  }
}
