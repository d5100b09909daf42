package org.tanso.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tanso.registry.RegistryFixture.admin;
import static org.tanso.registry.RegistryFixture.balance;
import static org.tanso.registry.RegistryFixture.developer;
import static org.tanso.registry.RegistryFixture.fund;
import static org.tanso.registry.RegistryFixture.holdingAccount;
import static org.tanso.registry.RegistryFixture.participant;
import static org.tanso.registry.RegistryFixture.transferBody;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tanso.testing.TestTokens;

/** A participant acts only on its own accounts; regulators and market operators only read. */
@QuarkusTest
class OwnershipTest {

  String victim;
  String victimAccount;
  String mallory;
  String malloryAccount;

  @BeforeEach
  void accounts() {
    victim = participant("VN");
    victimAccount = holdingAccount(victim);
    mallory = participant("JP");
    malloryAccount = holdingAccount(mallory);
    fund(victimAccount, 10);
  }

  @Test
  void anotherParticipantsAccountIsForbiddenOnEveryWriteEndpoint() {
    String token = developer(mallory);
    post(token, "/transfers", transferBody(victimAccount, malloryAccount, 1))
        .then()
        .statusCode(403)
        .body("code", is("FORBIDDEN"))
        .body("id", nullValue())
        .body("blocks", nullValue())
        .body("balance", nullValue());
    post(token, "/retirements", retirement(victimAccount))
        .then()
        .statusCode(403)
        .body("code", is("FORBIDDEN"))
        .body("id", nullValue())
        .body("blocks", nullValue());
    post(token, "/cancellations", cancellation(victimAccount))
        .then()
        .statusCode(403)
        .body("code", is("FORBIDDEN"))
        .body("id", nullValue())
        .body("blocks", nullValue());
    // a developer token without a participant claim owns nothing
    post(
            TestTokens.forRole("project-developer", null),
            "/transfers",
            transferBody(victimAccount, malloryAccount, 1))
        .then()
        .statusCode(403);
    assertEquals(10, balance(victimAccount));
  }

  @Test
  void readOnlyRolesCannotWrite() {
    for (String token : new String[] {TestTokens.regulator(), TestTokens.marketOperator()}) {
      post(token, "/transfers", transferBody(victimAccount, malloryAccount, 1))
          .then()
          .statusCode(403)
          .body("code", is("FORBIDDEN"));
      post(token, "/retirements", retirement(victimAccount))
          .then()
          .statusCode(403)
          .body("code", is("FORBIDDEN"));
      post(token, "/cancellations", cancellation(victimAccount))
          .then()
          .statusCode(403)
          .body("code", is("FORBIDDEN"));
      post(token, "/participants", Map.of("id", "X1", "name", "x", "party", "JP"))
          .then()
          .statusCode(403)
          .body("code", is("FORBIDDEN"));
      post(token, "/accounts", Map.of("holder", mallory, "party", "JP", "type", "HOLDING"))
          .then()
          .statusCode(403)
          .body("code", is("FORBIDDEN"));
    }
    // project developers cannot register participants or open accounts either
    post(developer(mallory), "/participants", Map.of("id", "X2", "name", "x", "party", "JP"))
        .then()
        .statusCode(403);
    post(
            developer(mallory),
            "/accounts",
            Map.of("holder", mallory, "party", "JP", "type", "HOLDING"))
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(developer(mallory))
        .contentType(ContentType.JSON)
        .body(Map.of("status", "CLOSED"))
        .put("/accounts/" + victimAccount + "/status")
        .then()
        .statusCode(403);
    assertEquals(10, balance(victimAccount));
  }

  @Test
  void anotherParticipantsAccountCannotBeReadAndNothingLeaks() {
    given()
        .auth()
        .oauth2(developer(mallory))
        .get("/accounts/" + victimAccount)
        .then()
        .statusCode(403)
        .body("code", is("FORBIDDEN"))
        .body("balance", nullValue())
        .body("holder", nullValue());
    given()
        .auth()
        .oauth2(developer(mallory))
        .get("/accounts/" + victimAccount + "/holdings")
        .then()
        .statusCode(403)
        .body("items", nullValue());
    given()
        .auth()
        .oauth2(developer(victim))
        .get("/accounts/" + victimAccount)
        .then()
        .statusCode(200)
        .body("balance", is(10));
    given()
        .auth()
        .oauth2(TestTokens.regulator())
        .get("/accounts/" + victimAccount)
        .then()
        .statusCode(200);
    given()
        .auth()
        .oauth2(TestTokens.marketOperator())
        .get("/accounts/" + victimAccount)
        .then()
        .statusCode(403);
    given().auth().oauth2(developer(mallory)).get("/holdings").then().statusCode(403);
    given().auth().oauth2(TestTokens.regulator()).get("/holdings?limit=2").then().statusCode(200);
    given()
        .auth()
        .oauth2(admin())
        .get("/units/JCM-VN-NONE-2025-0001/1")
        .then()
        .statusCode(404)
        .body("code", is("UNIT_NOT_FOUND"));
    given()
        .auth()
        .oauth2(developer(victim))
        .get("/units/JCM-VN-NONE-2025-0001/1")
        .then()
        .statusCode(403);
  }

  private static io.restassured.response.Response post(String token, String path, Object body) {
    return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post(path);
  }

  private static Map<String, Object> retirement(String account) {
    return Map.of(
        "account",
        account,
        "quantity",
        1,
        "beneficiary",
        "someone",
        "purpose",
        "NDC",
        "usingParty",
        "JP");
  }

  private static Map<String, Object> cancellation(String account) {
    return Map.of("account", account, "quantity", 1, "reason", "because");
  }
}
