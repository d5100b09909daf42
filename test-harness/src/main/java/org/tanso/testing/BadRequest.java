package org.tanso.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One hostile or broken request and exactly what a client must get back: the expected 4xx status
 * and problem {@code code} of an RFC 9457 problem+json body, and never a stack trace. A case
 * without an expectation cannot be sent: "some 4xx" would also pass when every token is refused.
 */
public record BadRequest(
    String name,
    String method,
    String path,
    String token,
    String contentType,
    String body,
    Map<String, String> headers,
    int expectedStatus,
    String expectedCode) {

  private static final java.util.regex.Pattern CODE =
      java.util.regex.Pattern.compile("[A-Z][A-Z0-9_]+");

  /**
   * Two cases are the same request when method, path, token, content type, body and headers are
   * equal, whatever their names and expectations.
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof BadRequest o
        && method.equals(o.method)
        && path.equals(o.path)
        && java.util.Objects.equals(token, o.token)
        && java.util.Objects.equals(contentType, o.contentType)
        && java.util.Objects.equals(body, o.body)
        && headers.equals(o.headers);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(method, path, token, contentType, body, headers);
  }

  public static BadRequest post(String name, String path, String token, String body) {
    return new BadRequest(name, "POST", path, token, "application/json", body, Map.of(), 0, null);
  }

  public static BadRequest get(String name, String path, String token) {
    return new BadRequest(name, "GET", path, token, null, null, Map.of(), 0, null);
  }

  /** The status (4xx) and problem code this request must get. */
  public BadRequest expect(int status, String code) {
    if (status < 400 || status > 499) {
      throw new IllegalArgumentException(
          name + ": a bad request expects a 4xx status, not " + status);
    }
    if (code == null || !CODE.matcher(code).matches()) {
      throw new IllegalArgumentException(name + ": not a stable problem code: " + code);
    }
    return new BadRequest(name, method, path, token, contentType, body, headers, status, code);
  }

  public BadRequest withContentType(String type) {
    return new BadRequest(
        name, method, path, token, type, body, headers, expectedStatus, expectedCode);
  }

  public BadRequest withHeader(String header, String value) {
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.put(header, value);
    return new BadRequest(
        name,
        method,
        path,
        token,
        contentType,
        body,
        Map.copyOf(all),
        expectedStatus,
        expectedCode);
  }

  /**
   * Sends the request exactly as given (raw bytes, any content type) and checks the answer: the
   * expected status and code, problem+json, the status repeated in the body, no internals. Returns
   * the problem's code.
   */
  public String sendAndCheck() {
    requireExpectation();
    java.net.http.HttpResponse<String> response =
        send(method, path, token, contentType, body, headers, name);
    int status = response.statusCode();
    String text = response.body();
    String type = response.headers().firstValue("Content-Type").orElse("");
    String code = null;
    com.fasterxml.jackson.databind.JsonNode problem = null;
    if (type.startsWith("application/problem+json")) {
      try {
        problem = JSON.readTree(text);
        code = problem.path("code").asText(null);
      } catch (java.io.IOException e) {
        fail(name + ": problem body is not JSON: " + text);
      }
    }
    if (status != expectedStatus || !expectedCode.equals(code)) {
      fail(
          name
              + ": expected "
              + expectedStatus
              + " "
              + expectedCode
              + ", got "
              + status
              + " "
              + code
              + " "
              + abbreviate(text));
    }
    assertTrue(
        type.startsWith("application/problem+json"),
        name + ": not problem+json: " + type + " " + text);
    assertEquals(status, problem.path("status").asInt(), name + ": status in body");
    assertTrue(
        !(text.contains("Exception")
            || text.contains("\tat ")
            || text.contains("org.hibernate")
            || text.contains("SQL")),
        name + ": internals leaked: " + text);
    return code;
  }

  /**
   * Sends every case (after checking that each has an expectation and none is the same request as
   * another) and fails once, naming every case that did not get what it expects. Returns how many
   * cases got each code.
   */
  public static Map<String, Integer> sendAll(List<BadRequest> cases) {
    List<String> unexpected =
        cases.stream().filter(c -> c.expectedCode == null).map(BadRequest::name).toList();
    if (!unexpected.isEmpty()) {
      throw new IllegalStateException("cases without an expected status and code: " + unexpected);
    }
    Set<BadRequest> distinct = new LinkedHashSet<>();
    for (BadRequest c : cases) {
      assertTrue(distinct.add(c), "the same request twice: " + c.name());
    }
    Map<String, Integer> codes = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    for (BadRequest c : cases) {
      try {
        codes.merge(c.sendAndCheck(), 1, Integer::sum);
      } catch (AssertionError e) {
        failures.add(e.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      fail(
          failures.size()
              + " of "
              + cases.size()
              + " cases did not get what they expect:\n  "
              + String.join("\n  ", failures));
    }
    return codes;
  }

  /**
   * A valid request sent the same way as the cases, which must succeed (2xx): proves that the token
   * and the request shape the cases break are accepted when nothing is broken. Returns the body.
   */
  public static String control(String name, String method, String path, String token, String body) {
    java.net.http.HttpResponse<String> response =
        send(method, path, token, body == null ? null : "application/json", body, Map.of(), name);
    assertTrue(
        response.statusCode() >= 200 && response.statusCode() < 300,
        "control "
            + name
            + ": expected 2xx, got "
            + response.statusCode()
            + " "
            + abbreviate(response.body()));
    return response.body();
  }

  private void requireExpectation() {
    if (expectedCode == null) {
      throw new IllegalStateException(
          name + ": no expected status and code; give them with expect(status, code)");
    }
  }

  private static java.net.http.HttpResponse<String> send(
      String method,
      String path,
      String token,
      String contentType,
      String body,
      Map<String, String> headers,
      String name) {
    try {
      java.net.URI uri =
          java.net.URI.create(
              io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + path);
      java.net.http.HttpRequest.Builder builder =
          java.net.http.HttpRequest.newBuilder(uri).timeout(java.time.Duration.ofSeconds(30));
      if (token != null) {
        builder.header("Authorization", "Bearer " + token);
      }
      if (contentType != null) {
        builder.header("Content-Type", contentType);
      }
      headers.forEach(builder::header);
      builder.method(
          method,
          body == null
              ? java.net.http.HttpRequest.BodyPublishers.noBody()
              : java.net.http.HttpRequest.BodyPublishers.ofByteArray(
                  body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      java.net.http.HttpRequest request = builder.build();
      java.net.http.HttpResponse<String> response =
          CLIENT.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
      // these requests break the service's OpenAPI document on purpose: each must get an answer
      // the document describes
      org.tanso.testing.openapi.OpenApiContract.ofClassPath()
          .ifPresent(
              contract ->
                  contract.check(
                      org.tanso.testing.openapi.OpenApiContract.request(
                          method, uri, request.headers().map(), body),
                      org.tanso.testing.openapi.OpenApiContract.response(
                          response.statusCode(), response.headers().map(), response.body())));
      return response;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String abbreviate(String text) {
    return text == null || text.length() <= 300
        ? String.valueOf(text)
        : text.substring(0, 300) + "…";
  }

  private static final java.net.http.HttpClient CLIENT =
      java.net.http.HttpClient.newBuilder()
          .version(java.net.http.HttpClient.Version.HTTP_1_1)
          .build();
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
}
