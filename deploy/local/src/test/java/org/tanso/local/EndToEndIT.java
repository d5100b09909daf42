package org.tanso.local;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.tanso.devtokens.DevTokens;

/**
 * The whole system as its users see it: the packaged {@code tanso} command starts the services on
 * one real broker and real PostgreSQL (a second {@code up} changes nothing, {@code status} and
 * tokens work), they are driven over REST (a developer submits, an administrator approves, and
 * registry-service's blocks appear in the allocated accounts), and {@code down} stops them. One
 * stack for the whole class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {

  private static StackRunner stack;
  private static StackClient client;
  private static DevTokens tokens;
  private static OtlpReceiver collector;
  private static StackRunner.Result firstUp;

  @BeforeAll
  static void up() throws Exception {
    stack = new StackRunner("end-to-end-it");
    // as in production: traces exported over OTLP (here to the test's receiver), JSON console logs
    collector = new OtlpReceiver();
    stack.environment.put("TANSO_TRACING_DISABLED", "false");
    stack.environment.put("TANSO_OTLP_ENDPOINT", collector.endpoint());
    stack.environment.put("QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
    stack.environment.put("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms");
    stack.environment.put("TANSO_LOG_JSON", "true");
    // room for a busy two-core machine to bring the last change into the log before reconciliation
    // reports it
    stack.environment.put("TANSO_AUDIT_RECONCILIATION_SETTLE", "10s");
    firstUp = stack.up();
    assertEquals(0, firstUp.exitCode(), firstUp.output());
    client = new StackClient(stack);
    tokens = client.tokens;
  }

  @AfterAll
  static void down() throws Exception {
    stack.tearDown();
    collector.close();
  }

  @Test
  @Order(0)
  void upStartsEveryComponentASecondUpChangesNothingAndTokensWork() throws Exception {
    assertTrue(firstUp.output().contains("Tanso is up"), firstUp.output());
    List<StackState.Component> started = components();
    assertTrue(
        started.stream()
            .map(StackState.Component::name)
            .toList()
            .containsAll(List.of("kafka", "registry-service", "issuance-service", "audit-service")),
        started.toString());

    StackRunner.Result status = stack.tanso("status");
    assertEquals(0, status.exitCode(), status.output());

    StackRunner.Result again = stack.up();
    assertEquals(0, again.exitCode(), again.output());
    assertTrue(again.output().contains("already running"), again.output());
    assertEquals(started, components(), "a second up changes nothing");

    StackRunner.Result token = stack.tanso("token", "project-developer", "P-ACME");
    assertEquals(0, token.exitCode(), token.output());
    HttpClient http = HttpClient.newHttpClient();
    for (int port : new int[] {stack.registryPort, stack.issuancePort, stack.auditPort}) {
      HttpResponse<String> me =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/me"))
                  .header("Authorization", "Bearer " + token.output().trim())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, me.statusCode(), me.body());
      assertTrue(me.body().contains("\"participant\":\"P-ACME\""), me.body());
      HttpResponse<String> anonymous =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/me")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(401, anonymous.statusCode());
    }
    assertEquals(2, stack.tanso("token", "emperor").exitCode());
  }

  @Test
  void oneTraceFollowsATransferFromTheRequestToTheAuditLog() throws Exception {
    String dev = client.participant("VN");
    String a = client.account(dev, "VN");
    String b = client.account(client.participant("JP"), "JP");
    String project = client.project("JCM", dev, List.of(a), List.of(100));
    client.submitApproveAndAwaitIssued(dev, project, 50);
    String traceId = randomTraceId();
    String devToken = tokens.mint("project-developer", dev, Duration.ofMinutes(10));
    given()
        .auth()
        .oauth2(devToken)
        .contentType(ContentType.JSON)
        .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
        .body(Map.of("from", a, "to", b, "quantity", 5))
        .post(client.registry("/transfers"))
        .then()
        .statusCode(201);

    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<OtlpReceiver.Span> trace = List.of();
    while (System.nanoTime() < deadline) {
      trace = collector.trace(traceId);
      // each service exports its spans in its own batches: wait for all three hops, not the first
      // to arrive
      List<OtlpReceiver.Span> spans = trace;
      if (has(spans, "registry-service", "SPAN_KIND_SERVER")
          && has(spans, "registry-service", "SPAN_KIND_PRODUCER")
          && has(spans, "audit-service", "SPAN_KIND_CONSUMER")) {
        break;
      }
      client.sleep(200);
    }
    OtlpReceiver.Span request = only(trace, "registry-service", "SPAN_KIND_SERVER");
    assertEquals(
        "00f067aa0ba902b7", request.parentSpanId(), "the server span continues the caller's trace");
    OtlpReceiver.Span publish = only(trace, "registry-service", "SPAN_KIND_PRODUCER");
    assertEquals("tanso.registry.events publish", publish.name());
    assertEquals(
        request.spanId(),
        publish.parentSpanId(),
        "the event was written inside the request's span:\n" + trace);
    OtlpReceiver.Span audited =
        trace.stream()
            .filter(
                s -> s.service().equals("audit-service") && s.kind().equals("SPAN_KIND_CONSUMER"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no audit-service span in the trace"));
    assertEquals("tanso.registry.events process", audited.name());
    assertEquals(
        publish.spanId(),
        audited.parentSpanId(),
        "the audit log's append is a child of the publish span");

    // JSON console logs: every service writes one JSON object per line
    for (String service : List.of("registry-service", "issuance-service", "audit-service")) {
      List<String> lines = Files.readAllLines(stack.state.resolve("logs/" + service + ".log"));
      long json =
          lines.stream()
              .filter(l -> l.startsWith("{"))
              .map(EndToEndIT::parsesAsLogRecord)
              .filter(Boolean::booleanValue)
              .count();
      assertTrue(
          json > 0 && lines.stream().anyMatch(l -> l.startsWith("{") && l.contains("\"message\"")),
          service + " logs JSON:\n" + lines);
    }
  }

  private static boolean has(List<OtlpReceiver.Span> trace, String service, String kind) {
    return trace.stream().anyMatch(s -> s.service().equals(service) && s.kind().equals(kind));
  }

  private static OtlpReceiver.Span only(
      List<OtlpReceiver.Span> trace, String service, String kind) {
    List<OtlpReceiver.Span> found =
        trace.stream().filter(s -> s.service().equals(service) && s.kind().equals(kind)).toList();
    assertEquals(1, found.size(), service + " " + kind + " in " + trace);
    return found.get(0);
  }

  private static String randomTraceId() {
    byte[] id = new byte[16];
    new SecureRandom().nextBytes(id);
    id[0] |= 1;
    return HexFormat.of().formatHex(id);
  }

  private static boolean parsesAsLogRecord(String line) {
    try {
      JsonNode node = new ObjectMapper().readTree(line);
      return node.has("timestamp") && node.has("level") && node.has("message");
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void jcmSubmitApproveIssue() {
    String dev = client.participant("VN");
    String a = client.account(dev, "VN");
    String b = client.account(client.participant("JP"), "JP");
    String project = client.project("JCM", dev, List.of(a, b), List.of(60, 40));
    JsonPath issued = client.submitApproveAndAwaitIssued(dev, project, 1_000);
    String unitId = issued.getString("issued.unitId");
    assertEquals("JCM-VN-" + project + "-2025-0001", unitId);
    assertEquals(600, client.balance(a));
    assertEquals(400, client.balance(b));
    long sum = 0;
    for (Map<String, Object> block : issued.<Map<String, Object>>getList("issued.blocks")) {
      sum += ((Number) block.get("quantity")).longValue();
    }
    assertEquals(1_000, sum);
    assertEquals(
        1_000,
        given()
            .auth()
            .oauth2(client.admin())
            .get(client.issuance("/projects/" + project))
            .then()
            .statusCode(200)
            .extract()
            .<Integer>path("issuedToDate"));
    assertEquals(
        a,
        given()
            .auth()
            .oauth2(client.admin())
            .get(client.registry("/units/" + unitId + "/600"))
            .then()
            .statusCode(200)
            .extract()
            .path("account"));
    assertEquals(
        b,
        given()
            .auth()
            .oauth2(client.admin())
            .get(client.registry("/units/" + unitId + "/601"))
            .then()
            .statusCode(200)
            .extract()
            .path("account"));
  }

  @Test
  void a64DeductsShareOfProceedsAndOverallMitigation() {
    String dev = client.participant("VN");
    String a = client.account(dev, "VN");
    String b = client.account(client.participant("JP"), "JP");
    // the default registry VN-JCM's own share-of-proceeds and cancellation accounts
    String sop = "VN-600-000001-94";
    String omge = "VN-500-000002-43";
    long sopBefore = client.balance(sop);
    String project = client.project("A6_4", dev, List.of(a, b), List.of(60, 40));
    JsonPath issued = client.submitApproveAndAwaitIssued(dev, project, 1_000);
    String unitId = issued.getString("issued.unitId");
    // 1,000: share of proceeds 50 (serials 1..50), OMGE 20 (51..70, cancelled), rest 930: 558 and
    // 372
    assertEquals(sopBefore + 50, client.balance(sop));
    assertEquals(558, client.balance(a));
    assertEquals(372, client.balance(b));
    JsonPath omgeUnit =
        given()
            .auth()
            .oauth2(client.admin())
            .get(client.registry("/units/" + unitId + "/51"))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertEquals(omge, omgeUnit.getString("account"));
    assertEquals("CANCELLED", omgeUnit.getString("state"));
    assertEquals(
        sop,
        given()
            .auth()
            .oauth2(client.admin())
            .get(client.registry("/units/" + unitId + "/50"))
            .then()
            .statusCode(200)
            .extract()
            .path("account"));
    assertEquals(List.of(50, 20, 558, 372), issued.getList("issued.blocks.quantity"));
  }

  /**
   * First, on the fresh stack, as a new user would run it: no audit checkpoint is published yet.
   */
  @Test
  @Order(1)
  void theGuidedDemoRunsEveryStepInUnderAMinute() throws Exception {
    long started = System.nanoTime();
    StackRunner.Result demo = stack.tanso("demo");
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.println(demo.output());
    System.out.printf("tanso demo took %.1f s%n", seconds);
    assertEquals(0, demo.exitCode(), demo.output());
    for (String step :
        List.of(
            "register JCM project VN-JP",
            "A6.4: request 1,000",
            "retire 40 for a beneficiary",
            "cancel 10 voluntarily",
            "verify the inclusion proof",
            "reconcile the log with the registry")) {
      assertTrue(demo.output().contains(step), "the demo shows: " + step);
    }
    assertTrue(
        demo.output().contains("event  tanso.registry.CreditsRetired.v1"),
        "the retirement's event streamed past");
    assertTrue(demo.output().contains("signature valid"), demo.output());
    assertTrue(seconds < 60, "the demo took " + seconds + " s");
  }

  @Test
  void theDemoFailsWhenTheStackIsNotRunning() throws Exception {
    StackRunner elsewhere = new StackRunner("demo-without-stack");
    StackRunner.Result demo = elsewhere.tanso("demo");
    assertEquals(1, demo.exitCode(), demo.output());
    assertTrue(demo.output().contains("Tanso is not running"), demo.output());
  }

  /**
   * Last: it changes registry-service's database behind its back, so reconciliation fails from then
   * on.
   */
  @Test
  @Order(Integer.MAX_VALUE - 1)
  void theAuditLogCapturesEveryEventVerifiesAndReconciles() throws Exception {
    String dev = client.participant("VN");
    String buyer = client.participant("JP");
    String a = client.account(dev, "VN");
    String b = client.account(buyer, "JP");
    String project = client.project("A6_4", dev, List.of(a), List.of(100));
    client.submitApproveAndAwaitIssued(dev, project, 500);
    String devToken = tokens.mint("project-developer", dev, Duration.ofMinutes(10));
    String buyerToken = tokens.mint("project-developer", buyer, Duration.ofMinutes(10));
    for (int i = 0; i < 5; i++) {
      given()
          .auth()
          .oauth2(devToken)
          .contentType(ContentType.JSON)
          .body(Map.of("from", a, "to", b, "quantity", 20 + i))
          .post(client.registry("/transfers"))
          .then()
          .statusCode(201);
    }
    given()
        .auth()
        .oauth2(buyerToken)
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "account",
                b,
                "quantity",
                30,
                "beneficiary",
                "Acme Airlines",
                "purpose",
                "OIMP",
                "usingParty",
                "JP"))
        .post(client.registry("/retirements"))
        .then()
        .statusCode(201);
    given()
        .auth()
        .oauth2(devToken)
        .contentType(ContentType.JSON)
        .body(Map.of("account", a, "quantity", 7, "reason", "voluntary"))
        .post(client.registry("/cancellations"))
        .then()
        .statusCode(201);

    // at once, while the last changes may still be on their way to the log: nothing in flight is
    // reported
    String regulator = tokens.mint("regulator", null, Duration.ofMinutes(10));
    JsonPath atOnce =
        given()
            .auth()
            .oauth2(regulator)
            .get(client.audit("/audit/reconciliation"))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertTrue(atOnce.getBoolean("ok"), atOnce.prettify());

    // every event the two services committed is in the log, once, and after each retirement its
    // public record (the entry its certificate proves)
    long events = client.awaitAllPublished();
    long retirements = client.producedRetirements();
    assertTrue(retirements > 0, "the run retired units");
    long produced = events + retirements;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonPath verification = null;
    while (System.nanoTime() < deadline) {
      verification =
          given()
              .auth()
              .oauth2(regulator)
              .get(client.audit("/audit/verification"))
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      if (verification.getLong("entries") >= produced) {
        break;
      }
      client.sleep(200);
    }
    assertEquals(
        produced,
        verification.getLong("entries"),
        "audit entries = events produced ("
            + events
            + ") + public records of retirements ("
            + retirements
            + ")");
    assertTrue(verification.getBoolean("ok"), verification.prettify());

    JsonPath reconciliation =
        given()
            .auth()
            .oauth2(regulator)
            .get(client.audit("/audit/reconciliation"))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertTrue(reconciliation.getBoolean("ok"), reconciliation.prettify());
    assertTrue(reconciliation.getInt("accountsChecked") >= 4, reconciliation.prettify());

    // change registry-service's database behind its back: reconciliation must notice
    try (Connection c =
            DriverManager.getConnection(
                client.serverUrl() + "/" + stack.dbPrefix + "_registry",
                StackRunner.PG_USER,
                StackRunner.PG_PASSWORD);
        Statement st = c.createStatement()) {
      assertEquals(
          1,
          st.executeUpdate(
              "UPDATE credit_block SET account = '"
                  + a
                  + "' WHERE id = (SELECT max(id) FROM credit_block WHERE account = '"
                  + b
                  + "' AND state = 'ACTIVE')"));
    }
    long asked = System.nanoTime();
    JsonPath broken =
        given()
            .auth()
            .oauth2(regulator)
            .get(client.audit("/audit/reconciliation"))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertTrue(!broken.getBoolean("ok"), broken.prettify());
    // a difference that does not go away is reported once the settle time (10 s on this stack) has
    // passed
    assertTrue(
        System.nanoTime() - asked >= Duration.ofSeconds(10).toNanos(),
        "reported before the settle time");
    List<String> kinds = broken.getList("discrepancies.kind");
    assertTrue(kinds.contains("ACCOUNT_TOTAL") && kinds.contains("BLOCK"), broken.prettify());
    assertTrue(broken.<String>getList("discrepancies.account").contains(b), broken.prettify());
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void downStopsEveryProcessUpStarted() throws Exception {
    List<StackState.Component> started = components();
    StackRunner.Result down = stack.tanso("down");
    assertEquals(0, down.exitCode(), down.output());
    for (StackState.Component component : started) {
      assertFalse(
          ProcessHandle.of(component.pid()).map(ProcessHandle::isAlive).orElse(false),
          component + " still alive");
    }
    assertEquals(3, stack.tanso("status").exitCode());
  }

  private static List<StackState.Component> components() throws IOException {
    return StackState.load(stack.state.resolve("stack.properties")).components();
  }
}
