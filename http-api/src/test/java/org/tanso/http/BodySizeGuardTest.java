package org.tanso.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tanso.http.ProblemMappersTest.assertProblem;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Bodies up to quarkus.http.limits.max-body-size (1 KiB in this application) are read; larger ones
 * are 413 BODY_TOO_LARGE.
 */
@QuarkusTest
class BodySizeGuardTest {

  static final int LIMIT = 1024;

  @TestHTTPResource("/things")
  URI things;

  @Inject DataSource dataSource;

  @Test
  void aBodyOfExactlyTheLimitIsAccepted() {
    String body = bodyOfLength(LIMIT);
    assertEquals(LIMIT, body.getBytes(StandardCharsets.UTF_8).length);
    given().contentType(ContentType.JSON).body(body).post("/things").then().statusCode(201);
  }

  @Test
  void aBodyOneByteOverTheLimitIs413() {
    assertProblem(
        given().contentType(ContentType.JSON).body(bodyOfLength(LIMIT + 1)).post("/things"),
        413,
        "BODY_TOO_LARGE");
  }

  @Test
  void aBodyAnnouncedFarOverTheLimitIs413() {
    assertProblem(
        given().contentType(ContentType.JSON).body(bodyOfLength(100 * LIMIT)).post("/things"),
        413,
        "BODY_TOO_LARGE");
  }

  /**
   * Without Content-Length the guard cannot answer before reading, and the HTTP layer's own check
   * cuts the body off: 413, with an empty body rather than a problem. The body is not processed.
   */
  @Test
  void aChunkedBodyWithoutLengthIsHeldToTheSameLimit() throws Exception {
    HttpResponse<String> within = chunked(bodyOfLength(LIMIT));
    assertEquals(201, within.statusCode(), within.body());

    String over = bodyOfLength(2 * LIMIT);
    HttpResponse<String> refused = chunked(over);
    assertEquals(413, refused.statusCode(), refused.body());
    assertEquals(
        0, things(JsonPath.from(over).getString("name")), "rows written for the refused body");
  }

  private long things(String name) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT count(*) FROM thing WHERE name = ?")) {
      s.setString(1, name);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * Sent without Content-Length: the client does not know the length, so it uses chunked transfer
   * encoding.
   */
  private HttpResponse<String> chunked(String body) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(things)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
            .build();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** A valid thing whose JSON is exactly {@code length} bytes long. */
  static String bodyOfLength(int length) {
    String empty = "{\"name\":\"\",\"quantity\":1}";
    return "{\"name\":\"" + "n".repeat(length - empty.length()) + "\",\"quantity\":1}";
  }
}
