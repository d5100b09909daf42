package org.tanso.issuance;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tanso.issuance.IssuanceFixture.admin;
import static org.tanso.issuance.IssuanceFixture.approve;
import static org.tanso.issuance.IssuanceFixture.authorisation;
import static org.tanso.issuance.IssuanceFixture.developer;
import static org.tanso.issuance.IssuanceFixture.issuedToDate;
import static org.tanso.issuance.IssuanceFixture.registerProject;
import static org.tanso.issuance.IssuanceFixture.status;
import static org.tanso.issuance.IssuanceFixture.submission;
import static org.tanso.issuance.IssuanceFixture.submit;
import static org.tanso.issuance.IssuanceFixture.submitted;
import static org.tanso.issuance.IssuanceFixture.unique;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tanso.events.registry.Block;
import org.tanso.events.registry.CreditsIssued;
import org.tanso.events.registry.IssuanceFailed;
import org.tanso.identity.Caller;
import org.tanso.issuance.request.IssuanceRequestService;
import org.tanso.issuance.request.RequestViews;
import org.tanso.testing.Rows;
import org.tanso.testing.TestKafka;
import org.tanso.testing.TestTokens;

@QuarkusTest
class IssuanceWorkflowTest {

  @Inject IssuanceRequestService service;
  @Inject AgroalDataSource dataSource;

  @Test
  void submitApproveAndIssueCloseTheLoop() throws Exception {
    String dev = unique("P");
    String project = registerProject(dev, authorisation(1000));
    String id =
        given()
            .auth()
            .oauth2(developer(dev))
            .contentType(ContentType.JSON)
            .body(submission(project, "2025-01-01", "2025-06-30", 2025, 300))
            .post("/issuance-requests")
            .then()
            .statusCode(201)
            .body("status", is("SUBMITTED"))
            .extract()
            .path("id");
    TestKafka.Received requested =
        IssuanceFixture.issuanceRecord("IssuanceRequested", "requestId", id);
    assertEquals(id, requested.key());
    assertEquals("/tanso/issuance-service", requested.headers().get("ce_source"));

    approve(admin("admin-approver"), id)
        .then()
        .statusCode(200)
        .body("status", is("APPROVED"))
        .body("approval.by", is("admin-approver"));
    JsonNode approved =
        IssuanceFixture.issuanceEvents("IssuanceApproved", "requestId", id, 1).get(0);
    assertEquals(project, approved.get("project").asText());
    assertEquals("JCM", approved.get("mechanism").asText());
    assertEquals(300, approved.get("quantity").asLong());
    assertEquals(2, approved.get("allocation").size());
    assertEquals(1000, approved.get("authorisation").get("quantity").asLong());
    assertEquals("2025-06-30", approved.get("monitoringPeriod").get("end").asText());
    assertEquals(0, issuedToDate(project));

    String unitId = "JCM-VN-" + project + "-2025-0001";
    CreditsIssued issued =
        new CreditsIssued(
            id,
            unitId,
            project,
            "JCM",
            "VN",
            2025,
            LocalDate.of(2025, 1, 1),
            LocalDate.of(2025, 6, 30),
            300,
            "AUTHORISED",
            "REQUIRED",
            null,
            List.of(
                new Block(
                    unitId + "-000001-000180",
                    unitId,
                    1,
                    180,
                    180,
                    IssuanceFixture.account("VN", 100, 11),
                    "ACTIVE"),
                new Block(
                    unitId + "-000181-000300",
                    unitId,
                    181,
                    300,
                    120,
                    IssuanceFixture.account("JP", 100, 42),
                    "ACTIVE")),
            Instant.now());
    UUID eventId = UUID.randomUUID();
    IssuanceFixture.publishRegistryEvent(eventId, "CreditsIssued", unitId, issued);
    IssuanceFixture.publishRegistryEvent(eventId, "CreditsIssued", unitId, issued);
    await().atMost(Duration.ofSeconds(20)).until(() -> "ISSUED".equals(status(id)));
    given()
        .auth()
        .oauth2(developer(dev))
        .get("/issuance-requests/" + id)
        .then()
        .statusCode(200)
        .body("issued.unitId", is(unitId))
        .body("issued.blocks.size()", is(2))
        .body("issued.blocks[1].quantity", is(120))
        .body("failure", nullValue());
    // a second, different outcome for a closed request changes nothing; the duplicate above counted
    // once
    IssuanceFixture.publishRegistryEvent(
        UUID.randomUUID(),
        "IssuanceFailed",
        id,
        new IssuanceFailed(id, "ACCOUNT_NOT_FOUND", "late", Instant.now()));
    // the late outcome has been consumed and all it could cause published before anything is read
    List<JsonNode> outcomes =
        IssuanceFixture.allIssuanceEventsSettled(
            dataSource, "IssuanceOutcomeRecorded", "requestId", id);
    assertEquals(1, outcomes.size(), "outcomes recorded: " + outcomes);
    assertEquals("ISSUED", outcomes.get(0).get("status").asText());
    assertEquals(300, issuedToDate(project));
    assertEquals("ISSUED", status(id));
    given()
        .auth()
        .oauth2(admin())
        .get("/projects/" + project)
        .then()
        .body("remainingAuthorisedQuantity", is(700));
  }

  @Test
  void failedMintingMakesTheRequestFailedAndLeavesIssuedToDate() throws Exception {
    String dev = unique("P");
    String project = registerProject(dev, null);
    String id = submitted(dev, project, "2024-01-01", "2024-12-31", 2024, 50);
    approve(admin(), id).then().statusCode(200);
    IssuanceFixture.publishRegistryEvent(
        UUID.randomUUID(),
        "IssuanceFailed",
        id,
        new IssuanceFailed(
            id, "ACCOUNT_NOT_OPEN", "account VN-100-000011-xx is CLOSED", Instant.now()));
    await().atMost(Duration.ofSeconds(20)).until(() -> "FAILED".equals(status(id)));
    given()
        .auth()
        .oauth2(admin())
        .get("/issuance-requests/" + id)
        .then()
        .body("failure.code", is("ACCOUNT_NOT_OPEN"))
        .body("issued", nullValue());
    assertEquals(0, issuedToDate(project));
    // a failed request does not block the same period
    submitted(dev, project, "2024-01-01", "2024-12-31", 2024, 50);
  }

  @Test
  void submissionRules() {
    String dev = unique("P");
    String project = registerProject(dev, authorisation(100));
    String token = developer(dev);
    submit(token, submission(project, "2025-01-01", "2025-03-31", 2025, 60)).then().statusCode(201);
    submit(token, submission(project, "2025-03-31", "2025-06-30", 2025, 10))
        .then()
        .statusCode(409)
        .body("code", is("PERIOD_OVERLAP"));
    // 60 in flight of 100 authorised
    submit(token, submission(project, "2025-04-01", "2025-06-30", 2025, 41))
        .then()
        .statusCode(409)
        .body("code", is("ABOVE_AUTHORISED_QUANTITY"));
    submit(token, submission(project, "2025-04-01", "2025-06-30", 2026, 10))
        .then()
        .statusCode(400)
        .body("code", is("VINTAGE_OUTSIDE_PERIOD"));
    submit(token, submission(project, "2025-09-30", "2025-07-01", 2025, 10))
        .then()
        .statusCode(400)
        .body("code", is("MALFORMED_REQUEST"));
    submit(token, submission(project, "2025-07-01", "2025-09-30", 2025, 0))
        .then()
        .statusCode(400)
        .body("code", is("INVALID_QUANTITY"));
    submit(token, submission(project, "2025-07-01", "2025-09-30", 2025, -3))
        .then()
        .statusCode(400)
        .body("code", is("INVALID_QUANTITY"));
    submit(token, submission(unique("NOPE"), "2025-07-01", "2025-09-30", 2025, 1))
        .then()
        .statusCode(404)
        .body("code", is("PROJECT_NOT_FOUND"));
    submit(developer(unique("OTHER")), submission(project, "2025-07-01", "2025-09-30", 2025, 1))
        .then()
        .statusCode(403)
        .body("code", is("FORBIDDEN"));
    submit(admin(), submission(project, "2025-07-01", "2025-09-30", 2025, 1))
        .then()
        .statusCode(403);
    Map<String, Object> badHash = submission(project, "2025-07-01", "2025-09-30", 2025, 1);
    badHash.put("verificationReport", Map.of("reference", "VR", "sha256", "xyz"));
    submit(token, badHash).then().statusCode(400).body("code", is("MALFORMED_REQUEST"));
    submit(token, submission(project, "2025-04-01", "2025-06-30", 2025, 40)).then().statusCode(201);
  }

  @Test
  void fourEyesAndDecisionsOnlyOnSubmittedRequests() throws Exception {
    String dev = unique("P");
    String project = registerProject(dev, null);
    // one person holding both roles submits, then tries to approve their own request
    String both =
        TestTokens.withGroups(
            List.of("project-developer", "registry-admin"), dev, "dual-role-person");
    String id =
        submit(both, submission(project, "2025-01-01", "2025-12-31", 2025, 10))
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    approve(both, id).then().statusCode(403).body("code", is("FOUR_EYES"));
    given()
        .auth()
        .oauth2(both)
        .contentType(ContentType.JSON)
        .body(Map.of("reason", "mine"))
        .post("/issuance-requests/" + id + "/rejection")
        .then()
        .statusCode(403)
        .body("code", is("FOUR_EYES"));
    approve(developer(dev), id).then().statusCode(403).body("code", is("FORBIDDEN"));
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(Map.of("reason", ""))
        .post("/issuance-requests/" + id + "/rejection")
        .then()
        .statusCode(400)
        .body("code", is("MALFORMED_REQUEST"));
    given()
        .auth()
        .oauth2(admin("admin-b"))
        .contentType(ContentType.JSON)
        .body(Map.of("reason", "report does not cover December"))
        .post("/issuance-requests/" + id + "/rejection")
        .then()
        .statusCode(200)
        .body("status", is("REJECTED"))
        .body("rejection.reason", is("report does not cover December"));
    JsonNode rejected =
        IssuanceFixture.issuanceEvents("IssuanceRejected", "requestId", id, 1).get(0);
    assertEquals("admin-b", rejected.get("rejectedBy").asText());
    approve(admin(), id).then().statusCode(409).body("code", is("REQUEST_NOT_SUBMITTED"));
    approve(admin(), UUID.randomUUID().toString())
        .then()
        .statusCode(404)
        .body("code", is("REQUEST_NOT_FOUND"));
    // a rejected request frees its period
    submitted(dev, project, "2025-01-01", "2025-12-31", 2025, 10);
  }

  @Test
  void whoMayReadARequest() {
    String dev = unique("P");
    String project = registerProject(dev, null);
    String id = submitted(dev, project, "2025-01-01", "2025-12-31", 2025, 10);
    given().auth().oauth2(developer(dev)).get("/issuance-requests/" + id).then().statusCode(200);
    given()
        .auth()
        .oauth2(TestTokens.regulator())
        .get("/issuance-requests/" + id)
        .then()
        .statusCode(200);
    // another participant learns nothing about the request: a problem body only
    given()
        .auth()
        .oauth2(developer(unique("P")))
        .get("/issuance-requests/" + id)
        .then()
        .statusCode(403)
        .body("code", is("FORBIDDEN"))
        .body("status", is(403))
        .body("project", nullValue())
        .body("quantity", nullValue())
        .body("participant", nullValue())
        .body("monitoringPeriod", nullValue());
    String stranger = unique("P");
    IssuanceFixture.submit(
            developer(stranger),
            IssuanceFixture.submission(project, "2026-01-01", "2026-12-31", 2026, 1))
        .then()
        .statusCode(403)
        .body("code", is("FORBIDDEN"))
        .body("id", nullValue())
        .body("status", is(403));
    IssuanceFixture.approve(developer(stranger), id)
        .then()
        .statusCode(403)
        .body("code", is("FORBIDDEN"))
        .body("project", nullValue());
    given()
        .auth()
        .oauth2(developer(stranger))
        .contentType(ContentType.JSON)
        .body(Map.of("reason", "x"))
        .post("/issuance-requests/" + id + "/rejection")
        .then()
        .statusCode(403)
        .body("code", is("FORBIDDEN"))
        .body("project", nullValue());
    given()
        .auth()
        .oauth2(TestTokens.marketOperator())
        .get("/issuance-requests/" + id)
        .then()
        .statusCode(403);
  }

  @Test
  void twoAdministratorsApprovingAtOnceGiveOneApprovalAndOneConflict() throws Exception {
    String dev = unique("P");
    String project = registerProject(dev, null);
    String id = submitted(dev, project, "2025-01-01", "2025-12-31", 2025, 10);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<Integer>> results = new ArrayList<>();
    for (String admin : List.of("admin-one", "admin-two")) {
      results.add(
          pool.submit(
              () -> {
                start.await();
                return approve(admin(admin), id).statusCode();
              }));
    }
    start.countDown();
    List<Integer> codes = new ArrayList<>();
    for (Future<Integer> f : results) {
      codes.add(f.get(30, TimeUnit.SECONDS));
    }
    pool.shutdown();
    codes.sort(Integer::compareTo);
    assertEquals(List.of(200, 409), codes);
    assertEquals(
        1,
        IssuanceFixture.allIssuanceEventsSettled(dataSource, "IssuanceApproved", "requestId", id)
            .size());
  }

  @Test
  void aRolledBackSubmissionEmitsNothing() throws Exception {
    String dev = unique("P");
    String project = registerProject(dev, null);
    Caller caller = new Caller(dev, Set.of("project-developer"), dev);
    QuarkusTransaction.begin();
    RequestViews.Request doomed;
    try {
      doomed =
          service.submit(
              caller,
              new RequestViews.SubmitRequest(
                  project,
                  new RequestViews.Period(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 2, 1)),
                  2025,
                  5L,
                  new RequestViews.VerificationReport("VR", IssuanceFixture.SHA)));
    } finally {
      QuarkusTransaction.rollback();
    }
    String committed = submitted(dev, project, "2025-03-01", "2025-04-01", 2025, 5);
    assertEquals(
        0,
        Rows.number(
            dataSource, "SELECT count(*) FROM outbox_event WHERE aggregateid = ?", doomed.id()),
        "outbox row of the rolled-back submission");
    assertEquals(
        1,
        Rows.number(
            dataSource, "SELECT count(*) FROM outbox_event WHERE aggregateid = ?", committed),
        "outbox row of the committed submission");
    // every event issuance-service committed is on the topic now: the project's are exactly the
    // committed one
    List<JsonNode> seen =
        IssuanceFixture.allIssuanceEventsSettled(
            dataSource, "IssuanceRequested", "project", project);
    assertEquals(List.of(committed), seen.stream().map(e -> e.get("requestId").asText()).toList());
    given().auth().oauth2(admin()).get("/issuance-requests/" + doomed.id()).then().statusCode(404);
  }
}
