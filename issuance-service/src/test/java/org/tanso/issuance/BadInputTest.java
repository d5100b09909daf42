package org.tanso.issuance;

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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.tanso.testing.BadRequest;
import org.tanso.testing.DatabaseSnapshot;
import org.tanso.testing.TestTokens;

/** Broken and hostile requests to issuance-service: 4xx problems with stable codes, and no change in the database. */
@QuarkusTest
class BadInputTest {

  @Inject AgroalDataSource dataSource;

  @Test
  void badRequestsGetProblemsAndChangeNothing() throws Exception {
    String participant = unique("P");
    String project = registerProject(participant, IssuanceFixture.authorisation(1000));
    String request = submitted(participant, project, "2025-01-01", "2025-03-31", 2025, 100);
    String dev = developer(participant);
    String adm = admin();
    Thread.sleep(1500);

    List<BadRequest> requests = new ArrayList<>();
    String submit = "{\"project\":%s,\"monitoringPeriod\":%s,\"vintage\":%s,\"quantity\":%s,\"verificationReport\":%s}";
    String p = "\"" + project + "\"";
    String period = "{\"start\":\"2025-04-01\",\"end\":\"2025-06-30\"}";
    String report = "{\"reference\":\"VR\",\"sha256\":\"" + IssuanceFixture.SHA + "\"}";
    for (String body : List.of("{", "[]", "null", "", "{\"project\":", "{}", "\"x\"")) {
      requests.add(BadRequest.post("submit json " + body, "/issuance-requests", dev, body));
    }
    for (String q : List.of("0", "-1", "1.5", "\"5\"", "1e2", "99999999999999999999", "null", "901", "true")) {
      requests.add(BadRequest.post("submit quantity " + q, "/issuance-requests", dev, String.format(submit, p, period, "2025", q, report)));
    }
    for (String per : List.of("{\"start\":\"2025-06-30\",\"end\":\"2025-04-01\"}", "{\"start\":\"2025-02-30\",\"end\":\"2025-06-30\"}", "{\"start\":\"2025-04-01\"}",
        "{\"start\":\"yesterday\",\"end\":\"2025-06-30\"}", "null", "\"2025\"", "{\"start\":\"2025-03-01\",\"end\":\"2025-06-30\"}", "{\"start\":20250401,\"end\":\"2025-06-30\"}")) {
      requests.add(BadRequest.post("submit period " + per, "/issuance-requests", dev, String.format(submit, p, per, "2025", "1", report)));
    }
    for (String vintage : List.of("2024", "2026", "\"2025\"", "null", "2025.5")) {
      requests.add(BadRequest.post("submit vintage " + vintage, "/issuance-requests", dev, String.format(submit, p, period, vintage, "1", report)));
    }
    for (String r : List.of("{\"reference\":\"VR\",\"sha256\":\"xyz\"}", "{\"reference\":\"VR\",\"sha256\":\"" + IssuanceFixture.SHA.toUpperCase() + "\"}", "{\"reference\":\"\",\"sha256\":\"" + IssuanceFixture.SHA + "\"}",
        "{\"sha256\":\"" + IssuanceFixture.SHA + "\"}", "null", "{\"reference\":\"a\\u0000b\",\"sha256\":\"" + IssuanceFixture.SHA + "\"}")) {
      requests.add(BadRequest.post("submit report " + r.substring(0, Math.min(30, r.length())) + r.length(), "/issuance-requests", dev, String.format(submit, p, period, "2025", "1", r)));
    }
    for (String proj : List.of("\"NOPE\"", "\"../etc\"", "null", "\"" + "X".repeat(40) + "\"", "\"\"")) {
      requests.add(BadRequest.post("submit project " + proj.length(), "/issuance-requests", dev, String.format(submit, proj, period, "2025", "1", report)));
    }
    requests.add(BadRequest.post("submit by a stranger", "/issuance-requests", developer(unique("P")), String.format(submit, p, period, "2025", "1", report)));
    requests.add(BadRequest.post("submit by an admin", "/issuance-requests", adm, String.format(submit, p, period, "2025", "1", report)));
    requests.add(BadRequest.post("submit as text", "/issuance-requests", dev, String.format(submit, p, period, "2025", "1", report)).withContentType("text/plain"));
    requests.add(BadRequest.post("submit extra field", "/issuance-requests", dev, String.format(submit, p, period, "2025", "1", report).replace("}", ",\"status\":\"ISSUED\"}")));
    // projects
    Map<String, Object> base = IssuanceFixture.project(unique("VN"), "JCM", List.of("P1"), null);
    String projectJson = IssuanceFixture.JSON.writeValueAsString(base);
    for (String[] change : new String[][] {
        {"\"mechanism\":\"JCM\"", "\"mechanism\":\"CDM\""}, {"\"hostParty\":\"VN\"", "\"hostParty\":\"ZZ\""}, {"\"partnerParty\":\"JP\"", "\"partnerParty\":\"\""},
        {"\"percent\":60", "\"percent\":59"}, {"\"percent\":60", "\"percent\":\"60\""}, {"\"percent\":60", "\"percent\":-60"}, {"\"participants\":[\"P1\"]", "\"participants\":[]"},
        {"\"participants\":[\"P1\"]", "\"participants\":[\"../x\"]"}, {"\"methodology\":\"VN_AM007\"", "\"methodology\":\"VN AM007\""}, {"\"title\":", "\"title\":\"\",\"x\":"},
        {"\"id\":\"", "\"id\":\"bad-id-"}, {"\"sectoralScope\":\"1 Energy industries\"", "\"sectoralScope\":null"}}) {
      requests.add(BadRequest.post("project " + change[1], "/projects", adm, projectJson.replace(change[0], change[1])));
    }
    requests.add(BadRequest.post("project by a developer", "/projects", dev, projectJson));
    requests.add(BadRequest.post("project twice", "/projects", adm, IssuanceFixture.JSON.writeValueAsString(IssuanceFixture.project(project, "JCM", List.of("P1"), null))));
    // decisions
    requests.add(BadRequest.post("approve unknown", "/issuance-requests/" + java.util.UUID.randomUUID() + "/approval", adm, null));
    requests.add(BadRequest.post("approve with a body", "/issuance-requests/" + request + "/approval", adm, "{\"status\":\"ISSUED\"}"));
    requests.add(BadRequest.post("approve by a developer", "/issuance-requests/" + request + "/approval", dev, null));
    requests.add(BadRequest.post("approve by a regulator", "/issuance-requests/" + request + "/approval", TestTokens.regulator(), null));
    requests.add(BadRequest.post("reject without reason", "/issuance-requests/" + request + "/rejection", adm, "{}"));
    requests.add(BadRequest.post("reject with blank reason", "/issuance-requests/" + request + "/rejection", adm, "{\"reason\":\"  \"}"));
    requests.add(BadRequest.post("reject with control characters", "/issuance-requests/" + request + "/rejection", adm, "{\"reason\":\"a\\u0007\"}"));
    requests.add(BadRequest.post("reject oversized reason", "/issuance-requests/" + request + "/rejection", adm, "{\"reason\":\"" + "r".repeat(1001) + "\"}"));
    // reads
    for (String path : List.of("/projects/..%2F..", "/projects/" + "X".repeat(100), "/issuance-requests/not-there", "/issuance-requests/%00", "/projects/NOPE")) {
      requests.add(BadRequest.get("get " + path.length() + path.substring(0, Math.min(20, path.length())), path, adm));
    }
    requests.add(BadRequest.get("request read by a stranger", "/issuance-requests/" + request, developer(unique("P"))));
    requests.add(BadRequest.get("no token", "/projects/" + project, null));
    requests.add(BadRequest.post("oversized submission", "/issuance-requests", dev, "{\"pad\":\"" + "x".repeat(1_100_000) + "\"}"));

    Map<String, String> before = DatabaseSnapshot.of(dataSource);
    Map<String, Integer> codes = new TreeMap<>();
    Set<BadRequest> distinct = new LinkedHashSet<>();
    for (BadRequest bad : requests) {
      assertTrue(distinct.add(bad), "the same request twice: " + bad.name());
      codes.merge(bad.sendAndCheck(), 1, Integer::sum);
    }
    assertEquals(before, DatabaseSnapshot.of(dataSource), "bad requests changed the database");
    Log.infof("issuance-service: %d bad requests, all 4xx problems: %s", requests.size(), codes);
    assertTrue(requests.size() >= 60, "cases: " + requests.size());
  }
}
