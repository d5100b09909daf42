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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.tanso.devtokens.DevKeys;
import org.tanso.devtokens.DevTokens;

/**
 * Drives a running stack over REST the way its users do, with tokens signed by the stack's
 * development key.
 */
final class StackClient {

  final StackRunner stack;
  final DevTokens tokens;
  private final int registryPort;
  private final int issuancePort;
  private final int auditPort;

  StackClient(StackRunner stack) {
    this(stack, stack.registryPort, stack.issuancePort, stack.auditPort);
  }

  /**
   * A client of particular instances of the services: {@code tanso up --*-instances} puts the n-th
   * on the first one's port + 100 (n - 1).
   */
  StackClient(StackRunner stack, int registryPort, int issuancePort, int auditPort) {
    this.stack = stack;
    this.tokens =
        new DevTokens(
            DevKeys.loadOrCreate(stack.state.resolve("keys")).privateKey(),
            DevTokens.DEFAULT_ISSUER);
    this.registryPort = registryPort;
    this.issuancePort = issuancePort;
    this.auditPort = auditPort;
  }

  /**
   * The stack's database of one service ("registry", "issuance", "audit"), on whichever server
   * {@code tanso up} used.
   */
  Connection database(String service) throws Exception {
    StackState state = StackState.load(stack.state.resolve("stack.properties"));
    String admin = state.setting("postgres.url").orElse(StackRunner.PG_URL);
    String user = state.setting("postgres.user").orElse(StackRunner.PG_USER);
    String password = admin.equals(StackRunner.PG_URL) ? StackRunner.PG_PASSWORD : "";
    return DriverManager.getConnection(
        admin.substring(0, admin.lastIndexOf('/')) + "/" + stack.dbPrefix + "_" + service,
        user,
        password);
  }

  /** The ids of every event the registry's and issuance's outboxes hold. */
  Set<String> producedEventIds() throws Exception {
    Set<String> ids = new HashSet<>();
    for (String db : List.of("registry", "issuance")) {
      try (Connection c = database(db);
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT CAST(event_id AS text) FROM outbox_event")) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  /** The CreditsRetired event the audit log derives a public record from. */
  static final String RETIRED = "tanso.registry.CreditsRetired.v1";

  /**
   * The event id of the public record audit-service appends right after a CreditsRetired entry
   * (type tanso.audit.RetirementPublished.v1): name-based on the retirement's event id.
   */
  static String publicRecordId(String retiredEventId) {
    return UUID.nameUUIDFromBytes(
            ("tanso.audit.RetirementPublished.v1/" + retiredEventId)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .toString();
  }

  /** How many CreditsRetired events the registry's outbox holds. */
  long producedRetirements() throws Exception {
    return retiredEventIds().size();
  }

  private Set<String> retiredEventIds() throws Exception {
    Set<String> ids = new HashSet<>();
    try (Connection c = database("registry");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT CAST(event_id AS text) FROM outbox_event WHERE type = '" + RETIRED + "'")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  /**
   * Waits until the audit log holds an entry for every event the outboxes produced and the public
   * record of every retirement among them, then asserts it holds exactly those, each once, at
   * sequence numbers 1..n with no gap. Returns n.
   */
  long assertAuditLogHoldsEveryEventOnce() throws Exception {
    awaitAllPublished();
    Set<String> produced = producedEventIds();
    for (String retired : retiredEventIds()) {
      produced.add(publicRecordId(retired));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<String> logged = new ArrayList<>();
    long minSeq = 0;
    long maxSeq = 0;
    while (true) {
      logged.clear();
      try (Connection c = database("audit");
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery("SELECT CAST(event_id AS text), seq FROM audit_entry ORDER BY seq")) {
        while (rs.next()) {
          logged.add(rs.getString(1));
          minSeq = logged.size() == 1 ? rs.getLong(2) : minSeq;
          maxSeq = rs.getLong(2);
        }
      }
      if (logged.size() >= produced.size() || System.nanoTime() > deadline) {
        break;
      }
      sleep(250);
    }
    Set<String> distinct = new HashSet<>(logged);
    assertEquals(logged.size(), distinct.size(), "no event is twice in the audit log");
    Set<String> missing = new HashSet<>(produced);
    missing.removeAll(distinct);
    Set<String> foreign = new HashSet<>(distinct);
    foreign.removeAll(produced);
    assertEquals(
        Set.of(),
        missing,
        "events produced but missing from the audit log ("
            + produced.size()
            + " produced, "
            + logged.size()
            + " logged)");
    assertEquals(Set.of(), foreign, "audit entries of no produced event");
    assertEquals(1, minSeq, "the audit log starts at sequence number 1");
    assertEquals(
        logged.size(), maxSeq, "audit sequence numbers are 1.." + logged.size() + " without a gap");
    return logged.size();
  }

  /** GET of an audit resource as a regulator; asserts it answers 200 with "ok": true. */
  JsonPath auditOk(String path) {
    JsonPath result =
        given()
            .auth()
            .oauth2(tokens.mint("regulator", null, Duration.ofMinutes(10)))
            .get(audit(path))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertTrue(
        result.getBoolean("ok"),
        path + " of audit-service on port " + auditPort + ": " + result.prettify());
    return result;
  }

  /**
   * The value of a Prometheus counter of this client's instance of a service ({@code base} is e.g.
   * {@link #registry}("")), summed over its tags.
   */
  double metric(String base, String name) {
    String text = given().get(base + "/q/metrics").then().statusCode(200).extract().asString();
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** Waits until both services' outboxes are drained and returns how many events they produced. */
  long awaitAllPublished() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      long total = 0;
      long pending = 0;
      for (String db : List.of("registry", "issuance")) {
        try (Connection c = database(db);
            Statement st = c.createStatement();
            ResultSet rs =
                st.executeQuery(
                    "SELECT count(*), count(*) FILTER (WHERE published_at IS NULL) FROM outbox_event")) {
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
    return "http://127.0.0.1:" + auditPort + path;
  }

  JsonPath submitApproveAndAwaitIssued(String dev, String project, long quantity) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("project", project);
    body.put("monitoringPeriod", Map.of("start", "2025-01-01", "end", "2025-12-31"));
    body.put("vintage", 2025);
    body.put("quantity", quantity);
    body.put("verificationReport", Map.of("reference", "VR-" + project, "sha256", "ab".repeat(32)));
    String id =
        given()
            .auth()
            .oauth2(tokens.mint("project-developer", dev, Duration.ofMinutes(10)))
            .contentType(ContentType.JSON)
            .body(body)
            .post(issuance("/issuance-requests"))
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    long approvedAt = System.nanoTime();
    given()
        .auth()
        .oauth2(admin())
        .post(issuance("/issuance-requests/" + id + "/approval"))
        .then()
        .statusCode(200);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      JsonPath request =
          given()
              .auth()
              .oauth2(admin())
              .get(issuance("/issuance-requests/" + id))
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      if (!"APPROVED".equals(request.getString("status"))) {
        assertEquals("ISSUED", request.getString("status"), request.prettify());
        System.out.printf(
            "approval to ISSUED for %d units: %d ms%n",
            quantity, (System.nanoTime() - approvedAt) / 1_000_000);
        return request;
      }
      sleep(50);
    }
    throw new AssertionError("request " + id + " not ISSUED within 30 s");
  }

  String participant(String party) {
    String id =
        "P"
            + UUID.randomUUID()
                .toString()
                .replace("-", "")
                .substring(0, 10)
                .toUpperCase(Locale.ROOT);
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(Map.of("id", id, "name", "Participant " + id, "party", party))
        .post(registry("/participants"))
        .then()
        .statusCode(201);
    return id;
  }

  String account(String holder, String party) {
    return given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(Map.of("holder", holder, "party", party, "type", "HOLDING"))
        .post(registry("/accounts"))
        .then()
        .statusCode(201)
        .extract()
        .path("number");
  }

  String project(
      String mechanism, String participant, List<String> accounts, List<Integer> percents) {
    String id =
        "VN"
            + UUID.randomUUID()
                .toString()
                .replace("-", "")
                .substring(0, 8)
                .toUpperCase(Locale.ROOT);
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
    body.put(
        "authorisation",
        Map.of("id", "AUTH-" + id, "date", "2025-01-10", "purpose", "NDC", "quantity", 100_000));
    body.put("allocation", allocation);
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(body)
        .post(issuance("/projects"))
        .then()
        .statusCode(201);
    return id;
  }

  long balance(String account) {
    return given()
        .auth()
        .oauth2(admin())
        .get(registry("/accounts/" + account))
        .then()
        .statusCode(200)
        .extract()
        .<Integer>path("balance");
  }

  String admin() {
    return tokens.mint(
        List.of("registry-admin"), null, "admin-" + UUID.randomUUID(), Duration.ofMinutes(10));
  }

  String registry(String path) {
    return "http://127.0.0.1:" + registryPort + path;
  }

  String issuance(String path) {
    return "http://127.0.0.1:" + issuancePort + path;
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
