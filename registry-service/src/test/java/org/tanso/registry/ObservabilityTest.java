package org.tanso.registry;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.registry.RegistryFixture.developer;
import static org.tanso.registry.RegistryFixture.fund;
import static org.tanso.registry.RegistryFixture.holdingAccount;
import static org.tanso.registry.RegistryFixture.jcm;
import static org.tanso.registry.RegistryFixture.participant;
import static org.tanso.registry.RegistryFixture.transferBody;
import static org.tanso.registry.RegistryFixture.unique;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.tanso.events.Topics;
import org.tanso.events.issuance.IssuanceApproved;
import org.tanso.testing.TestInfrastructure;
import org.tanso.testing.TestKafka;

/**
 * What operators watch: business counters, the outbox backlog, consumer lag and request latency at
 * /q/metrics, and one trace that runs from a REST request (or a consumed event) through the outbox
 * to the record on Kafka.
 */
@QuarkusTest
class ObservabilityTest {

  private static final Pattern TRACEPARENT =
      Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]");

  @Inject AgroalDataSource dataSource;

  @Test
  void aTransferContinuesTheCallersTraceIntoTheOutboxAndOntoKafka() throws Exception {
    String dev = participant("VN");
    String from = holdingAccount(dev);
    String to = holdingAccount(dev);
    fund(from, 100);
    String traceId = randomHex(16);
    String callerSpan = randomHex(8);

    String transactionId =
        given()
            .auth()
            .oauth2(developer(dev))
            .contentType(ContentType.JSON)
            .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
            .body(transferBody(from, to, 7))
            .post("/transfers")
            .then()
            .statusCode(201)
            .extract()
            .path("id");

    String stored = storedTraceparent(transactionId);
    assertNotNull(stored, "the outbox row keeps the trace context of the request");
    Matcher row = TRACEPARENT.matcher(stored);
    assertTrue(row.matches(), stored);
    assertEquals(traceId, row.group(1), "same trace as the caller's");
    assertNotEquals(
        callerSpan, row.group(2), "a child of the server span, not the caller's span itself");

    List<TestKafka.Received> records =
        TestKafka.readUntil(
            Topics.REGISTRY_EVENTS,
            got ->
                got.stream().anyMatch(r -> r.value() != null && r.value().contains(transactionId)),
            Duration.ofSeconds(30));
    TestKafka.Received record =
        records.stream()
            .filter(r -> r.value() != null && r.value().contains(transactionId))
            .findFirst()
            .orElseThrow();
    String sent = record.headers().get("traceparent");
    assertNotNull(sent, "the Kafka record carries the trace");
    Matcher header = TRACEPARENT.matcher(sent);
    assertTrue(header.matches(), sent);
    assertEquals(traceId, header.group(1));
    assertNotEquals(
        row.group(2), header.group(2), "the relay's publish span is the record's parent");
  }

  @Test
  void aConsumedApprovalContinuesItsTraceIntoCreditsIssued() {
    String dev = participant("VN");
    String account = holdingAccount(dev);
    IssuanceApproved approved = jcm(unique("TR"), 40, Map.of(account, 100));
    String traceId = randomHex(16);
    Map<String, String> headers =
        new LinkedHashMap<>(
            RegistryFixture.headers(
                UUID.randomUUID(), "tanso.issuance.IssuanceApproved.v1", approved.requestId()));
    headers.put("traceparent", "00-" + traceId + "-" + randomHex(8) + "-01");
    TestKafka.send(Topics.ISSUANCE_EVENTS, approved.requestId(), json(approved), headers);

    List<TestKafka.Received> issued =
        IssuanceMintingTest.eventsFor(approved.requestId(), "tanso.registry.CreditsIssued.v1", 1);
    String sent = issued.get(0).headers().get("traceparent");
    assertNotNull(sent);
    Matcher header = TRACEPARENT.matcher(sent);
    assertTrue(header.matches(), sent);
    assertEquals(traceId, header.group(1), "CreditsIssued belongs to the approval's trace");
  }

  @Test
  void businessCountersCountCommittedUnitsOnly() {
    String dev = participant("VN");
    String from = holdingAccount(dev);
    String to = holdingAccount(dev);
    double issuedBefore = metric("tanso_units_issued_total{mechanism=\"JCM\"}");
    fund(from, 500);
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> metric("tanso_units_issued_total{mechanism=\"JCM\"}") >= issuedBefore + 500);

    double transferredBefore = metric("tanso_units_transferred_total");
    double transfersBefore = metric("tanso_transactions_total{kind=\"TRANSFER\"}");
    RegistryFixture.transfer(developer(dev), transferBody(from, to, 120)).then().statusCode(201);
    // refused: more than the account holds; nothing moves and nothing is counted
    RegistryFixture.transfer(developer(dev), transferBody(from, to, 10_000)).then().statusCode(409);
    assertEquals(transferredBefore + 120, metric("tanso_units_transferred_total"));
    assertEquals(transfersBefore + 1, metric("tanso_transactions_total{kind=\"TRANSFER\"}"));

    double retiredBefore = metric("tanso_units_retired_total");
    Map<String, Object> retirement = new LinkedHashMap<>();
    retirement.put("account", from);
    retirement.put("quantity", 30);
    retirement.put("beneficiary", "Observability Ltd");
    retirement.put("purpose", "OIMP");
    retirement.put("usingParty", "JP");
    given()
        .auth()
        .oauth2(developer(dev))
        .contentType(ContentType.JSON)
        .body(retirement)
        .post("/retirements")
        .then()
        .statusCode(201);
    assertEquals(retiredBefore + 30, metric("tanso_units_retired_total"));
  }

  @Test
  void operatorsSeeBacklogConsumerLagAndLatencyHistograms() {
    RegistryFixture.transfer(RegistryFixture.admin(), transferBody("no-such", "account", 1));
    String metrics = scrape();
    assertTrue(metrics.contains("tanso_outbox_backlog_events "), "outbox backlog gauge");
    assertTrue(
        metrics.contains("tanso_outbox_oldest_unpublished_age_seconds "),
        "age of the oldest waiting event");
    assertTrue(metrics.contains("tanso_outbox_published_total "), "published events");
    assertTrue(
        Pattern.compile("(?m)^http_server_requests_seconds_bucket\\{.*uri=\"/transfers\".*le=\"")
            .matcher(metrics)
            .find(),
        "request latency histogram buckets per URI template");
    Matcher bucket =
        Pattern.compile(
                "(?m)^http_server_requests_seconds_bucket\\{(?=.*uri=\"/transfers\").*le=\"([^\"]+)\"")
            .matcher(metrics);
    java.util.Set<String> bounds = new java.util.TreeSet<>();
    while (bucket.find()) {
      bounds.add(bucket.group(1));
    }
    assertTrue(bounds.contains("+Inf"), "bucket bounds " + bounds);
    assertEquals(15, bounds.size(), "14 bounds and +Inf, not the default ~70: " + bounds);
    assertTrue(
        Pattern.compile("(?m)^kafka_consumer_fetch_manager_records_lag(_max)?\\{")
            .matcher(metrics)
            .find(),
        "consumer lag");
    // NaN would mean the gauge could not read the database
    double backlog = metric("tanso_outbox_backlog_events");
    assertTrue(backlog >= 0, "the backlog is read from the database: " + backlog);
    double age = metric("tanso_outbox_oldest_unpublished_age_seconds");
    assertTrue(age >= 0, "the age is read from the database: " + age);
  }

  /**
   * With the broker stopped, K committed transfers wait in the outbox: the backlog gauge shows
   * exactly K and the age of the oldest grows; once the broker is back, the relay publishes them
   * and both gauges fall to 0, and every one of the K transfers is on the topic.
   */
  @Test
  void theBacklogGaugeRisesWhileTheBrokerIsDownAndDrainsWhenItIsBack() throws Exception {
    String dev = participant("VN");
    String from = holdingAccount(dev);
    String to = holdingAccount(dev);
    fund(from, 100);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> unpublished() == 0 && metric("tanso_outbox_backlog_events") == 0);
    assertEquals(
        0, metric("tanso_outbox_oldest_unpublished_age_seconds"), "nothing waits, so no age");
    int k = 4;
    List<String> transfers = new java.util.ArrayList<>();
    TestInfrastructure.withKafkaDown(
        () -> {
          for (int i = 0; i < k; i++) {
            transfers.add(
                RegistryFixture.transfer(developer(dev), transferBody(from, to, 1 + i))
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id"));
          }
          Awaitility.await()
              .atMost(Duration.ofSeconds(10))
              .pollInterval(Duration.ofMillis(200))
              .untilAsserted(
                  () ->
                      assertEquals(
                          k,
                          metric("tanso_outbox_backlog_events"),
                          "backlog gauge with " + k + " transfers waiting"));
          assertEquals(k, unpublished(), "the gauge reports the outbox's unpublished rows");
          double age = metric("tanso_outbox_oldest_unpublished_age_seconds");
          assertTrue(age > 0, "the oldest waiting event has an age: " + age);
          Awaitility.await()
              .atMost(Duration.ofSeconds(10))
              .pollInterval(Duration.ofMillis(200))
              .untilAsserted(
                  () ->
                      assertTrue(
                          metric("tanso_outbox_oldest_unpublished_age_seconds") >= age + 1,
                          "the age grows while it waits"));
          assertEquals(
              k, metric("tanso_outbox_backlog_events"), "still waiting while the broker is down");
        });
    Awaitility.await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () ->
                assertEquals(
                    0, metric("tanso_outbox_backlog_events"), "backlog once the broker is back"));
    assertEquals(0, metric("tanso_outbox_oldest_unpublished_age_seconds"));
    assertEquals(0, unpublished());
    List<TestKafka.Received> all = TestKafka.readTo(TestKafka.endOffsets(Topics.REGISTRY_EVENTS));
    for (String id : transfers) {
      List<TestKafka.Received> records =
          all.stream().filter(r -> r.value() != null && r.value().contains(id)).toList();
      assertTrue(!records.isEmpty(), "transfer " + id + " published after the broker came back");
      // a batch sent again after a failed delivery repeats the same event id, which consumers
      // deduplicate
      assertEquals(
          1,
          records.stream().map(r -> r.headers().get("ce_id")).distinct().count(),
          "one event for transfer " + id + ": " + records);
    }
    // readiness recovers too (the Kafka checks reconnect), so the tests after this one find the
    // service as it was
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> io.restassured.RestAssured.given().get("/q/health/ready").statusCode() == 200);
  }

  private long unpublished() {
    try {
      return RegistryInvariants.count(
          dataSource, "SELECT count(*) FROM outbox_event WHERE published_at IS NULL");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The series' value (NaN as NaN), or 0 when it is not exported yet (a counter never incremented).
   */
  private static double metric(String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static String scrape() {
    return given().get("/q/metrics").then().statusCode(200).extract().asString();
  }

  private String storedTraceparent(String transactionId) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT traceparent FROM outbox_event WHERE CAST(payload AS text) LIKE ?")) {
      s.setString(1, "%" + transactionId + "%");
      try (ResultSet r = s.executeQuery()) {
        assertTrue(r.next(), "an outbox row for " + transactionId);
        return r.getString(1);
      }
    }
  }

  private static String json(Object value) {
    try {
      return RegistryFixture.JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(b);
    b[0] |= 1;
    return HexFormat.of().formatHex(b);
  }
}
