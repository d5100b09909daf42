package org.tanso.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.tanso.registry.RegistryFixture.admin;
import static org.tanso.registry.RegistryFixture.fund;
import static org.tanso.registry.RegistryFixture.holdingAccount;
import static org.tanso.registry.RegistryFixture.participant;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Error codes beyond the movement paths: look-ups, account life cycle, paging, authentication. */
@QuarkusTest
class MoreErrorCodesTest {

  @Test
  void unknownAndMalformedTransactionIds() {
    given()
        .auth()
        .oauth2(admin())
        .get("/transactions/" + UUID.randomUUID())
        .then()
        .statusCode(404)
        .body("code", is("TRANSACTION_NOT_FOUND"));
    given()
        .auth()
        .oauth2(admin())
        .get("/transactions/not-a-uuid")
        .then()
        .statusCode(400)
        .body("code", is("MALFORMED_REQUEST"));
  }

  @Test
  void anAccountWithUnitsCannotBeClosedAndAClosedAccountStaysClosed() {
    String holder = participant("VN");
    String account = holdingAccount(holder);
    fund(account, 3);
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(Map.of("status", "CLOSED"))
        .put("/accounts/" + account + "/status")
        .then()
        .statusCode(409)
        .body("code", is("ACCOUNT_NOT_EMPTY"));
    String empty = holdingAccount(holder);
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(Map.of("status", "CLOSED"))
        .put("/accounts/" + empty + "/status")
        .then()
        .statusCode(200)
        .body("status", is("CLOSED"));
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(Map.of("status", "OPEN"))
        .put("/accounts/" + empty + "/status")
        .then()
        .statusCode(409)
        .body("code", is("ACCOUNT_CLOSED"));
  }

  @Test
  void pagingParametersAreValidated() {
    given()
        .auth()
        .oauth2(admin())
        .get("/holdings?limit=0")
        .then()
        .statusCode(400)
        .body("code", is("MALFORMED_REQUEST"));
    given()
        .auth()
        .oauth2(admin())
        .get("/holdings?limit=abc")
        .then()
        .statusCode(400)
        .body("code", is("MALFORMED_REQUEST"));
    given()
        .auth()
        .oauth2(admin())
        .get("/holdings?after=%2F%2F..")
        .then()
        .statusCode(400)
        .body("code", is("MALFORMED_REQUEST"));
  }

  @Test
  void holdingsPageThroughEveryBlockOnce() {
    String holder = participant("VN");
    String a = holdingAccount(holder);
    fund(a, 5);
    fund(a, 6);
    fund(a, 7);
    var first =
        given()
            .auth()
            .oauth2(admin())
            .get("/accounts/" + a + "/holdings?limit=2")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    org.junit.jupiter.api.Assertions.assertEquals(2, first.getList("items").size());
    String next = first.getString("next");
    var second =
        given()
            .auth()
            .oauth2(admin())
            .get("/accounts/" + a + "/holdings?limit=2&after=" + next)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    org.junit.jupiter.api.Assertions.assertEquals(1, second.getList("items").size());
    org.junit.jupiter.api.Assertions.assertNull(second.getString("next"));
    org.junit.jupiter.api.Assertions.assertEquals(
        18,
        first.getInt("items[0].quantity")
            + first.getInt("items[1].quantity")
            + second.getInt("items[0].quantity"));
  }

  @Test
  void unauthenticatedCallsGetAProblemBody() {
    given()
        .contentType(ContentType.JSON)
        .body("{}")
        .post("/transfers")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .body("code", is("UNAUTHORIZED"));
  }
}
