package org.tanso.local;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tanso.devtokens.DevKeys;
import org.tanso.devtokens.DevTokens;

/**
 * The whole system as its users see it: the packaged services on one real broker and real
 * PostgreSQL, driven over REST. A developer submits, an administrator approves, and
 * registry-service's blocks appear in the allocated accounts.
 */
class EndToEndIT {

  private static StackRunner stack;
  private static DevTokens tokens;

  @BeforeAll
  static void up() throws Exception {
    stack = new StackRunner("end-to-end-it");
    StackRunner.Result up = stack.up();
    assertEquals(0, up.exitCode(), up.output());
    tokens = new DevTokens(DevKeys.loadOrCreate(stack.state.resolve("keys")).privateKey(), DevTokens.DEFAULT_ISSUER);
  }

  @AfterAll
  static void down() throws Exception {
    stack.tearDown();
  }

  @Test
  void jcmSubmitApproveIssue() {
    String dev = participant("VN");
    String a = account(dev, "VN");
    String b = account(participant("JP"), "JP");
    String project = project("JCM", dev, List.of(a, b), List.of(60, 40));
    JsonPath issued = submitApproveAndAwaitIssued(dev, project, 1_000);
    String unitId = issued.getString("issued.unitId");
    assertEquals("JCM-VN-" + project + "-2025-0001", unitId);
    assertEquals(600, balance(a));
    assertEquals(400, balance(b));
    long sum = 0;
    for (Map<String, Object> block : issued.<Map<String, Object>>getList("issued.blocks")) {
      sum += ((Number) block.get("quantity")).longValue();
    }
    assertEquals(1_000, sum);
    assertEquals(1_000, given().auth().oauth2(admin()).get(issuance("/projects/" + project)).then().statusCode(200).extract().<Integer>path("issuedToDate"));
    assertEquals(a, given().auth().oauth2(admin()).get(registry("/units/" + unitId + "/600")).then().statusCode(200).extract().path("account"));
    assertEquals(b, given().auth().oauth2(admin()).get(registry("/units/" + unitId + "/601")).then().statusCode(200).extract().path("account"));
  }

  @Test
  void a64DeductsShareOfProceedsAndOverallMitigation() {
    String dev = participant("VN");
    String a = account(dev, "VN");
    String b = account(participant("JP"), "JP");
    String sop = "JP-600-000001-70";
    String omge = "JP-500-000002-19";
    long sopBefore = balance(sop);
    String project = project("A6_4", dev, List.of(a, b), List.of(60, 40));
    JsonPath issued = submitApproveAndAwaitIssued(dev, project, 1_000);
    String unitId = issued.getString("issued.unitId");
    // 1,000: share of proceeds 50 (serials 1..50), OMGE 20 (51..70, cancelled), rest 930: 558 and 372
    assertEquals(sopBefore + 50, balance(sop));
    assertEquals(558, balance(a));
    assertEquals(372, balance(b));
    JsonPath omgeUnit = given().auth().oauth2(admin()).get(registry("/units/" + unitId + "/51")).then().statusCode(200).extract().jsonPath();
    assertEquals(omge, omgeUnit.getString("account"));
    assertEquals("CANCELLED", omgeUnit.getString("state"));
    assertEquals(sop, given().auth().oauth2(admin()).get(registry("/units/" + unitId + "/50")).then().statusCode(200).extract().path("account"));
    assertEquals(List.of(50, 20, 558, 372), issued.getList("issued.blocks.quantity"));
  }

  @Test
  void theAuditLogCapturesEveryEventVerifiesAndReconciles() throws Exception {
    String dev = participant("VN");
    String buyer = participant("JP");
    String a = account(dev, "VN");
    String b = account(buyer, "JP");
    String project = project("A6_4", dev, List.of(a), List.of(100));
    submitApproveAndAwaitIssued(dev, project, 500);
    String devToken = tokens.mint("project-developer", dev, Duration.ofMinutes(10));
    String buyerToken = tokens.mint("project-developer", buyer, Duration.ofMinutes(10));
    for (int i = 0; i < 5; i++) {
      given().auth().oauth2(devToken).contentType(ContentType.JSON).body(Map.of("from", a, "to", b, "quantity", 20 + i))
          .post(registry("/transfers")).then().statusCode(201);
    }
    given().auth().oauth2(buyerToken).contentType(ContentType.JSON)
        .body(Map.of("account", b, "quantity", 30, "beneficiary", "Acme Airlines", "purpose", "OIMP", "usingParty", "JP"))
        .post(registry("/retirements")).then().statusCode(201);
    given().auth().oauth2(devToken).contentType(ContentType.JSON).body(Map.of("account", a, "quantity", 7, "reason", "voluntary"))
        .post(registry("/cancellations")).then().statusCode(201);

    // every event the two services committed is in the log, once
    long produced = awaitAllPublished();
    String regulator = tokens.mint("regulator", null, Duration.ofMinutes(10));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonPath verification = null;
    while (System.nanoTime() < deadline) {
      verification = given().auth().oauth2(regulator).get(audit("/audit/verification")).then().statusCode(200).extract().jsonPath();
      if (verification.getLong("entries") >= produced) {
        break;
      }
      sleep(200);
    }
    assertEquals(produced, verification.getLong("entries"), "audit entries = events produced");
    assertTrue(verification.getBoolean("ok"), verification.prettify());

    JsonPath reconciliation = given().auth().oauth2(regulator).get(audit("/audit/reconciliation")).then().statusCode(200).extract().jsonPath();
    assertTrue(reconciliation.getBoolean("ok"), reconciliation.prettify());
    assertTrue(reconciliation.getInt("accountsChecked") >= 4, reconciliation.prettify());

    // change registry-service's database behind its back: reconciliation must notice
    try (Connection c = DriverManager.getConnection(serverUrl() + "/" + stack.dbPrefix + "_registry", StackRunner.PG_USER, StackRunner.PG_PASSWORD);
        Statement st = c.createStatement()) {
      assertEquals(1, st.executeUpdate("UPDATE credit_block SET account = '" + a + "' WHERE id = (SELECT max(id) FROM credit_block WHERE account = '" + b + "' AND state = 'ACTIVE')"));
    }
    JsonPath broken = given().auth().oauth2(regulator).get(audit("/audit/reconciliation")).then().statusCode(200).extract().jsonPath();
    assertTrue(!broken.getBoolean("ok"), broken.prettify());
    List<String> kinds = broken.getList("discrepancies.kind");
    assertTrue(kinds.contains("ACCOUNT_TOTAL") && kinds.contains("BLOCK"), broken.prettify());
    assertTrue(broken.<String>getList("discrepancies.account").contains(b), broken.prettify());
  }

  /** Waits until both services' outboxes are drained and returns how many events they produced. */
  private long awaitAllPublished() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      long total = 0;
      long pending = 0;
      for (String db : List.of("_registry", "_issuance")) {
        try (Connection c = DriverManager.getConnection(serverUrl() + "/" + stack.dbPrefix + db, StackRunner.PG_USER, StackRunner.PG_PASSWORD);
            Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT count(*), count(*) FILTER (WHERE published_at IS NULL) FROM outbox_event")) {
          rs.next();
          total += rs.getLong(1);
          pending += rs.getLong(2);
        }
      }
      if (pending == 0 || System.nanoTime() > deadline) {
        assertEquals(0, pending, "outbox drained");
        return total;
      }
      sleep(100);
    }
  }

  private static String serverUrl() {
    String url = StackRunner.PG_URL;
    return url.substring(0, url.indexOf('/', "jdbc:postgresql://".length()));
  }

  private String audit(String path) {
    return "http://127.0.0.1:" + stack.auditPort + path;
  }

  private JsonPath submitApproveAndAwaitIssued(String dev, String project, long quantity) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("project", project);
    body.put("monitoringPeriod", Map.of("start", "2025-01-01", "end", "2025-12-31"));
    body.put("vintage", 2025);
    body.put("quantity", quantity);
    body.put("verificationReport", Map.of("reference", "VR-" + project, "sha256", "ab".repeat(32)));
    String id = given().auth().oauth2(tokens.mint("project-developer", dev, Duration.ofMinutes(10))).contentType(ContentType.JSON).body(body)
        .post(issuance("/issuance-requests")).then().statusCode(201).extract().path("id");
    long approvedAt = System.nanoTime();
    given().auth().oauth2(admin()).post(issuance("/issuance-requests/" + id + "/approval")).then().statusCode(200);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      JsonPath request = given().auth().oauth2(admin()).get(issuance("/issuance-requests/" + id)).then().statusCode(200).extract().jsonPath();
      if (!"APPROVED".equals(request.getString("status"))) {
        assertEquals("ISSUED", request.getString("status"), request.prettify());
        System.out.printf("approval to ISSUED for %d units: %d ms%n", quantity, (System.nanoTime() - approvedAt) / 1_000_000);
        return request;
      }
      sleep(50);
    }
    throw new AssertionError("request " + id + " not ISSUED within 30 s");
  }

  private String participant(String party) {
    String id = "P" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase(Locale.ROOT);
    given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("id", id, "name", "Participant " + id, "party", party))
        .post(registry("/participants")).then().statusCode(201);
    return id;
  }

  private String account(String holder, String party) {
    return given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("holder", holder, "party", party, "type", "HOLDING"))
        .post(registry("/accounts")).then().statusCode(201).extract().path("number");
  }

  private String project(String mechanism, String participant, List<String> accounts, List<Integer> percents) {
    String id = "VN" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase(Locale.ROOT);
    List<Map<String, Object>> allocation = new ArrayList<>();
    for (int i = 0; i < accounts.size(); i++) {
      allocation.add(Map.of("account", accounts.get(i), "percent", percents.get(i)));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("title", "Rooftop solar " + id);
    body.put("mechanism", mechanism);
    body.put("hostParty", "VN");
    body.put("partnerParty", "JP");
    body.put("methodology", "VN_AM007");
    body.put("sectoralScope", "1 Energy industries");
    body.put("participants", List.of(participant));
    body.put("authorisation", Map.of("id", "AUTH-" + id, "date", "2025-01-10", "purpose", "NDC", "quantity", 100_000));
    body.put("allocation", allocation);
    given().auth().oauth2(admin()).contentType(ContentType.JSON).body(body).post(issuance("/projects")).then().statusCode(201);
    return id;
  }

  private long balance(String account) {
    return given().auth().oauth2(admin()).get(registry("/accounts/" + account)).then().statusCode(200).extract().<Integer>path("balance");
  }

  private String admin() {
    return tokens.mint(List.of("registry-admin"), null, "admin-" + UUID.randomUUID(), Duration.ofMinutes(10));
  }

  private String registry(String path) {
    return "http://127.0.0.1:" + stack.registryPort + path;
  }

  private String issuance(String path) {
    return "http://127.0.0.1:" + stack.issuancePort + path;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
