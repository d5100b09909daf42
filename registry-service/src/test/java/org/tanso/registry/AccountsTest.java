package org.tanso.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.tanso.registry.RegistryFixture.admin;
import static org.tanso.registry.RegistryFixture.participant;
import static org.tanso.registry.RegistryFixture.unique;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Participants and accounts: creation, validation, check digits, registry-level accounts. */
@QuarkusTest
class AccountsTest {

  @Test
  void registersParticipantsAndOpensAccountsWithCheckDigits() {
    String holder = participant("VN");
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(Map.of("holder", holder, "party", "VN", "type", "GOVERNMENT_HOLDING"))
        .post("/accounts")
        .then()
        .statusCode(201)
        .body("number", matchesPattern("VN-200-\\d{6}-\\d{2}"))
        .body("holder", is(holder))
        .body("type", is("GOVERNMENT_HOLDING"))
        .body("status", is("OPEN"));
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(Map.of("id", holder, "name", "again", "party", "VN"))
        .post("/participants")
        .then()
        .statusCode(409)
        .body("code", is("PARTICIPANT_EXISTS"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"id\":\"X\",\"name\":\"n\",\"party\":\"ZZ\"}",
        "{\"id\":\"X\",\"name\":\"n\",\"party\":\"jp\"}",
        "{\"id\":\"../etc\",\"name\":\"n\",\"party\":\"JP\"}",
        "{\"id\":\"\",\"name\":\"n\",\"party\":\"JP\"}",
        "{\"id\":\"X\",\"name\":\"n\"}",
        "{\"id\":\"X\",\"name\":\"a\\u0000b\",\"party\":\"JP\"}",
        "{\"id\":\"X\",\"name\":\"n\",\"party\":\"JP\",\"admin\":true}",
        "[]",
        "null",
        "{\"id\":\"X\",\"id\":\"Y\",\"name\":\"n\",\"party\":\"JP\"}"
      })
  void badParticipantsAreRejected(String body) {
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(body)
        .post("/participants")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("code", is("MALFORMED_REQUEST"))
        .body("status", is(400));
  }

  @Test
  void badAccountsAreRejected() {
    String holder = participant("VN");
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(Map.of("holder", holder, "party", "VN", "type", "PIGGY_BANK"))
        .post("/accounts")
        .then()
        .statusCode(400)
        .body("code", is("MALFORMED_REQUEST"));
    given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body(Map.of("holder", unique("NOBODY"), "party", "VN", "type", "HOLDING"))
        .post("/accounts")
        .then()
        .statusCode(404)
        .body("code", is("PARTICIPANT_NOT_FOUND"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "JP-100-000042-96",
        "JP-100-000024-95",
        "JP-100-00042-95",
        "jp-100-000042-95",
        "JP-999-000042-95",
        "JP100000042"
      })
  void malformedAccountNumbersAreRefusedBeforeAnyLookUp(String number) {
    given()
        .auth()
        .oauth2(admin())
        .get("/accounts/" + number)
        .then()
        .statusCode(400)
        .body("code", is("MALFORMED_REQUEST"));
  }

  @Test
  void unknownWellFormedAccountIs404() {
    given()
        .auth()
        .oauth2(admin())
        .get("/accounts/JP-100-999997-" + IssuanceMintingTest.checkDigits("JP100999997"))
        .then()
        .statusCode(404)
        .body("code", is("ACCOUNT_NOT_FOUND"));
  }

  @Test
  void registryLevelAccountsExistFromTheFirstStart() {
    given()
        .auth()
        .oauth2(admin())
        .get("/accounts/JP-600-000001-" + IssuanceMintingTest.checkDigits("JP600000001"))
        .then()
        .statusCode(200)
        .body("type", is("SHARE_OF_PROCEEDS"))
        .body("holder", is("REGISTRY"));
    given()
        .auth()
        .oauth2(admin())
        .get("/accounts/JP-500-000002-" + IssuanceMintingTest.checkDigits("JP500000002"))
        .then()
        .statusCode(200)
        .body("type", is("CANCELLATION"));
  }
}
