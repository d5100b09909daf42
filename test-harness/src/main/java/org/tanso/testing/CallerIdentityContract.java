package org.tanso.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tanso.devtokens.DevTokens;

/**
 * Bearer-token checks every service passes, through {@code GET /me}: every Tanso role is
 * recognised, a missing, expired, foreign-signed, wrong-issuer or unsigned token is 401, and a
 * token without a Tanso role is 403. A service's {@code @QuarkusTest} subclass runs them.
 */
public abstract class CallerIdentityContract {

  @ParameterizedTest
  @ValueSource(strings = {"project-developer", "registry-admin", "regulator", "market-operator"})
  public void everyRoleIsRecognised(String role) {
    given()
        .auth()
        .oauth2(TestTokens.forRole(role, "P-ACME"))
        .when()
        .get("/me")
        .then()
        .statusCode(200)
        .body("roles", contains(role))
        .body("participant", is("P-ACME"));
  }

  @Test
  public void noTokenIs401() {
    given()
        .when()
        .get("/me")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .body("code", is("UNAUTHORIZED"));
  }

  @Test
  public void tokenFromAnUntrustedKeyIs401() {
    given()
        .auth()
        .oauth2(TestTokens.signedByStranger("regulator", null))
        .when()
        .get("/me")
        .then()
        .statusCode(401);
  }

  @Test
  public void expiredTokenIs401() {
    JwtClaims claims = claims();
    claims.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() - 3600));
    given().auth().oauth2(TestTokens.signed(claims)).when().get("/me").then().statusCode(401);
  }

  @Test
  public void wrongIssuerIs401() {
    JwtClaims claims = claims();
    claims.setIssuer("https://elsewhere.example");
    given().auth().oauth2(TestTokens.signed(claims)).when().get("/me").then().statusCode(401);
  }

  @Test
  public void unsignedAlgNoneTokenIs401() {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header =
        b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String body = b64.encodeToString(claims().toJson().getBytes(StandardCharsets.UTF_8));
    given().auth().oauth2(header + "." + body + ".").when().get("/me").then().statusCode(401);
  }

  @Test
  public void unknownRoleIs403() {
    given()
        .auth()
        .oauth2(TestTokens.withGroups(List.of("intruder"), "P-ACME", "mallory"))
        .when()
        .get("/me")
        .then()
        .statusCode(403)
        .body("code", is("FORBIDDEN"));
  }

  private static JwtClaims claims() {
    JwtClaims claims = new JwtClaims();
    claims.setIssuer(DevTokens.DEFAULT_ISSUER);
    claims.setSubject("mallory");
    claims.setStringListClaim("groups", List.of("regulator"));
    claims.setIssuedAtToNow();
    claims.setExpirationTimeMinutesInTheFuture(10);
    return claims;
  }
}
