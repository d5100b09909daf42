package org.tanso.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

/**
 * One hostile or broken request and what a client must get back: a 4xx RFC 9457 problem with a
 * stable code, and never a stack trace.
 */
public record BadRequest(String name, String method, String path, String token, String contentType, String body, Map<String, String> headers) {

  /** Two cases are the same request when everything but the name is equal. */
  @Override
  public boolean equals(Object other) {
    return other instanceof BadRequest o && method.equals(o.method) && path.equals(o.path) && java.util.Objects.equals(token, o.token)
        && java.util.Objects.equals(contentType, o.contentType) && java.util.Objects.equals(body, o.body) && headers.equals(o.headers);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(method, path, token, contentType, body, headers);
  }

  public static BadRequest post(String name, String path, String token, String body) {
    return new BadRequest(name, "POST", path, token, "application/json", body, Map.of());
  }

  public static BadRequest get(String name, String path, String token) {
    return new BadRequest(name, "GET", path, token, null, null, Map.of());
  }

  public BadRequest withContentType(String type) {
    return new BadRequest(name, method, path, token, type, body, headers);
  }

  public BadRequest withHeader(String header, String value) {
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.put(header, value);
    return new BadRequest(name, method, path, token, contentType, body, Map.copyOf(all));
  }

  /** Sends the request exactly as given (raw bytes, any content type) and checks the answer; returns the problem's code. */
  public String sendAndCheck() {
    try {
      java.net.URI uri = java.net.URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + path);
      java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(uri).timeout(java.time.Duration.ofSeconds(30));
      if (token != null) {
        builder.header("Authorization", "Bearer " + token);
      }
      if (contentType != null) {
        builder.header("Content-Type", contentType);
      }
      headers.forEach(builder::header);
      builder.method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
          : java.net.http.HttpRequest.BodyPublishers.ofByteArray(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      java.net.http.HttpResponse<String> response = CLIENT.send(builder.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      int status = response.statusCode();
      String text = response.body();
      assertTrue(status >= 400 && status < 500, name + ": expected 4xx, got " + status + " " + text);
      String type = response.headers().firstValue("Content-Type").orElse("");
      assertTrue(type.startsWith("application/problem+json"), name + ": not problem+json: " + type + " " + text);
      com.fasterxml.jackson.databind.JsonNode problem = JSON.readTree(text);
      String code = problem.path("code").asText(null);
      assertNotNull(code, name + ": no code in " + text);
      assertTrue(code.matches("[A-Z][A-Z0-9_]+"), name + ": unstable code " + code);
      assertEquals(status, problem.path("status").asInt(), name + ": status in body");
      assertFalse(text.contains("Exception") || text.contains("\tat ") || text.contains("org.hibernate") || text.contains("SQL"),
          name + ": internals leaked: " + text);
      return code;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static final java.net.http.HttpClient CLIENT = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
}
