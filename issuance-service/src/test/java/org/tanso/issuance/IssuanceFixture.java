package org.tanso.issuance;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.tanso.events.CloudEventHeaders;
import org.tanso.events.Topics;
import org.tanso.testing.OutboxTable;
import org.tanso.testing.TestKafka;
import org.tanso.testing.TestTokens;

/** Builds issuance-service state through its REST API, and plays registry-service on the topic. */
public final class IssuanceFixture {

  static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  static final String SHA = "9f2b5c1e7a4d3f60b8e1c2d4a5f67890abcdef0123456789fedcba9876543210";

  private IssuanceFixture() {}

  public static String unique(String prefix) {
    return prefix
        + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase(Locale.ROOT);
  }

  public static String admin(String subject) {
    return TestTokens.registryAdmin(subject);
  }

  public static String admin() {
    return admin(unique("admin-"));
  }

  public static String developer(String participant) {
    return TestTokens.projectDeveloper(participant);
  }

  public static String account(String party, int type, int sequence) {
    String body = party + type + String.format(Locale.ROOT, "%06d", sequence);
    StringBuilder digits = new StringBuilder();
    for (char c : body.toCharArray()) {
      digits.append(Character.isLetter(c) ? Integer.toString(c - 'A' + 10) : Character.toString(c));
    }
    int check = 98 - new BigInteger(digits + "00").mod(BigInteger.valueOf(97)).intValue();
    return party
        + "-"
        + type
        + "-"
        + String.format(Locale.ROOT, "%06d", sequence)
        + "-"
        + String.format(Locale.ROOT, "%02d", check);
  }

  public static Map<String, Object> project(
      String id, String mechanism, List<String> participants, Map<String, Object> authorisation) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("title", "Solar mini-grids " + id);
    body.put("mechanism", mechanism);
    body.put("hostParty", "VN");
    body.put("partnerParty", "JP");
    body.put("methodology", "VN_AM007");
    body.put("sectoralScope", "1 Energy industries");
    body.put("participants", participants);
    body.put("authorisation", authorisation);
    body.put(
        "allocation",
        List.of(
            Map.of("account", account("VN", 100, 11), "percent", 60),
            Map.of("account", account("JP", 100, 42), "percent", 40)));
    return body;
  }

  public static Map<String, Object> authorisation(long quantity) {
    return Map.of(
        "id", "AUTH-" + unique(""), "date", "2025-01-15", "purpose", "NDC", "quantity", quantity);
  }

  /** An NDC authorisation of {@code quantity} units with {@code changes} applied; modifiable. */
  public static Map<String, Object> authorisation(long quantity, Map<String, Object> changes) {
    Map<String, Object> a = new LinkedHashMap<>(authorisation(quantity));
    a.putAll(changes);
    return a;
  }

  /** Registers a JCM project with the given participant and returns its id. */
  public static String registerProject(String participant, Map<String, Object> authorisation) {
    String id = unique("VN");
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(project(id, "JCM", List.of(participant), authorisation))
        .post("/projects")
        .then()
        .statusCode(201);
    return id;
  }

  public static Map<String, Object> submission(
      String project, String start, String end, int vintage, long quantity) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("project", project);
    body.put("monitoringPeriod", Map.of("start", start, "end", end));
    body.put("vintage", vintage);
    body.put("quantity", quantity);
    body.put("verificationReport", Map.of("reference", "VR-" + project, "sha256", SHA));
    return body;
  }

  public static Response submit(String token, Object body) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/issuance-requests");
  }

  public static String submitted(
      String participant, String project, String start, String end, int vintage, long quantity) {
    return submit(developer(participant), submission(project, start, end, vintage, quantity))
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  static Response approve(String token, String requestId) {
    return given().auth().oauth2(token).post("/issuance-requests/" + requestId + "/approval");
  }

  static String status(String requestId) {
    return given()
        .auth()
        .oauth2(admin())
        .get("/issuance-requests/" + requestId)
        .then()
        .statusCode(200)
        .extract()
        .path("status");
  }

  static long issuedToDate(String project) {
    Number n =
        given()
            .auth()
            .oauth2(admin())
            .get("/projects/" + project)
            .then()
            .statusCode(200)
            .extract()
            .path("issuedToDate");
    return n.longValue();
  }

  /** Publishes what registry-service would answer, with CloudEvents headers. */
  public static void publishRegistryEvent(UUID eventId, String name, String key, Object payload)
      throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(CloudEventHeaders.SPEC_VERSION, "1.0");
    headers.put(CloudEventHeaders.ID, eventId.toString());
    headers.put(CloudEventHeaders.TYPE, "tanso.registry." + name + ".v1");
    headers.put(CloudEventHeaders.SOURCE, "/tanso/registry-service");
    headers.put(CloudEventHeaders.TIME, Instant.now().toString());
    headers.put(CloudEventHeaders.SUBJECT, key);
    TestKafka.send(Topics.REGISTRY_EVENTS, key, JSON.writeValueAsString(payload), headers);
  }

  /**
   * Events of {@code type} about {@code requestId} on tanso.issuance.events, waiting up to 20 s for
   * at least {@code atLeast}.
   */
  static List<JsonNode> issuanceEvents(String type, String field, String value, int atLeast) {
    List<TestKafka.Received> read =
        TestKafka.readUntil(
            Topics.ISSUANCE_EVENTS,
            got -> got.stream().filter(r -> matches(r, type, field, value)).count() >= atLeast,
            Duration.ofSeconds(20));
    List<JsonNode> found = new ArrayList<>();
    for (TestKafka.Received r : read) {
      if (matches(r, type, field, value)) {
        found.add(parse(r.value()));
      }
    }
    return found;
  }

  /**
   * Every event of {@code type} about {@code value} on tanso.issuance.events once issuance-service
   * has consumed all that tanso.registry.events holds now and published all it committed: an exact
   * count, not "at least".
   */
  static List<JsonNode> allIssuanceEventsSettled(
      javax.sql.DataSource dataSource, String type, String field, String value) {
    TestKafka.awaitConsumed("issuance-service", Topics.REGISTRY_EVENTS, Duration.ofSeconds(30));
    OutboxTable.awaitDrained(dataSource, Duration.ofSeconds(30));
    List<JsonNode> found = new ArrayList<>();
    for (TestKafka.Received r : TestKafka.readToEnd(Topics.ISSUANCE_EVENTS)) {
      if (matches(r, type, field, value)) {
        found.add(parse(r.value()));
      }
    }
    return found;
  }

  static TestKafka.Received issuanceRecord(String type, String field, String value) {
    return TestKafka.readUntil(
            Topics.ISSUANCE_EVENTS,
            got -> got.stream().anyMatch(r -> matches(r, type, field, value)),
            Duration.ofSeconds(20))
        .stream()
        .filter(r -> matches(r, type, field, value))
        .findFirst()
        .orElseThrow();
  }

  private static boolean matches(TestKafka.Received r, String type, String field, String value) {
    if (!("tanso.issuance." + type + ".v1").equals(r.headers().get("ce_type"))) {
      return false;
    }
    JsonNode node = parse(r.value());
    return node != null && node.get(field) != null && value.equals(node.get(field).asText());
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      return null;
    }
  }
}
