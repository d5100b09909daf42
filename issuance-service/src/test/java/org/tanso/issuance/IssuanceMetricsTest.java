package org.tanso.issuance;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.issuance.IssuanceFixture.admin;
import static org.tanso.issuance.IssuanceFixture.approve;
import static org.tanso.issuance.IssuanceFixture.developer;
import static org.tanso.issuance.IssuanceFixture.registerProject;
import static org.tanso.issuance.IssuanceFixture.submission;
import static org.tanso.issuance.IssuanceFixture.submit;
import static org.tanso.issuance.IssuanceFixture.unique;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tanso.events.Topics;
import org.tanso.testing.OutboxTable;
import org.tanso.testing.Rows;
import org.tanso.testing.TestInfrastructure;
import org.tanso.testing.TestKafka;

/**
 * issuance-service's /q/metrics: the outbox's published counter and backlog gauges, and the request
 * counters, move by exactly what committed submissions and approvals cause; refusals move only the
 * refused requests' own counters.
 */
@QuarkusTest
class IssuanceMetricsTest {

  private static final Pattern REQUESTS =
      Pattern.compile("(?m)^http_server_requests_seconds_count\\{(.*)\\} (\\S+)$");

  @Inject AgroalDataSource dataSource;

  @Test
  void committedSubmissionsAndApprovalsMoveTheCountersByExactlyTheirEvents() {
    String dev = unique("P");
    String project = registerProject(dev, null);
    settled();
    double published = metric("tanso_outbox_published_total");
    double submitted = requests("POST", "/issuance-requests", "201");
    double approved = requests("POST", "/issuance-requests/{id}/approval", "200");

    String id =
        submit(developer(dev), submission(project, "2024-01-01", "2024-12-31", 2024, 50))
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    settled();
    assertEquals(
        published + 1, metric("tanso_outbox_published_total"), "one IssuanceRequested published");
    awaitRequests(submitted + 1, "POST", "/issuance-requests", "201");

    // refused: the same period again; nothing is committed, so nothing is published
    double overlapping = requests("POST", "/issuance-requests", "409");
    submit(developer(dev), submission(project, "2024-06-01", "2024-12-31", 2024, 5))
        .then()
        .statusCode(409);
    assertEquals(0, OutboxTable.unpublished(dataSource));
    assertEquals(published + 1, metric("tanso_outbox_published_total"));
    awaitRequests(submitted + 1, "POST", "/issuance-requests", "201");
    awaitRequests(overlapping + 1, "POST", "/issuance-requests", "409");

    approve(admin(), id).then().statusCode(200);
    settled();
    assertEquals(
        published + 2, metric("tanso_outbox_published_total"), "one IssuanceApproved published");
    awaitRequests(approved + 1, "POST", "/issuance-requests/{id}/approval", "200");
    // refused: a decided request cannot be approved again
    double notSubmitted = requests("POST", "/issuance-requests/{id}/approval", "409");
    approve(admin(), id)
        .then()
        .statusCode(409)
        .body("code", org.hamcrest.Matchers.is("REQUEST_NOT_SUBMITTED"));
    awaitRequests(notSubmitted + 1, "POST", "/issuance-requests/{id}/approval", "409");
    assertEquals(0, OutboxTable.unpublished(dataSource));
    assertEquals(published + 2, metric("tanso_outbox_published_total"));
    awaitRequests(approved + 1, "POST", "/issuance-requests/{id}/approval", "200");

    List<TestKafka.Received> events =
        TestKafka.readTo(TestKafka.endOffsets(Topics.ISSUANCE_EVENTS)).stream()
            .filter(r -> id.equals(r.key()))
            .toList();
    assertEquals(
        List.of("tanso.issuance.IssuanceRequested.v1", "tanso.issuance.IssuanceApproved.v1"),
        events.stream().map(r -> r.headers().get("ce_type")).toList(),
        "the request's events on the topic, in order");
  }

  /**
   * With the broker stopped a committed submission waits in the outbox: backlog 1, a growing age,
   * nothing published; then it drains.
   */
  @Test
  void theBacklogGaugesFollowTheOutboxWhileTheBrokerIsDown() {
    String dev = unique("P");
    String project = registerProject(dev, null);
    settled();
    assertEquals(0, metric("tanso_outbox_backlog_events"));
    assertEquals(0, metric("tanso_outbox_oldest_unpublished_age_seconds"));
    double published = metric("tanso_outbox_published_total");
    String[] id = new String[1];
    TestInfrastructure.withKafkaDown(
        () -> {
          id[0] =
              submit(developer(dev), submission(project, "2023-01-01", "2023-12-31", 2023, 20))
                  .then()
                  .statusCode(201)
                  .extract()
                  .path("id");
          await()
              .atMost(Duration.ofSeconds(10))
              .pollInterval(Duration.ofMillis(200))
              .untilAsserted(
                  () ->
                      assertEquals(
                          1,
                          metric("tanso_outbox_backlog_events"),
                          "backlog gauge with one submission waiting"));
          assertEquals(1, OutboxTable.unpublished(dataSource));
          await()
              .atMost(Duration.ofSeconds(10))
              .pollInterval(Duration.ofMillis(200))
              .untilAsserted(
                  () ->
                      assertTrue(
                          metric("tanso_outbox_oldest_unpublished_age_seconds") >= 1,
                          "the age grows while it waits"));
          assertEquals(
              published,
              metric("tanso_outbox_published_total"),
              "nothing acknowledged while the broker is down");
        });
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () ->
                assertEquals(
                    0, metric("tanso_outbox_backlog_events"), "backlog once the broker is back"));
    assertEquals(0, metric("tanso_outbox_oldest_unpublished_age_seconds"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> metric("tanso_outbox_published_total") >= published + 1);
    assertTrue(
        TestKafka.readTo(TestKafka.endOffsets(Topics.ISSUANCE_EVENTS)).stream()
            .anyMatch(r -> id[0].equals(r.key())),
        "the submission's event is on the topic once the broker is back");
    // readiness recovers too (the Kafka checks reconnect), so the tests after this one find the
    // service as it was
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> io.restassured.RestAssured.given().get("/q/health/ready").statusCode() == 200);
  }

  /**
   * Every outbox row is published and the relay has counted it: the counter moves just after the
   * rows are marked, so wait until it holds still.
   */
  private void settled() {
    double[] last = {-1};
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              double now = metric("tanso_outbox_published_total");
              boolean still = now == last[0];
              last[0] = now;
              return OutboxTable.unpublished(dataSource) == 0
                  && still
                  && now >= Rows.number(dataSource, "SELECT count(*) FROM outbox_event");
            });
  }

  private static double metric(String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /**
   * The request counter is updated as the response ends, which may be just after the client has it:
   * wait for the expected count briefly, then require exactly it.
   */
  private static void awaitRequests(double expected, String method, String uri, String status) {
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () ->
                assertEquals(
                    expected,
                    requests(method, uri, status),
                    method + " " + uri + " " + status + " in\n" + requestLines()));
  }

  private static String requestLines() {
    return scrape()
        .lines()
        .filter(
            l ->
                l.startsWith("http_server_requests_seconds_count")
                    && l.contains("issuance-requests"))
        .collect(java.util.stream.Collectors.joining("\n"));
  }

  /**
   * Requests counted for one method, URI template and status (0 before the first); a template has
   * braces of its own.
   */
  private static double requests(String method, String uri, String status) {
    Matcher m = REQUESTS.matcher(scrape());
    double total = 0;
    while (m.find()) {
      String labels = m.group(1);
      if (labels.contains("method=\"" + method + "\"")
          && labels.contains("uri=\"" + uri + "\"")
          && labels.contains("status=\"" + status + "\"")) {
        total += Double.parseDouble(m.group(2));
      }
    }
    return total;
  }

  private static String scrape() {
    return given().get("/q/metrics").then().statusCode(200).extract().asString();
  }
}
