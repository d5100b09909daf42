package org.tanso.issuance;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.issuance.IssuanceFixture.admin;
import static org.tanso.issuance.IssuanceFixture.approve;
import static org.tanso.issuance.IssuanceFixture.authorisation;
import static org.tanso.issuance.IssuanceFixture.developer;
import static org.tanso.issuance.IssuanceFixture.project;
import static org.tanso.issuance.IssuanceFixture.submitted;
import static org.tanso.issuance.IssuanceFixture.unique;
import static org.tanso.testing.Lists.assertInOrder;
import static org.tanso.testing.Lists.assertMalformed;
import static org.tanso.testing.Lists.field;
import static org.tanso.testing.Lists.walk;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tanso.testing.TestTokens;

/**
 * The lists of issuance-service: projects and the approval queue. Each is walked page by page with
 * more items than a page (no repeats, no gaps, in order), through every filter, with bad filter
 * values refused, and a project developer never seeing the requests of projects it is not part of.
 */
@QuarkusTest
class ListsTest {

  private static String register(String mechanism, String hostParty, List<String> participants) {
    String id = unique(hostParty);
    Map<String, Object> body = project(id, mechanism, participants, authorisation(1_000_000));
    body.put("hostParty", hostParty);
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(body)
        .post("/projects")
        .then()
        .statusCode(201);
    return id;
  }

  @Test
  void projectsAreListedInRegistrationOrderByMechanismAndHostParty() {
    String alice = unique("P");
    List<String> jcmVn = new ArrayList<>();
    List<String> a64Vn = new ArrayList<>();
    List<String> jcmMn = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      jcmVn.add(register("JCM", "VN", List.of(alice)));
      a64Vn.add(register("A6_4", "VN", List.of(alice)));
      jcmMn.add(register("JCM", "MN", List.of(alice)));
    }
    List<String> mine = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      mine.addAll(List.of(jcmVn.get(i), a64Vn.get(i), jcmMn.get(i)));
    }
    // 700 requested and not yet issued: the list shows the remaining authorised quantity as well
    submitted(alice, jcmVn.get(0), "2025-01-01", "2025-06-30", 2025, 700);

    for (String token :
        List.of(admin(), developer(alice), TestTokens.regulator(), TestTokens.marketOperator())) {
      assertInOrder(mine, field(walk(token, "/projects", Map.of(), 4), "id"));
    }
    List<Map<String, Object>> jcm = walk(admin(), "/projects", Map.of("mechanism", "JCM"), 2);
    assertInOrder(interleave(jcmVn, jcmMn), field(jcm, "id"));
    assertTrue(jcm.stream().allMatch(p -> "JCM".equals(p.get("mechanism"))), jcm.toString());
    List<Map<String, Object>> vn = walk(admin(), "/projects", Map.of("hostParty", "VN"), 2);
    assertInOrder(interleave(jcmVn, a64Vn), field(vn, "id"));
    assertTrue(vn.stream().allMatch(p -> "VN".equals(p.get("hostParty"))), vn.toString());
    List<Map<String, Object>> a64InVn =
        walk(admin(), "/projects", Map.of("mechanism", "A6_4", "hostParty", "VN"), 2);
    assertInOrder(a64Vn, field(a64InVn, "id"));
    assertTrue(
        a64InVn.stream()
            .allMatch(p -> "A6_4".equals(p.get("mechanism")) && "VN".equals(p.get("hostParty"))),
        a64InVn.toString());
    assertInOrder(
        jcmMn,
        field(walk(admin(), "/projects", Map.of("mechanism", "JCM", "hostParty", "MN"), 1), "id"));

    // each item is the project as GET /projects/{id} shows it
    Map<String, Object> listed =
        jcm.stream().filter(p -> jcmVn.get(0).equals(p.get("id"))).findFirst().orElseThrow();
    Map<String, Object> single =
        given()
            .auth()
            .oauth2(admin())
            .get("/projects/" + jcmVn.get(0))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getMap("");
    assertEquals(single, listed);
    assertEquals(1_000_000 - 700, ((Number) listed.get("remainingAuthorisedQuantity")).intValue());
  }

  private static List<String> interleave(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      out.add(a.get(i));
      out.add(b.get(i));
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "mechanism=jcm",
        "mechanism=VCS",
        "hostParty=vn",
        "hostParty=XX",
        "hostParty=VNM",
        "partnerParty=JP",
        "limit=0",
        "after=xyz"
      })
  void badProjectFiltersAreMalformedRequests(String query) {
    String[] kv = query.split("=", 2);
    assertMalformed(admin(), "/projects", Map.of(kv[0], kv[1]));
  }

  @Test
  void theApprovalQueueIsOldestFirstAndADeveloperSeesOnlyItsProjectsRequests() {
    String alice = unique("P");
    String bob = unique("P");
    String shared = register("JCM", "VN", List.of(alice, bob));
    String alicesOnly = register("JCM", "VN", List.of(alice));
    String bobsOnly = register("JCM", "VN", List.of(bob));
    List<String> queue = new ArrayList<>();
    queue.add(submitted(alice, shared, "2021-01-01", "2021-12-31", 2021, 10));
    queue.add(submitted(alice, alicesOnly, "2021-01-01", "2021-12-31", 2021, 10));
    queue.add(submitted(bob, bobsOnly, "2021-01-01", "2021-12-31", 2021, 10));
    queue.add(submitted(bob, shared, "2022-01-01", "2022-12-31", 2022, 10));
    queue.add(submitted(alice, alicesOnly, "2022-01-01", "2022-12-31", 2022, 10));
    queue.add(submitted(bob, bobsOnly, "2022-01-01", "2022-12-31", 2022, 10));
    String approved = queue.get(1);
    approve(admin(), approved).then().statusCode(200);
    String rejected = queue.get(2);
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(Map.of("reason", "incomplete report"))
        .post("/issuance-requests/" + rejected + "/rejection")
        .then()
        .statusCode(200);

    // registry administrators and regulators see every request, oldest first
    for (String token : List.of(admin(), TestTokens.regulator())) {
      assertInOrder(queue, field(walk(token, "/issuance-requests", Map.of(), 2), "id"));
    }
    List<Map<String, Object>> waiting =
        walk(admin(), "/issuance-requests", Map.of("status", "SUBMITTED"), 2);
    assertInOrder(
        List.of(queue.get(0), queue.get(3), queue.get(4), queue.get(5)), field(waiting, "id"));
    assertTrue(waiting.stream().allMatch(r -> "SUBMITTED".equals(r.get("status"))));
    assertEquals(
        List.of(queue.get(0), queue.get(3)),
        field(walk(admin(), "/issuance-requests", Map.of("project", shared), 1), "id"));
    assertEquals(
        List.of(queue.get(5)),
        field(
            walk(
                admin(),
                "/issuance-requests",
                Map.of("project", bobsOnly, "status", "SUBMITTED"),
                1),
            "id"));
    assertInOrder(
        List.of(approved),
        field(walk(admin(), "/issuance-requests", Map.of("status", "APPROVED"), 3), "id"));
    assertEquals(
        List.of(), walk(admin(), "/issuance-requests", Map.of("project", unique("NONE")), 3));

    // each item is the request as GET /issuance-requests/{id} shows it
    Map<String, Object> first =
        walk(admin(), "/issuance-requests", Map.of("project", alicesOnly), 5).get(0);
    Map<String, Object> single =
        given()
            .auth()
            .oauth2(admin())
            .get("/issuance-requests/" + approved)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getMap("");
    assertEquals(single, first);

    // a project developer: the requests of the projects its participant is part of, whatever it
    // asks
    assertEquals(
        List.of(queue.get(0), queue.get(1), queue.get(3), queue.get(4)),
        field(walk(developer(alice), "/issuance-requests", Map.of(), 1), "id"));
    assertEquals(
        List.of(queue.get(0), queue.get(2), queue.get(3), queue.get(5)),
        field(walk(developer(bob), "/issuance-requests", Map.of(), 3), "id"));
    assertEquals(
        List.of(), walk(developer(alice), "/issuance-requests", Map.of("project", bobsOnly), 3));
    assertEquals(
        List.of(queue.get(0), queue.get(3)),
        field(
            walk(
                developer(alice),
                "/issuance-requests",
                Map.of("project", shared, "status", "SUBMITTED"),
                1),
            "id"));
    assertEquals(
        List.of(queue.get(0), queue.get(3), queue.get(4)),
        field(
            walk(developer(alice), "/issuance-requests", Map.of("status", "SUBMITTED"), 2), "id"));
    assertEquals(List.of(), walk(developer(unique("P")), "/issuance-requests", Map.of(), 3));
    assertEquals(
        List.of(),
        walk(
            TestTokens.withGroups(List.of("project-developer"), null, "nobody"),
            "/issuance-requests",
            Map.of(),
            3));

    // market operators follow issuance on the topic; the queue, like a single request, is not
    // theirs
    given()
        .auth()
        .oauth2(TestTokens.marketOperator())
        .get("/issuance-requests")
        .then()
        .statusCode(403)
        .body("code", is("FORBIDDEN"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "status=submitted",
        "status=PENDING",
        "project=VN-001",
        "project=" + "P123456789012345678901234567890123",
        "submitter=x",
        "limit=abc",
        "after=not-a-cursor"
      })
  void badQueueFiltersAreMalformedRequests(String query) {
    String[] kv = query.split("=", 2);
    for (String token : List.of(admin(), developer(unique("P")))) {
      assertMalformed(token, "/issuance-requests", Map.of(kv[0], kv[1]));
    }
  }
}
