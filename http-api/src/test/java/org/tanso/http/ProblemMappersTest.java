package org.tanso.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every kind of failure answers with its status and stable code as application/problem+json, and
 * nothing of the server's insides.
 */
@QuarkusTest
class ProblemMappersTest {

  @Test
  void anApiExceptionKeepsItsStatusCodeAndDetail() {
    Response r = given().get("/failures/api");
    assertProblem(r, 422, "THING_REJECTED");
    assertEquals("this thing cannot be created", r.path("detail"));
    assertEquals("Unprocessable Content", r.path("title"));
    assertEquals("https://tanso.org/problems/thing-rejected", r.path("type"));
    assertEquals("/failures/api", r.path("instance"));
  }

  @Test
  void frameworkRefusalsHaveTheirOwnCodes() {
    assertProblem(given().get("/nowhere/at/all"), 404, "NOT_FOUND");
    assertProblem(given().delete("/things/x"), 405, "METHOD_NOT_ALLOWED");
    assertProblem(
        given().contentType(ContentType.TEXT).body("name=x").post("/things"),
        415,
        "UNSUPPORTED_MEDIA_TYPE");
    Response notAcceptable = given().accept("application/xml").get("/things/x");
    assertProblem(notAcceptable, 406, "NOT_ACCEPTABLE");
    // the detail names what the route produces, not a fixed type
    assertEquals(
        "this resource answers with application/json; the Accept header asks for none of them",
        notAcceptable.path("detail"));
    assertProblem(given().get("/failures/gone"), 410, "HTTP_410");
  }

  @Test
  void securityRefusalsSayNoMoreThanTheirCode() {
    Response unauthorized = given().get("/failures/unauthorized");
    assertProblem(unauthorized, 401, "UNAUTHORIZED");
    Response forbidden = given().get("/failures/forbidden");
    assertProblem(forbidden, 403, "FORBIDDEN");
  }

  @Test
  void anUnexpectedFailureIsA500WithAReferenceAndNoInternals() {
    for (String path : List.of("/failures/unexpected", "/failures/bad-sql")) {
      Response r = given().get(path);
      assertProblem(r, 500, "INTERNAL_ERROR");
      String detail = r.path("detail");
      assertTrue(detail.matches("internal error; reference [0-9a-f-]{36}"), detail);
    }
  }

  @Test
  void aTransientDatabaseRefusalIs503TryAgainWithRetryAfter() {
    // PostgreSQL cancels the statement on its statement_timeout: SQLSTATE 57014
    Response r = given().get("/failures/statement-timeout");
    assertProblem(r, 503, "TRY_AGAIN");
    assertEquals("1", r.header("Retry-After"));
  }

  @Test
  void aConstraintViolationNamesTheFieldAndQuantityHasItsOwnCodeWhenItIsAllThatIsWrong() {
    Response param = given().queryParam("size", 0).get("/failures/validated");
    assertProblem(param, 400, "MALFORMED_REQUEST");
    assertEquals(List.of("size"), param.path("errors.field"));

    Response quantity =
        given().contentType(ContentType.JSON).body(IdempotencyTest.body("q", 0)).post("/things");
    assertProblem(quantity, 400, "INVALID_QUANTITY");
    assertEquals(List.of("quantity"), quantity.path("errors.field"));

    // a bad quantity beside another faulty field is not just a bad quantity
    Response blank =
        given().contentType(ContentType.JSON).body(IdempotencyTest.body(" ", 0)).post("/things");
    assertProblem(blank, 400, "MALFORMED_REQUEST");
    assertEquals(
        List.of("name", "quantity"), blank.path("errors.field"), "every offending field, sorted");
  }

  /** The shape every problem has, and that nothing of the server's code or SQL leaks into it. */
  static void assertProblem(Response r, int status, String code) {
    String body = r.asString();
    assertEquals(status, r.statusCode(), body);
    assertTrue(
        r.contentType().startsWith("application/problem+json"),
        "content type " + r.contentType() + " of " + body);
    assertEquals(code, r.path("code"), body);
    assertEquals(status, (int) r.path("status"), body);
    assertEquals(
        "https://tanso.org/problems/" + code.toLowerCase().replace('_', '-'), r.path("type"), body);
    assertFalse(((String) r.path("title")).isBlank(), body);
    Map<String, Object> problem = r.jsonPath().getMap("");
    assertTrue(
        List.of("type", "title", "status", "detail", "instance", "code", "errors")
            .containsAll(problem.keySet()),
        "fields of " + body);
    for (String leak :
        List.of(
            "Exception", "org.tanso", "java.", "SELECT", "internal_secrets", "password", "\tat ")) {
      assertFalse(body.contains(leak), "'" + leak + "' leaked in " + body);
    }
    assertNull(r.header("X-Powered-By"));
  }
}
