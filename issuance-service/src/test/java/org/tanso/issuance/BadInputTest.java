package org.tanso.issuance;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.issuance.IssuanceFixture.admin;
import static org.tanso.issuance.IssuanceFixture.developer;
import static org.tanso.issuance.IssuanceFixture.registerProject;
import static org.tanso.issuance.IssuanceFixture.submitted;
import static org.tanso.issuance.IssuanceFixture.unique;

import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tanso.testing.BadRequest;
import org.tanso.testing.DatabaseSnapshot;
import org.tanso.testing.OutboxTable;
import org.tanso.testing.TestTokens;

/**
 * Broken and hostile requests to issuance-service, each with the status and problem code it must
 * get, and no change in the database. Control requests with the same tokens succeed first, so a
 * suite where every token were refused would fail.
 */
@QuarkusTest
class BadInputTest {

  /** Every case below; fewer means some were lost. */
  private static final int MIN_CASES = 92;

  @Inject AgroalDataSource dataSource;

  @Test
  void badRequestsGetProblemsAndChangeNothing() throws Exception {
    String participant = unique("P");
    String project = registerProject(participant, IssuanceFixture.authorisation(1000));
    String request = submitted(participant, project, "2025-01-01", "2025-03-31", 2025, 100);
    String dev = developer(participant);
    String adm = admin();
    String stranger = developer(unique("P"));
    String regulator = TestTokens.regulator();
    OutboxTable.awaitDrained(
        dataSource,
        java.time.Duration.ofSeconds(30)); // the relay has published what the set-up produced

    String submit =
        "{\"project\":%s,\"monitoringPeriod\":%s,\"vintage\":%s,\"quantity\":%s,\"verificationReport\":%s}";
    String p = "\"" + project + "\"";
    String period = "{\"start\":\"2025-04-01\",\"end\":\"2025-06-30\"}";
    String report = "{\"reference\":\"VR\",\"sha256\":\"" + IssuanceFixture.SHA + "\"}";
    Map<String, Object> base = IssuanceFixture.project(unique("VN"), "JCM", List.of("P1"), null);
    String projectJson = IssuanceFixture.JSON.writeValueAsString(base);

    // controls: the tokens and request shapes the cases break are accepted when nothing is broken
    String approved =
        id(
            BadRequest.control(
                "submission by the developer",
                "POST",
                "/issuance-requests",
                dev,
                String.format(
                    submit,
                    p,
                    "{\"start\":\"2025-07-01\",\"end\":\"2025-09-30\"}",
                    "2025",
                    "1",
                    report)));
    String rejected =
        id(
            BadRequest.control(
                "second submission by the developer",
                "POST",
                "/issuance-requests",
                dev,
                String.format(
                    submit,
                    p,
                    "{\"start\":\"2025-10-01\",\"end\":\"2025-12-31\"}",
                    "2025",
                    "1",
                    report)));
    BadRequest.control(
        "request read by its submitter", "GET", "/issuance-requests/" + request, dev, null);
    BadRequest.control(
        "approval by the administrator",
        "POST",
        "/issuance-requests/" + approved + "/approval",
        adm,
        null);
    BadRequest.control(
        "rejection by the administrator",
        "POST",
        "/issuance-requests/" + rejected + "/rejection",
        adm,
        "{\"reason\":\"r\"}");
    BadRequest.control(
        "project by the administrator",
        "POST",
        "/projects",
        adm,
        IssuanceFixture.JSON.writeValueAsString(
            IssuanceFixture.project(unique("VN"), "JCM", List.of("P1"), null)));
    BadRequest.control(
        "request read by a regulator", "GET", "/issuance-requests/" + request, regulator, null);
    BadRequest.control("project read by a stranger", "GET", "/projects/" + project, stranger, null);
    // 1000 authorised; 100 (request) and 1 (approved) in flight: 899 remain

    List<BadRequest> requests = new ArrayList<>();
    for (String body : List.of("{", "[]", "null", "", "{\"project\":", "{}", "\"x\"")) {
      requests.add(
          BadRequest.post("submit json " + body, "/issuance-requests", dev, body)
              .expect(400, "MALFORMED_REQUEST"));
    }
    for (String q :
        List.of("0", "-1", "1.5", "\"5\"", "1e2", "99999999999999999999", "null", "true")) {
      requests.add(
          BadRequest.post(
                  "submit quantity " + q,
                  "/issuance-requests",
                  dev,
                  String.format(submit, p, period, "2025", q, report))
              .expect(400, "INVALID_QUANTITY"));
    }
    requests.add(
        BadRequest.post(
                "submit quantity 900",
                "/issuance-requests",
                dev,
                String.format(submit, p, period, "2025", "900", report))
            .expect(409, "ABOVE_AUTHORISED_QUANTITY"));
    for (String per :
        List.of(
            "{\"start\":\"2025-06-30\",\"end\":\"2025-04-01\"}",
            "{\"start\":\"2025-02-30\",\"end\":\"2025-06-30\"}",
            "{\"start\":\"2025-04-01\"}",
            "{\"start\":\"yesterday\",\"end\":\"2025-06-30\"}",
            "null",
            "\"2025\"",
            "{\"start\":20250401,\"end\":\"2025-06-30\"}")) {
      requests.add(
          BadRequest.post(
                  "submit period " + per,
                  "/issuance-requests",
                  dev,
                  String.format(submit, p, per, "2025", "1", report))
              .expect(400, "MALFORMED_REQUEST"));
    }
    String overlapping = "{\"start\":\"2025-03-01\",\"end\":\"2025-06-30\"}";
    requests.add(
        BadRequest.post(
                "submit period " + overlapping,
                "/issuance-requests",
                dev,
                String.format(submit, p, overlapping, "2025", "1", report))
            .expect(409, "PERIOD_OVERLAP"));
    for (String vintage : List.of("2024", "2026")) {
      requests.add(
          BadRequest.post(
                  "submit vintage " + vintage,
                  "/issuance-requests",
                  dev,
                  String.format(submit, p, period, vintage, "1", report))
              .expect(400, "VINTAGE_OUTSIDE_PERIOD"));
    }
    for (String vintage : List.of("\"2025\"", "null", "2025.5")) {
      requests.add(
          BadRequest.post(
                  "submit vintage " + vintage,
                  "/issuance-requests",
                  dev,
                  String.format(submit, p, period, vintage, "1", report))
              .expect(400, "MALFORMED_REQUEST"));
    }
    for (String r :
        List.of(
            "{\"reference\":\"VR\",\"sha256\":\"xyz\"}",
            "{\"reference\":\"VR\",\"sha256\":\"" + IssuanceFixture.SHA.toUpperCase() + "\"}",
            "{\"reference\":\"\",\"sha256\":\"" + IssuanceFixture.SHA + "\"}",
            "{\"sha256\":\"" + IssuanceFixture.SHA + "\"}",
            "null",
            "{\"reference\":\"a\\u0000b\",\"sha256\":\"" + IssuanceFixture.SHA + "\"}")) {
      requests.add(
          BadRequest.post(
                  "submit report " + r.substring(0, Math.min(30, r.length())) + r.length(),
                  "/issuance-requests",
                  dev,
                  String.format(submit, p, period, "2025", "1", r))
              .expect(400, "MALFORMED_REQUEST"));
    }
    for (String proj : List.of("\"NOPE\"", "\"../etc\"")) {
      requests.add(
          BadRequest.post(
                  "submit project " + proj,
                  "/issuance-requests",
                  dev,
                  String.format(submit, proj, period, "2025", "1", report))
              .expect(404, "PROJECT_NOT_FOUND"));
    }
    for (String proj : List.of("null", "\"" + "X".repeat(40) + "\"", "\"\"")) {
      requests.add(
          BadRequest.post(
                  "submit project " + proj.length(),
                  "/issuance-requests",
                  dev,
                  String.format(submit, proj, period, "2025", "1", report))
              .expect(400, "MALFORMED_REQUEST"));
    }
    requests.add(
        BadRequest.post(
                "submit quantity 0 and no report",
                "/issuance-requests",
                dev,
                String.format(submit, p, period, "2025", "0", "null"))
            .expect(400, "MALFORMED_REQUEST"));
    requests.add(
        BadRequest.post(
                "submit by a stranger",
                "/issuance-requests",
                stranger,
                String.format(submit, p, period, "2025", "1", report))
            .expect(403, "FORBIDDEN"));
    requests.add(
        BadRequest.post(
                "submit by an admin",
                "/issuance-requests",
                adm,
                String.format(submit, p, period, "2025", "1", report))
            .expect(403, "FORBIDDEN"));
    requests.add(
        BadRequest.post(
                "submit by a regulator with a broken body", "/issuance-requests", regulator, "{")
            .expect(403, "FORBIDDEN"));
    requests.add(
        BadRequest.post(
                "submit as text",
                "/issuance-requests",
                dev,
                String.format(submit, p, period, "2025", "1", report))
            .withContentType("text/plain")
            .expect(415, "UNSUPPORTED_MEDIA_TYPE"));
    requests.add(
        BadRequest.post(
                "submit extra field",
                "/issuance-requests",
                dev,
                String.format(submit, p, period, "2025", "1", report)
                    .replace("}", ",\"status\":\"ISSUED\"}"))
            .expect(400, "MALFORMED_REQUEST"));
    // projects
    for (String[] change :
        new String[][] {
          {"\"mechanism\":\"JCM\"", "\"mechanism\":\"CDM\""},
          {"\"hostParty\":\"VN\"", "\"hostParty\":\"ZZ\""},
          {"\"partnerParty\":\"JP\"", "\"partnerParty\":\"\""},
          {"\"percent\":60", "\"percent\":\"60\""},
          {"\"participants\":[\"P1\"]", "\"participants\":[]"},
          {"\"participants\":[\"P1\"]", "\"participants\":[\"../x\"]"},
          {"\"methodology\":\"VN_AM007\"", "\"methodology\":\"VN AM007\""},
          {"\"title\":", "\"title\":\"\",\"x\":"},
          {"\"id\":\"", "\"id\":\"bad-id-"},
          {"\"sectoralScope\":\"1 Energy industries\"", "\"sectoralScope\":null"}
        }) {
      requests.add(
          BadRequest.post(
                  "project " + change[1],
                  "/projects",
                  adm,
                  replaced(projectJson, change[0], change[1]))
              .expect(400, "MALFORMED_REQUEST"));
    }
    for (String[] change :
        new String[][] {
          {"\"percent\":60", "\"percent\":59"}, {"\"percent\":60", "\"percent\":-60"}
        }) {
      requests.add(
          BadRequest.post(
                  "project " + change[1],
                  "/projects",
                  adm,
                  replaced(projectJson, change[0], change[1]))
              .expect(400, "INVALID_ALLOCATION"));
    }
    // Article 6 authorisations whose purposes and first transfer definition do not fit together
    String auth = "{\"id\":\"AUTH-1\",\"date\":\"2025-01-15\",\"quantity\":10,%s}";
    for (String a :
        List.of(
            "\"purposes\":[]",
            "\"purposes\":[\"NDC\",\"NDC\"]",
            "\"purposes\":[\"OIMP\"]",
            "\"purposes\":[\"NDC\",\"OIMP\"]",
            "\"purpose\":\"OIMP\",\"purposes\":[\"NDC\"]",
            "\"purposes\":[\"NDC\"],\"firstTransferDefinition\":\"ISSUANCE\"",
            "\"purpose\":\"NDC\",\"firstTransferDefinition\":\"AUTHORISATION\"",
            "\"firstTransferDefinition\":\"ISSUANCE\"",
            "\"cooperativeApproach\":\"CA\"")) {
      requests.add(
          BadRequest.post(
                  "project authorisation " + a,
                  "/projects",
                  adm,
                  replaced(
                      projectJson,
                      "\"authorisation\":null",
                      "\"authorisation\":" + String.format(auth, a)))
              .expect(400, "INVALID_AUTHORISATION"));
    }
    for (String a :
        List.of(
            "\"purposes\":[\"CORSIA\"]",
            "\"purposes\":[\"OIMP\"],\"firstTransferDefinition\":\"AT_ISSUANCE\"",
            "\"purposes\":[null]",
            "\"purposes\":\"NDC\"")) {
      requests.add(
          BadRequest.post(
                  "project authorisation " + a,
                  "/projects",
                  adm,
                  replaced(
                      projectJson,
                      "\"authorisation\":null",
                      "\"authorisation\":" + String.format(auth, a)))
              .expect(400, "MALFORMED_REQUEST"));
    }
    requests.add(
        BadRequest.post("project by a developer", "/projects", dev, projectJson)
            .expect(403, "FORBIDDEN"));
    requests.add(
        BadRequest.post(
                "project twice",
                "/projects",
                adm,
                IssuanceFixture.JSON.writeValueAsString(
                    IssuanceFixture.project(project, "JCM", List.of("P1"), null)))
            .expect(409, "PROJECT_EXISTS"));
    // decisions
    requests.add(
        BadRequest.post(
                "approve unknown",
                "/issuance-requests/" + java.util.UUID.randomUUID() + "/approval",
                adm,
                null)
            .expect(404, "REQUEST_NOT_FOUND"));
    requests.add(
        BadRequest.post(
                "approve with a body",
                "/issuance-requests/" + request + "/approval",
                adm,
                "{\"status\":\"ISSUED\"}")
            .expect(400, "MALFORMED_REQUEST"));
    requests.add(
        BadRequest.post(
                "approve by a developer", "/issuance-requests/" + request + "/approval", dev, null)
            .expect(403, "FORBIDDEN"));
    requests.add(
        BadRequest.post(
                "approve by a regulator",
                "/issuance-requests/" + request + "/approval",
                regulator,
                null)
            .expect(403, "FORBIDDEN"));
    requests.add(
        BadRequest.post("approve twice", "/issuance-requests/" + approved + "/approval", adm, null)
            .expect(409, "REQUEST_NOT_SUBMITTED"));
    requests.add(
        BadRequest.post(
                "reject an approved request",
                "/issuance-requests/" + approved + "/rejection",
                adm,
                "{\"reason\":\"r\"}")
            .expect(409, "REQUEST_NOT_SUBMITTED"));
    requests.add(
        BadRequest.post(
                "approve a rejected request",
                "/issuance-requests/" + rejected + "/approval",
                adm,
                null)
            .expect(409, "REQUEST_NOT_SUBMITTED"));
    requests.add(
        BadRequest.post(
                "reject without reason", "/issuance-requests/" + request + "/rejection", adm, "{}")
            .expect(400, "MALFORMED_REQUEST"));
    requests.add(
        BadRequest.post(
                "reject with blank reason",
                "/issuance-requests/" + request + "/rejection",
                adm,
                "{\"reason\":\"  \"}")
            .expect(400, "MALFORMED_REQUEST"));
    requests.add(
        BadRequest.post(
                "reject with control characters",
                "/issuance-requests/" + request + "/rejection",
                adm,
                "{\"reason\":\"a\\u0007\"}")
            .expect(400, "MALFORMED_REQUEST"));
    requests.add(
        BadRequest.post(
                "reject oversized reason",
                "/issuance-requests/" + request + "/rejection",
                adm,
                "{\"reason\":\"" + "r".repeat(1001) + "\"}")
            .expect(400, "MALFORMED_REQUEST"));
    // reads
    for (String path :
        List.of("/projects/..%2F..", "/projects/" + "X".repeat(100), "/projects/NOPE")) {
      requests.add(
          BadRequest.get(
                  "get " + path.length() + path.substring(0, Math.min(20, path.length())),
                  path,
                  adm)
              .expect(404, "PROJECT_NOT_FOUND"));
    }
    requests.add(
        BadRequest.get("get /issuance-requests/not-there", "/issuance-requests/not-there", adm)
            .expect(404, "REQUEST_NOT_FOUND"));
    requests.add(
        BadRequest.get("get /issuance-requests/%00", "/issuance-requests/%00", adm)
            .expect(400, "MALFORMED_REQUEST"));
    requests.add(
        BadRequest.get("request read by a stranger", "/issuance-requests/" + request, stranger)
            .expect(403, "FORBIDDEN"));
    requests.add(
        BadRequest.get("no token", "/projects/" + project, null).expect(401, "UNAUTHORIZED"));
    requests.add(
        BadRequest.post(
                "oversized submission",
                "/issuance-requests",
                dev,
                "{\"pad\":\"" + "x".repeat(1_100_000) + "\"}")
            .expect(413, "BODY_TOO_LARGE"));
    assertTrue(requests.size() >= MIN_CASES, "cases: " + requests.size());

    Map<String, String> before = DatabaseSnapshot.of(dataSource);
    Map<String, Integer> codes = BadRequest.sendAll(requests);
    assertEquals(before, DatabaseSnapshot.of(dataSource), "bad requests changed the database");
    Log.infof(
        "issuance-service: %d bad requests, each with the status and code it expects: %s",
        requests.size(), codes);
  }

  /**
   * A problem names the faulty fields as the client wrote them, not as the resource method's
   * parameters.
   */
  @Test
  void problemFieldsAreBodyPaths() {
    io.restassured.RestAssured.given()
        .auth()
        .oauth2(developer("P-FIELDS"))
        .contentType(io.restassured.http.ContentType.JSON)
        .body("{}")
        .post("/issuance-requests")
        .then()
        .statusCode(400)
        .body("code", is("MALFORMED_REQUEST"))
        .body(
            "errors.field",
            contains("monitoringPeriod", "project", "quantity", "verificationReport", "vintage"))
        .body("detail", startsWith("monitoringPeriod: "));
    io.restassured.RestAssured.given()
        .auth()
        .oauth2(admin())
        .contentType(io.restassured.http.ContentType.JSON)
        .body("{}")
        .post("/issuance-requests/x/rejection")
        .then()
        .statusCode(400)
        .body("code", is("MALFORMED_REQUEST"))
        .body("errors.field", contains("reason"));
  }

  /**
   * {@code json} with {@code from} replaced, which must be there: a change that misses would send
   * the valid project.
   */
  private static String replaced(String json, String from, String to) {
    assertTrue(json.contains(from), "no " + from + " in " + json);
    return json.replace(from, to);
  }

  private static String id(String body) throws Exception {
    return IssuanceFixture.JSON.readTree(body).path("id").asText();
  }
}
