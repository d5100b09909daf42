package org.tanso.issuance;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
    given().auth().oauth2(admin()).contentType(ContentType.JSON).body(project(id, "A6_4", List.of("P-ACME", "P-SOLAR"), authorisation(5000)))
        .post("/projects").then().statusCode(201)
        .body("id", is(id)).body("issuedToDate", is(0)).body("remainingAuthorisedQuantity", is(5000))
        .body("allocation.percent", contains(60, 40)).body("mechanism", is("A6_4"));
    for (String token : List.of(TestTokens.marketOperator(), TestTokens.regulator(), developer("P-ANY"))) {
      given().auth().oauth2(token).get("/projects/" + id).then().statusCode(200).body("participants", contains("P-ACME", "P-SOLAR"));
    }
    TestKafka.Received record = IssuanceFixture.issuanceRecord("ProjectRegistered", "id", id);
    assertEquals(id, record.key());
    JsonNode payload = IssuanceFixture.JSON.readTree(record.value());
    assertEquals(5000, payload.get("authorisation").get("quantity").asLong());
    assertEquals(account("VN", 100, 11), payload.get("allocation").get(0).get("account").asText());
  }

  @Test
  void duplicateAndUnknownProjects() {
    String id = unique("VN");
    given().auth().oauth2(admin()).contentType(ContentType.JSON).body(project(id, "JCM", List.of("P1"), null)).post("/projects").then().statusCode(201);
    given().auth().oauth2(admin()).contentType(ContentType.JSON).body(project(id, "JCM", List.of("P1"), null)).post("/projects").then().statusCode(409)
        .body("code", is("PROJECT_EXISTS"));
    given().auth().oauth2(admin()).get("/projects/" + unique("NONE")).then().statusCode(404).body("code", is("PROJECT_NOT_FOUND"));
  }

  @Test
  void onlyRegistryAdministratorsRegisterProjects() {
    for (String token : List.of(developer("P1"), TestTokens.regulator(), TestTokens.marketOperator())) {
      given().auth().oauth2(token).contentType(ContentType.JSON).body(project(unique("VN"), "JCM", List.of("P1"), null)).post("/projects")
          .then().statusCode(403).body("code", is("FORBIDDEN"));
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
    assertRejected(b -> b.put("allocation", List.of(Map.of("account", account("VN", 100, 11), "percent", 99))), "INVALID_ALLOCATION");
    assertRejected(b -> b.put("allocation", List.of(Map.of("account", account("VN", 100, 11), "percent", 100.5), Map.of("account", account("JP", 100, 42), "percent", -0.5))), "INVALID_ALLOCATION");
    assertRejected(b -> b.put("allocation", List.of(Map.of("account", account("VN", 100, 11), "percent", 0), Map.of("account", account("JP", 100, 42), "percent", 100))), "INVALID_ALLOCATION");
    assertRejected(b -> b.put("allocation", List.of(Map.of("account", "VN-100-000011-00", "percent", 100))), "MALFORMED_REQUEST");
    assertRejected(b -> b.put("allocation", List.of()), "MALFORMED_REQUEST");
    assertRejected(b -> b.put("authorisation", Map.of("id", "A1", "date", "2025-01-01", "purpose", "NDC", "quantity", 0)), "INVALID_QUANTITY");
    assertRejected(b -> b.put("authorisation", Map.of("id", "A1", "date", "2025-13-01", "purpose", "NDC", "quantity", 10)), "MALFORMED_REQUEST");
    assertRejected(b -> b.put("authorisation", Map.of("id", "A1", "date", "2025-01-01", "purpose", "CORSIA", "quantity", 10)), "MALFORMED_REQUEST");
    assertRejected(b -> b.put("title", "a\u0007b"), "MALFORMED_REQUEST");
    assertRejected(b -> b.put("issuedToDate", 1_000_000), "MALFORMED_REQUEST");
  }

  private static void assertRejected(Consumer<Map<String, Object>> change, String code) {
    String id = unique("VN");
    Map<String, Object> body = new HashMap<>(project(id, "JCM", List.of("P1"), null));
    change.accept(body);
    given().auth().oauth2(admin()).contentType(ContentType.JSON).body(body).post("/projects").then().statusCode(400)
        .contentType("application/problem+json").body("code", is(code));
    String stored = body.get("id") instanceof String s ? s : id;
    if (stored.matches("[A-Za-z0-9_]{1,32}")) {
      given().auth().oauth2(admin()).get("/projects/" + stored).then().statusCode(404);
    }
  }
}
