package org.tanso.issuance;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.issuance.IssuanceFixture.account;
import static org.tanso.issuance.IssuanceFixture.admin;
import static org.tanso.issuance.IssuanceFixture.authorisation;
import static org.tanso.issuance.IssuanceFixture.developer;
import static org.tanso.issuance.IssuanceFixture.project;
import static org.tanso.issuance.IssuanceFixture.unique;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.tanso.testing.TestKafka;
import org.tanso.testing.TestTokens;

@QuarkusTest
class ProjectsTest {

  @Test
  void registersAProjectEmitsProjectRegisteredAndAnyRoleReadsIt() throws Exception {
    String id = unique("VN");
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(project(id, "A6_4", List.of("P-ACME", "P-SOLAR"), authorisation(5000)))
        .post("/projects")
        .then()
        .statusCode(201)
        .body("id", is(id))
        .body("issuedToDate", is(0))
        .body("remainingAuthorisedQuantity", is(5000))
        .body("allocation.percent", contains(60, 40))
        .body("mechanism", is("A6_4"));
    for (String token :
        List.of(TestTokens.marketOperator(), TestTokens.regulator(), developer("P-ANY"))) {
      given()
          .auth()
          .oauth2(token)
          .get("/projects/" + id)
          .then()
          .statusCode(200)
          .body("participants", contains("P-ACME", "P-SOLAR"));
    }
    TestKafka.Received record = IssuanceFixture.issuanceRecord("ProjectRegistered", "id", id);
    assertEquals(id, record.key());
    JsonNode payload = IssuanceFixture.JSON.readTree(record.value());
    assertEquals(5000, payload.get("authorisation").get("quantity").asLong());
    assertEquals(account("VN", 100, 11), payload.get("allocation").get(0).get("account").asText());
  }

  @Test
  void aSinglePurposeShowsAsPurposesAndOimpIsFirstTransferredAtIssuance() throws Exception {
    String ndc = unique("VN");
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(project(ndc, "JCM", List.of("P1"), authorisation(100)))
        .post("/projects")
        .then()
        .statusCode(201)
        .body("authorisation.purpose", is("NDC"))
        .body("authorisation.purposes", contains("NDC"))
        .body("authorisation", not(hasKey("firstTransferDefinition")));
    given()
        .auth()
        .oauth2(admin())
        .get("/projects/" + ndc)
        .then()
        .statusCode(200)
        .body("authorisation.purpose", is("NDC"))
        .body("authorisation.purposes", contains("NDC"))
        .body("authorisation", not(hasKey("firstTransferDefinition")));
    String oimp = unique("VN");
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(project(oimp, "JCM", List.of("P1"), authorisation(100, Map.of("purpose", "OIMP"))))
        .post("/projects")
        .then()
        .statusCode(201)
        .body("authorisation.purpose", is("OIMP"))
        .body("authorisation.purposes", contains("OIMP"))
        .body("authorisation.firstTransferDefinition", is("ISSUANCE"));
    given()
        .auth()
        .oauth2(admin())
        .get("/projects/" + oimp)
        .then()
        .statusCode(200)
        .body("authorisation.purposes", contains("OIMP"))
        .body("authorisation.firstTransferDefinition", is("ISSUANCE"));
    JsonNode registered =
        IssuanceFixture.JSON
            .readTree(IssuanceFixture.issuanceRecord("ProjectRegistered", "id", oimp).value())
            .get("authorisation");
    assertEquals("OIMP", registered.get("purpose").asText());
    assertEquals("[\"OIMP\"]", registered.get("purposes").toString());
    assertEquals("ISSUANCE", registered.get("firstTransferDefinition").asText());
  }

  @Test
  void purposesAndTheirFirstTransferDefinitionAreStoredShownAndSent() throws Exception {
    String id = unique("VN");
    Map<String, Object> both =
        authorisation(
            100,
            Map.of(
                "purposes",
                List.of("NDC", "OIMP"),
                "firstTransferDefinition",
                "USE_OR_CANCELLATION"));
    both.remove("purpose");
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(project(id, "JCM", List.of("P1"), both))
        .post("/projects")
        .then()
        .statusCode(201)
        .body("authorisation.purpose", is("NDC"))
        .body("authorisation.purposes", contains("NDC", "OIMP"))
        .body("authorisation.firstTransferDefinition", is("USE_OR_CANCELLATION"));
    given()
        .auth()
        .oauth2(TestTokens.regulator())
        .get("/projects/" + id)
        .then()
        .statusCode(200)
        .body("authorisation.purpose", is("NDC"))
        .body("authorisation.purposes", contains("NDC", "OIMP"))
        .body("authorisation.firstTransferDefinition", is("USE_OR_CANCELLATION"));
    JsonNode registered =
        IssuanceFixture.JSON
            .readTree(IssuanceFixture.issuanceRecord("ProjectRegistered", "id", id).value())
            .get("authorisation");
    assertEquals("[\"NDC\",\"OIMP\"]", registered.get("purposes").toString());
    assertEquals("USE_OR_CANCELLATION", registered.get("firstTransferDefinition").asText());
    assertEquals("NDC", registered.get("purpose").asText());

    // the order given is kept, and purpose (when repeated) only has to be among purposes
    String oimpFirst = unique("VN");
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(
            project(
                oimpFirst,
                "JCM",
                List.of("P1"),
                authorisation(
                    100,
                    Map.of(
                        "purpose",
                        "OIMP",
                        "purposes",
                        List.of("OIMP", "NDC"),
                        "firstTransferDefinition",
                        "AUTHORISATION"))))
        .post("/projects")
        .then()
        .statusCode(201)
        .body("authorisation.purpose", is("OIMP"))
        .body("authorisation.purposes", contains("OIMP", "NDC"))
        .body("authorisation.firstTransferDefinition", is("AUTHORISATION"));
    given()
        .auth()
        .oauth2(admin())
        .get("/projects/" + oimpFirst)
        .then()
        .statusCode(200)
        .body("authorisation.purposes", contains("OIMP", "NDC"));
  }

  @Test
  void theApprovalCarriesPurposesDefinitionSectorAndActivityType() throws Exception {
    String participant = unique("P");
    Map<String, Object> both =
        authorisation(
            1000,
            Map.of("purposes", List.of("NDC", "OIMP"), "firstTransferDefinition", "AUTHORISATION"));
    String project = IssuanceFixture.registerProject(participant, both);
    String request =
        IssuanceFixture.submitted(participant, project, "2025-01-01", "2025-03-31", 2025, 10);
    IssuanceFixture.approve(admin(), request).then().statusCode(200);
    JsonNode approved =
        IssuanceFixture.issuanceEvents("IssuanceApproved", "requestId", request, 1).get(0);
    assertEquals("VN_AM007", approved.get("methodology").asText());
    assertEquals("1 Energy industries", approved.get("sectoralScope").asText());
    assertEquals("NDC", approved.get("authorisation").get("purpose").asText());
    assertEquals("[\"NDC\",\"OIMP\"]", approved.get("authorisation").get("purposes").toString());
    assertEquals(
        "AUTHORISATION", approved.get("authorisation").get("firstTransferDefinition").asText());

    // no authorisation: sector and activity type all the same, the authorisation null
    String mitigation = IssuanceFixture.registerProject(participant, null);
    String second =
        IssuanceFixture.submitted(participant, mitigation, "2025-01-01", "2025-03-31", 2025, 10);
    IssuanceFixture.approve(admin(), second).then().statusCode(200);
    JsonNode plain =
        IssuanceFixture.issuanceEvents("IssuanceApproved", "requestId", second, 1).get(0);
    assertEquals("VN_AM007", plain.get("methodology").asText());
    assertEquals("1 Energy industries", plain.get("sectoralScope").asText());
    assertTrue(plain.get("authorisation").isNull());
  }

  @Test
  void authorisationsWhosePurposesAndDefinitionDisagreeAreRefusedAndNothingIsStored() {
    for (Map<String, Object> bad :
        List.of(
            Map.<String, Object>of("purposes", List.of()),
            Map.<String, Object>of("purposes", List.of("NDC", "NDC")),
            Map.<String, Object>of(
                "purposes", List.of("OIMP", "OIMP"), "firstTransferDefinition", "ISSUANCE"),
            Map.<String, Object>of("purposes", List.of("OIMP")),
            Map.<String, Object>of("purposes", List.of("NDC", "OIMP")),
            Map.<String, Object>of("purpose", "OIMP", "purposes", List.of("NDC")),
            Map.<String, Object>of(
                "purpose",
                "NDC",
                "purposes",
                List.of("OIMP"),
                "firstTransferDefinition",
                "ISSUANCE"),
            Map.<String, Object>of("purpose", "OIMP", "purposes", List.of("OIMP")),
            Map.<String, Object>of("firstTransferDefinition", "ISSUANCE"),
            Map.<String, Object>of(
                "purposes", List.of("NDC"), "firstTransferDefinition", "AUTHORISATION"),
            Map.<String, Object>of(
                "purpose", "NDC", "firstTransferDefinition", "USE_OR_CANCELLATION"))) {
      assertRejected(
          b -> b.put("authorisation", authorisationWithout("purpose", bad)),
          "INVALID_AUTHORISATION");
    }
    // neither purpose nor purposes
    assertRejected(
        b -> b.put("authorisation", authorisationWithout("purpose", Map.of())),
        "INVALID_AUTHORISATION");
    // only NDC refuses a definition, with the reason
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(
            project(
                unique("VN"),
                "JCM",
                List.of("P1"),
                authorisation(10, Map.of("firstTransferDefinition", "ISSUANCE"))))
        .post("/projects")
        .then()
        .statusCode(400)
        .body("code", is("INVALID_AUTHORISATION"))
        .body("detail", is("only OIMP authorisations define a first transfer"));
    // unknown values are malformed, as unknown enum values everywhere
    assertRejected(
        b ->
            b.put(
                "authorisation",
                authorisationWithout("purpose", Map.of("purposes", List.of("NDC", "CORSIA")))),
        "MALFORMED_REQUEST");
    assertRejected(
        b ->
            b.put(
                "authorisation",
                authorisationWithout(
                    "purpose",
                    Map.of("purposes", List.of("OIMP"), "firstTransferDefinition", "AT_ISSUANCE"))),
        "MALFORMED_REQUEST");
    assertRejected(
        b -> b.put("authorisation", authorisationWithout("purpose", Map.of("purposes", "NDC"))),
        "MALFORMED_REQUEST");
  }

  /** A valid authorisation of 10 units without {@code field}, then {@code changes} applied. */
  private static Map<String, Object> authorisationWithout(
      String field, Map<String, Object> changes) {
    Map<String, Object> a = authorisation(10, changes);
    if (!changes.containsKey(field)) {
      a.remove(field);
    }
    return a;
  }

  @Test
  void duplicateAndUnknownProjects() {
    String id = unique("VN");
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(project(id, "JCM", List.of("P1"), null))
        .post("/projects")
        .then()
        .statusCode(201);
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(project(id, "JCM", List.of("P1"), null))
        .post("/projects")
        .then()
        .statusCode(409)
        .body("code", is("PROJECT_EXISTS"));
    given()
        .auth()
        .oauth2(admin())
        .get("/projects/" + unique("NONE"))
        .then()
        .statusCode(404)
        .body("code", is("PROJECT_NOT_FOUND"));
  }

  @Test
  void onlyRegistryAdministratorsRegisterProjects() {
    for (String token :
        List.of(developer("P1"), TestTokens.regulator(), TestTokens.marketOperator())) {
      given()
          .auth()
          .oauth2(token)
          .contentType(ContentType.JSON)
          .body(project(unique("VN"), "JCM", List.of("P1"), null))
          .post("/projects")
          .then()
          .statusCode(403)
          .body("code", is("FORBIDDEN"));
    }
  }

  @Test
  void invalidProjectsAreRejectedAndNothingIsStored() {
    assertRejected(b -> b.put("hostParty", "ZZ"), "MALFORMED_REQUEST");
    assertRejected(b -> b.put("partnerParty", "jp"), "MALFORMED_REQUEST");
    assertRejected(b -> b.put("mechanism", "CDM"), "MALFORMED_REQUEST");
    assertRejected(b -> b.put("participants", List.of()), "MALFORMED_REQUEST");
    assertRejected(b -> b.put("participants", List.of("P1", "P1")), "MALFORMED_REQUEST");
    assertRejected(b -> b.put("id", "VN-001"), "MALFORMED_REQUEST");
    assertRejected(
        b -> b.put("allocation", List.of(Map.of("account", account("VN", 100, 11), "percent", 99))),
        "INVALID_ALLOCATION");
    assertRejected(
        b ->
            b.put(
                "allocation",
                List.of(
                    Map.of("account", account("VN", 100, 11), "percent", 100.5),
                    Map.of("account", account("JP", 100, 42), "percent", -0.5))),
        "INVALID_ALLOCATION");
    assertRejected(
        b ->
            b.put(
                "allocation",
                List.of(
                    Map.of("account", account("VN", 100, 11), "percent", 0),
                    Map.of("account", account("JP", 100, 42), "percent", 100))),
        "INVALID_ALLOCATION");
    assertRejected(
        b -> b.put("allocation", List.of(Map.of("account", "VN-100-000011-00", "percent", 100))),
        "MALFORMED_REQUEST");
    assertRejected(b -> b.put("allocation", List.of()), "MALFORMED_REQUEST");
    assertRejected(
        b ->
            b.put(
                "authorisation",
                Map.of("id", "A1", "date", "2025-01-01", "purpose", "NDC", "quantity", 0)),
        "INVALID_QUANTITY");
    assertRejected(
        b ->
            b.put(
                "authorisation",
                Map.of("id", "A1", "date", "2025-13-01", "purpose", "NDC", "quantity", 10)),
        "MALFORMED_REQUEST");
    assertRejected(
        b ->
            b.put(
                "authorisation",
                Map.of("id", "A1", "date", "2025-01-01", "purpose", "CORSIA", "quantity", 10)),
        "MALFORMED_REQUEST");
    assertRejected(b -> b.put("title", "a\u0007b"), "MALFORMED_REQUEST");
    assertRejected(b -> b.put("issuedToDate", 1_000_000), "MALFORMED_REQUEST");
  }

  private static void assertRejected(Consumer<Map<String, Object>> change, String code) {
    String id = unique("VN");
    Map<String, Object> body = new HashMap<>(project(id, "JCM", List.of("P1"), null));
    change.accept(body);
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(body)
        .post("/projects")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("code", is(code));
    String stored = body.get("id") instanceof String s ? s : id;
    if (stored.matches("[A-Za-z0-9_]{1,32}")) {
      given().auth().oauth2(admin()).get("/projects/" + stored).then().statusCode(404);
    }
  }
}
