package org.tanso.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.http.ProblemMappersTest.assertProblem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tanso.devtokens.DevTokens;
import org.tanso.testing.TestTokens;

/**
 * The public routes' contract: anonymous whatever token comes along, ETag and Cache-Control on
 * every answer, 304 for a matching If-None-Match, and CSV streamed with RFC 4180 quoting.
 */
@QuarkusTest
class PublicRoutesTest {

  @Inject DataSource dataSource;

  static final String NASTY_COMMA = "Acme, Inc.";
  static final String NASTY_QUOTE = "the \"green\" fund";
  static final String NASTY_NEWLINE = "line one\r\nline two";
  static final String NASTY_FORMULA = "=HYPERLINK(\"http://evil\",\"x\")";

  @BeforeEach
  void things() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("TRUNCATE thing RESTART IDENTITY");
    }
    for (String name :
        List.of("plain", NASTY_COMMA, NASTY_QUOTE, NASTY_NEWLINE, NASTY_FORMULA, "-42", "@sum")) {
      insert(name, 7);
    }
  }

  @Test
  void aPublicRouteAnswersTheSameWithoutATokenAndWithABogusExpiredOrForeignOne() {
    Response anonymous = given().get("/public/things");
    assertEquals(200, anonymous.statusCode(), anonymous.asString());
    JwtClaims expired = new JwtClaims();
    expired.setIssuer(DevTokens.DEFAULT_ISSUER);
    expired.setSubject("someone");
    expired.setStringListClaim("groups", List.of("regulator"));
    expired.setIssuedAt(NumericDate.fromSeconds(NumericDate.now().getValue() - 3600));
    expired.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() - 60));
    for (String authorization :
        List.of(
            "Bearer nonsense",
            "Bearer a.b.c",
            "Basic dXNlcjpwYXNz",
            "Bearer " + TestTokens.signed(expired),
            "Bearer " + TestTokens.signedByStranger("regulator", null),
            "Bearer " + TestTokens.regulator())) {
      Response r = given().header("Authorization", authorization).get("/public/things");
      assertEquals(200, r.statusCode(), authorization + ": " + r.asString());
      assertEquals(anonymous.asString(), r.asString(), authorization);
      assertEquals(anonymous.header("ETag"), r.header("ETag"), authorization);
      assertEquals(
          200,
          given().header("Authorization", authorization).get("/public/things/1").statusCode(),
          authorization);
      // even a public resource that asks who calls sees nobody: the header never reached it
      Response caller = given().header("Authorization", authorization).get("/public/caller");
      assertEquals(200, caller.statusCode(), authorization + ": " + caller.asString());
      assertEquals(Boolean.TRUE, caller.path("anonymous"), authorization);
    }
    // a route behind a role still reads its token: none or a bogus one is 401, a good one passes
    assertProblem(given().get("/private/things"), 401, "UNAUTHORIZED");
    assertProblem(
        given().header("Authorization", "Bearer nonsense").get("/private/things"),
        401,
        "UNAUTHORIZED");
    assertEquals(
        200,
        given()
            .header("Authorization", "Bearer " + TestTokens.regulator())
            .get("/private/things")
            .statusCode());
    // dot segments are resolved before the path is classified: this is no public route
    assertProblem(
        given()
            .urlEncodingEnabled(false)
            .header("Authorization", "Bearer nonsense")
            .get("/public/../private/things"),
        401,
        "UNAUTHORIZED");
  }

  @Test
  void everyAnswerCarriesETagAndCacheControlAndAMatchingIfNoneMatchIs304WithoutABody()
      throws SQLException {
    Response first = given().get("/public/things/1");
    assertEquals(200, first.statusCode());
    String etag = first.header("ETag");
    assertNotNull(etag);
    assertTrue(etag.matches("\"[A-Za-z0-9_-]{24}\""), etag);
    assertEquals("public, max-age=60", first.header("Cache-Control"));
    assertEquals("Accept", first.header("Vary"));

    for (String ifNoneMatch : List.of(etag, "W/" + etag, "\"other\", " + etag, "*")) {
      Response again = given().header("If-None-Match", ifNoneMatch).get("/public/things/1");
      assertEquals(304, again.statusCode(), ifNoneMatch);
      assertEquals("", again.asString(), ifNoneMatch);
      assertEquals(etag, again.header("ETag"));
      assertEquals("public, max-age=60", again.header("Cache-Control"));
    }
    assertEquals(
        200, given().header("If-None-Match", "\"other\"").get("/public/things/1").statusCode());

    // another thing, another tag; a list's tag changes with its content
    assertNotEquals(etag, given().get("/public/things/2").header("ETag"));
    String listTag = given().get("/public/things").header("ETag");
    insert("new", 1);
    Response changed = given().header("If-None-Match", listTag).get("/public/things");
    assertEquals(200, changed.statusCode());
    assertNotEquals(listTag, changed.header("ETag"));

    // a problem is never stored by a cache, and a conditional request does not turn it into a 304
    Response missing = given().get("/public/things/999");
    assertProblem(missing, 404, "THING_NOT_FOUND");
    assertEquals("no-store", missing.header("Cache-Control"));
    assertNotNull(missing.header("ETag"));
    Response missingAgain =
        given().header("If-None-Match", missing.header("ETag")).get("/public/things/999");
    assertProblem(missingAgain, 404, "THING_NOT_FOUND");
    assertProblem(given().get("/public/things/x"), 404, "NOT_FOUND");
    assertEquals("no-store", given().get("/public/nowhere").header("Cache-Control"));

    // routes that are not public get none of this
    Response privateRoute = given().get("/things/x");
    assertNull(privateRoute.header("ETag"));
    assertNull(privateRoute.header("Cache-Control"));
  }

  @Test
  void csvIsOneHeaderRowThenEveryRowQuotedAsRfc4180WithFormulasNeutralised() throws SQLException {
    Response r = given().accept("text/csv").get("/public/things");
    assertEquals(200, r.statusCode(), r.asString());
    assertEquals(
        "text/csv; charset=utf-8", r.contentType().toLowerCase().replace(";charset", "; charset"));
    assertEquals("attachment; filename=\"things.csv\"", r.header("Content-Disposition"));
    assertEquals(
        "id,name,quantity\r\n"
            + "1,plain,7\r\n"
            + "2,\"Acme, Inc.\",7\r\n"
            + "3,\"the \"\"green\"\" fund\",7\r\n"
            + "4,\"line one\r\nline two\",7\r\n"
            + "5,\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",7\r\n"
            + "6,'-42,7\r\n"
            + "7,'@sum,7\r\n",
        r.asString());

    // the tag comes from the data's fingerprint, differs from the JSON one, and validates
    String etag = r.header("ETag");
    assertNotNull(etag);
    assertEquals("public, max-age=60", r.header("Cache-Control"));
    assertNotEquals(given().get("/public/things").header("ETag"), etag);
    Response again = given().accept("text/csv").header("If-None-Match", etag).get("/public/things");
    assertEquals(304, again.statusCode());
    assertEquals("", again.asString());
    assertNull(again.header("Content-Disposition"));

    // many rows, more than one fetch of the cursor: every one arrives, in order
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO thing (caller, name, quantity) SELECT 'bulk', 'row ' || n, n FROM generate_series(1, 2500) n");
    }
    String[] lines = given().accept("text/csv").get("/public/things").asString().split("\r\n");
    // header, 7 things (one spanning two lines) and 2,500 more
    assertEquals(1 + 8 + 2500, lines.length);
    assertEquals("2507,row 2500,2500", lines[lines.length - 1]);
    assertNotEquals(etag, given().accept("text/csv").get("/public/things").header("ETag"));
  }

  @Test
  void csvOnlyWhenAskedForFirst() {
    assertTrue(given().get("/public/things").contentType().startsWith("application/json"));
    assertTrue(
        given().accept("*/*").get("/public/things").contentType().startsWith("application/json"));
    assertTrue(
        given()
            .accept("application/json;q=0.5, text/csv")
            .get("/public/things")
            .contentType()
            .startsWith("text/csv"));
    assertTrue(
        given()
            .accept("text/csv;q=0.2, application/json")
            .get("/public/things")
            .contentType()
            .startsWith("application/json"));
  }

  @Test
  void onlyTextThatASpreadsheetWouldRunIsNeutralised() {
    assertEquals(
        List.of("'=1+1", "'+1", "'-1", "'@x", "'\tx", "a=b", "", 5L, -5L),
        CsvExport.neutralised(
            java.util.Arrays.asList("=1+1", "+1", "-1", "@x", "\tx", "a=b", null, 5L, -5L)));
    assertFalse(PublicRoutes.isPublic("/publications"));
    assertTrue(PublicRoutes.isPublic("/public/x"));
  }

  private void insert(String name, long quantity) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement("INSERT INTO thing (caller, name, quantity) VALUES ('t', ?, ?)")) {
      s.setString(1, name);
      s.setLong(2, quantity);
      s.executeUpdate();
    }
  }
}
