package org.tanso.registry;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.tanso.events.CloudEventHeaders;
import org.tanso.events.Topics;
import org.tanso.events.issuance.IssuanceApproved;
import org.tanso.testing.TestKafka;
import org.tanso.testing.TestTokens;

/**
 * Builds registry state through the service's own doors: REST calls and events on the real topic.
 */
public final class RegistryFixture {

  static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private RegistryFixture() {}

  public static String admin() {
    return TestTokens.registryAdmin("admin-" + UUID.randomUUID());
  }

  public static String developer(String participant) {
    return TestTokens.projectDeveloper(participant);
  }

  public static String unique(String prefix) {
    return prefix
        + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase(Locale.ROOT);
  }

  public static String participant(String party) {
    String id = unique("P");
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(Map.of("id", id, "name", "Participant " + id, "party", party))
        .post("/participants")
        .then()
        .statusCode(201);
    return id;
  }

  public static String account(String holder, String party, String type) {
    return given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(Map.of("holder", holder, "party", party, "type", type))
        .post("/accounts")
        .then()
        .statusCode(201)
        .extract()
        .path("number");
  }

  public static String holdingAccount(String holder) {
    return account(holder, "JP", "HOLDING");
  }

  public static long balance(String account) {
    Number n =
        given()
            .auth()
            .oauth2(admin())
            .get("/accounts/" + account)
            .then()
            .statusCode(200)
            .extract()
            .path("balance");
    return n.longValue();
  }

  public static void awaitBalance(String account, long expected) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> balance(account) == expected);
  }

  /** An approval as issuance-service would publish it. */
  static IssuanceApproved approval(
      String project,
      String mechanism,
      int vintage,
      LocalDate start,
      LocalDate end,
      long quantity,
      Map<String, ? extends Number> allocation,
      IssuanceApproved.Authorisation authorisation) {
    List<IssuanceApproved.AllocationShare> shares = new ArrayList<>();
    allocation.forEach(
        (account, percent) ->
            shares.add(
                new IssuanceApproved.AllocationShare(account, new BigDecimal(percent.toString()))));
    return new IssuanceApproved(
        unique("REQ-"),
        project,
        mechanism,
        "VN",
        "JP",
        vintage,
        new IssuanceApproved.MonitoringPeriod(start, end),
        quantity,
        shares,
        authorisation,
        "admin-approver",
        Instant.now());
  }

  static IssuanceApproved jcm(
      String project, long quantity, Map<String, ? extends Number> allocation) {
    return approval(
        project,
        "JCM",
        2025,
        LocalDate.of(2025, 1, 1),
        LocalDate.of(2025, 12, 31),
        quantity,
        allocation,
        null);
  }

  static UUID publish(IssuanceApproved approved) {
    UUID eventId = UUID.randomUUID();
    publish(approved, eventId);
    return eventId;
  }

  static void publish(IssuanceApproved approved, UUID eventId) {
    try {
      TestKafka.send(
          Topics.ISSUANCE_EVENTS,
          approved.requestId(),
          JSON.writeValueAsString(approved),
          headers(eventId, "tanso.issuance.IssuanceApproved.v1", approved.requestId()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, String> headers(UUID eventId, String type, String subject) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(CloudEventHeaders.SPEC_VERSION, "1.0");
    headers.put(CloudEventHeaders.ID, eventId.toString());
    headers.put(CloudEventHeaders.TYPE, type);
    headers.put(CloudEventHeaders.SOURCE, "/tanso/issuance-service");
    headers.put(CloudEventHeaders.TIME, Instant.now().toString());
    headers.put(CloudEventHeaders.SUBJECT, subject);
    return headers;
  }

  /** Mints {@code quantity} units into {@code account} (JCM, 100 %) and waits until they arrive. */
  public static String fund(String account, long quantity) {
    long before = balance(account);
    String project = unique("PR");
    publish(jcm(project, quantity, Map.of(account, 100)));
    awaitBalance(account, before + quantity);
    return project;
  }

  public static Response transfer(String token, Object body) {
    return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post("/transfers");
  }

  public static Map<String, Object> transferBody(String from, String to, long quantity) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("from", from);
    body.put("to", to);
    body.put("quantity", quantity);
    return body;
  }

  /**
   * An Article 6 authorisation for {@code purposes} ({@code NDC}, {@code OIMP}), with its first
   * transfer definition for OIMP.
   */
  public static IssuanceApproved.Authorisation authorisation(
      List<String> purposes, String firstTransferDefinition) {
    return new IssuanceApproved.Authorisation(
        unique("AUTH-"),
        LocalDate.of(2025, 3, 1),
        purposes.get(0),
        purposes,
        1_000_000,
        "JCM-VN-JP",
        firstTransferDefinition);
  }

  public static IssuanceApproved.Authorisation ndc() {
    return authorisation(List.of("NDC"), null);
  }

  /**
   * Mints {@code quantity} units with {@code authorisation} (null: mitigation contribution) into
   * {@code account}; returns their unit id.
   */
  public static String issue(
      String account, long quantity, IssuanceApproved.Authorisation authorisation) {
    long before = balance(account);
    String project = unique("PR");
    publish(
        approval(
            project,
            "JCM",
            2025,
            LocalDate.of(2025, 1, 1),
            LocalDate.of(2025, 12, 31),
            quantity,
            Map.of(account, 100),
            authorisation));
    awaitBalance(account, before + quantity);
    return "JCM-VN-" + project + "-2025-0001";
  }

  /**
   * The holdings of {@code account} (every block it holds in any state), read as an administrator.
   */
  public static List<Map<String, Object>> holdings(String account) {
    return given()
        .auth()
        .oauth2(admin())
        .queryParam("limit", 500)
        .get("/accounts/" + account + "/holdings")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("items");
  }

  /** GET /accounts/{number} as an administrator. */
  public static io.restassured.path.json.JsonPath accountView(String account) {
    return given()
        .auth()
        .oauth2(admin())
        .get("/accounts/" + account)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  public static io.restassured.path.json.JsonPath transaction(String id) {
    return given()
        .auth()
        .oauth2(admin())
        .get("/transactions/" + id)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  public static io.restassured.path.json.JsonPath unit(String unitId, long serial) {
    return given()
        .auth()
        .oauth2(admin())
        .get("/units/" + unitId + "/" + serial)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  public static Response retire(String token, String account, long quantity) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "account",
                account,
                "quantity",
                quantity,
                "beneficiary",
                "Test beneficiary",
                "purpose",
                "NDC",
                "usingParty",
                "JP"))
        .post("/retirements");
  }

  public static Response cancel(String token, String account, long quantity) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(Map.of("account", account, "quantity", quantity, "reason", "voluntary cancellation"))
        .post("/cancellations");
  }

  public static void changeStatus(String account, String status) {
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(Map.of("status", status, "reason", "test"))
        .put("/accounts/" + account + "/status")
        .then()
        .statusCode(200);
  }
}
