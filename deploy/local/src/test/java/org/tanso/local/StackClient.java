package org.tanso.local;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.tanso.devtokens.DevKeys;
import org.tanso.devtokens.DevTokens;

/** Drives a running stack over REST the way its users do, with tokens signed by the stack's development key. */
final class StackClient {

  final StackRunner stack;
  final DevTokens tokens;

  StackClient(StackRunner stack) {
    this.stack = stack;
    this.tokens = new DevTokens(DevKeys.loadOrCreate(stack.state.resolve("keys")).privateKey(), DevTokens.DEFAULT_ISSUER);
  }

  /** Waits until both services' outboxes are drained and returns how many events they produced. */
  long awaitAllPublished() throws Exception {
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

  static String serverUrl() {
    String url = StackRunner.PG_URL;
    return url.substring(0, url.indexOf('/', "jdbc:postgresql://".length()));
  }

  String audit(String path) {
    return "http://127.0.0.1:" + stack.auditPort + path;
  }

  JsonPath submitApproveAndAwaitIssued(String dev, String project, long quantity) {
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

  String participant(String party) {
    String id = "P" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase(Locale.ROOT);
    given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("id", id, "name", "Participant " + id, "party", party))
        .post(registry("/participants")).then().statusCode(201);
    return id;
  }

  String account(String holder, String party) {
    return given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("holder", holder, "party", party, "type", "HOLDING"))
        .post(registry("/accounts")).then().statusCode(201).extract().path("number");
  }

  String project(String mechanism, String participant, List<String> accounts, List<Integer> percents) {
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

  long balance(String account) {
    return given().auth().oauth2(admin()).get(registry("/accounts/" + account)).then().statusCode(200).extract().<Integer>path("balance");
  }

  String admin() {
    return tokens.mint(List.of("registry-admin"), null, "admin-" + UUID.randomUUID(), Duration.ofMinutes(10));
  }

  String registry(String path) {
    return "http://127.0.0.1:" + stack.registryPort + path;
  }

  String issuance(String path) {
    return "http://127.0.0.1:" + stack.issuancePort + path;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
