package org.tanso.registry;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.registry.RegistryFixture.admin;
import static org.tanso.registry.RegistryFixture.developer;
import static org.tanso.registry.RegistryFixture.fund;
import static org.tanso.registry.RegistryFixture.holdingAccount;
import static org.tanso.registry.RegistryFixture.participant;
import static org.tanso.registry.RegistryFixture.unique;

import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;
import org.tanso.devtokens.DevTokens;
import org.tanso.registry.account.domain.AccountNumber;
import org.tanso.registry.account.domain.AccountType;
import org.tanso.testing.BadRequest;
import org.tanso.testing.DatabaseSnapshot;
import org.tanso.testing.OutboxTable;
import org.tanso.testing.TestTokens;

/**
 * Well over a hundred broken or hostile requests, each with the status and problem code it must
 * get, and the database does not change. Control requests with the same tokens succeed first, so a
 * suite where every token were refused would fail.
 */
@QuarkusTest
class BadInputTest {

  /** Every case below; fewer means some were lost. */
  private static final int MIN_CASES = 195;

  @Inject AgroalDataSource dataSource;

  @Test
  void badRequestsGetProblemsAndChangeNothing() throws Exception {
    String owner = participant("VN");
    String from = holdingAccount(owner);
    String to = holdingAccount(participant("JP"));
    String project = fund(from, 50);
    String unit = "JCM-VN-" + project + "-2025-0001";
    String dev = developer(owner);
    String adm = admin();
    OutboxTable.awaitDrained(
        dataSource,
        java.time.Duration.ofSeconds(30)); // the relay has published what the set-up produced

    String good = "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"quantity\":1}";
    String retire =
        "{\"account\":\""
            + from
            + "\",\"quantity\":%s,\"beneficiary\":%s,\"purpose\":%s,\"usingParty\":%s}";
    String cancel = "{\"account\":%s,\"quantity\":%s,\"reason\":%s}";
    String participant = "{\"id\":%s,\"name\":%s,\"party\":%s}";
    String account = "{\"holder\":%s,\"party\":%s,\"type\":%s}";
    String stranger = developer(participant("KH"));
    String noParticipant = TestTokens.forRole("project-developer", null);
    String operator = TestTokens.marketOperator();
    String regulator = TestTokens.regulator();

    // controls: the tokens and request shapes the cases break are accepted when nothing is broken
    BadRequest.control("transfer by the developer", "POST", "/transfers", dev, good);
    BadRequest.control(
        "retirement by the developer",
        "POST",
        "/retirements",
        dev,
        String.format(retire, "1", "\"Acme\"", "\"NDC\"", "\"JP\""));
    BadRequest.control(
        "cancellation by the developer",
        "POST",
        "/cancellations",
        dev,
        String.format(cancel, "\"" + from + "\"", "1", "\"r\""));
    BadRequest.control(
        "account read by the developer", "GET", "/accounts/" + from + "/holdings", dev, null);
    BadRequest.control(
        "participant by the administrator",
        "POST",
        "/participants",
        adm,
        String.format(participant, "\"" + unique("PC") + "\"", "\"N\"", "\"JP\""));
    BadRequest.control(
        "account by the administrator",
        "POST",
        "/accounts",
        adm,
        String.format(account, "\"" + owner + "\"", "\"JP\"", "\"HOLDING\""));
    BadRequest.control("holdings read by the administrator", "GET", "/holdings?limit=1", adm, null);
    BadRequest.control(
        "all holdings read by the regulator", "GET", "/holdings?limit=1", regulator, null);
    BadRequest.control("unit read by the administrator", "GET", "/units/" + unit + "/1", adm, null);
    for (String token : List.of(operator, regulator, stranger, noParticipant)) {
      BadRequest.control("token accepted", "GET", "/me", token, null);
    }
    // one unit each was transferred (serial 50), retired (49) and cancelled (48) above: 47 remain

    List<BadRequest> requests = new ArrayList<>();
    // --- transfers: broken JSON
    for (String body :
        List.of(
            "{",
            "{\"from\":",
            "[",
            "null",
            "\"text\"",
            "{}{}",
            "{\"from\":\"" + from + "\",}",
            "{'from':'x'}",
            "",
            "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"quantity\":1} trailing",
            "{\"from\":\""
                + from
                + "\",\"from\":\""
                + to
                + "\",\"to\":\""
                + to
                + "\",\"quantity\":1}")) {
      requests.add(
          BadRequest.post("transfer json " + body, "/transfers", dev, body)
              .expect(400, "MALFORMED_REQUEST"));
    }
    // --- transfers: quantities
    for (String q :
        List.of(
            "-1",
            "0",
            "1.5",
            "1e3",
            "99999999999999999999",
            "9223372036854775808",
            "\"10\"",
            "true",
            "[1]",
            "{}",
            "-0.0")) {
      requests.add(
          BadRequest.post(
                  "transfer quantity " + q,
                  "/transfers",
                  dev,
                  "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"quantity\":" + q + "}")
              .expect(400, "INVALID_QUANTITY"));
    }
    // neither quantity nor serials
    requests.add(
        BadRequest.post(
                "transfer quantity null",
                "/transfers",
                dev,
                "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"quantity\":null}")
            .expect(400, "MALFORMED_REQUEST"));
    requests.add(
        BadRequest.post(
                "transfer quantity 48",
                "/transfers",
                dev,
                "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"quantity\":48}")
            .expect(409, "INSUFFICIENT_BALANCE"));
    // --- transfers: account fields
    List<String> badAccounts =
        List.of(
            "null",
            "\"\"",
            "123",
            "\"" + mistype(from) + "\"",
            "\"" + from.toLowerCase() + "\"",
            "\"" + from.replace('J', 'Ј') + "\"",
            "\"\u202E" + from + "\"",
            "\"" + from + "\u200B\"",
            "\"" + "9".repeat(10_000) + "\"",
            "\"../../etc/passwd\"",
            "\"" + from + "\\u0000\"",
            "{\"n\":1}");
    for (String bad : badAccounts) {
      requests.add(
          BadRequest.post(
                  "transfer from " + abbreviate(bad),
                  "/transfers",
                  dev,
                  "{\"from\":" + bad + ",\"to\":\"" + to + "\",\"quantity\":1}")
              .expect(400, "MALFORMED_REQUEST"));
      requests.add(
          BadRequest.post(
                  "transfer to " + abbreviate(bad),
                  "/transfers",
                  dev,
                  "{\"from\":\"" + from + "\",\"to\":" + bad + ",\"quantity\":1}")
              .expect(400, "MALFORMED_REQUEST"));
    }
    requests.add(
        BadRequest.post(
                "transfer missing to",
                "/transfers",
                dev,
                "{\"from\":\"" + from + "\",\"quantity\":1}")
            .expect(400, "MALFORMED_REQUEST"));
    requests.add(
        BadRequest.post(
                "transfer extra field",
                "/transfers",
                dev,
                "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"quantity\":1,\"force\":true}")
            .expect(400, "MALFORMED_REQUEST"));
    requests.add(
        BadRequest.post(
                "transfer same account",
                "/transfers",
                dev,
                "{\"from\":\"" + from + "\",\"to\":\"" + from + "\",\"quantity\":1}")
            .expect(400, "SAME_ACCOUNT"));
    requests.add(
        BadRequest.post(
                "transfer to an unknown account",
                "/transfers",
                dev,
                "{\"from\":\"" + from + "\",\"to\":\"" + unknownAccount() + "\",\"quantity\":1}")
            .expect(404, "ACCOUNT_NOT_FOUND"));
    requests.add(
        BadRequest.post(
                "transfer quantity and serials",
                "/transfers",
                dev,
                "{\"from\":\""
                    + from
                    + "\",\"to\":\""
                    + to
                    + "\",\"quantity\":1,\"serials\":[{\"unitId\":\""
                    + unit
                    + "\",\"start\":1,\"end\":1}]}")
            .expect(400, "MALFORMED_REQUEST"));
    for (String serials :
        List.of(
            "[]",
            "[{\"unitId\":\"" + unit + "\",\"start\":5,\"end\":4}]",
            "[{\"unitId\":\"" + unit + "\",\"start\":-1,\"end\":4}]",
            "[{\"unitId\":\"" + unit + "\",\"start\":\"1\",\"end\":4}]",
            "[{\"start\":1,\"end\":4}]",
            "[{\"unitId\":\""
                + unit
                + "\",\"start\":1,\"end\":4},{\"unitId\":\""
                + unit
                + "\",\"start\":3,\"end\":6}]",
            "[null]",
            "{\"a\":1}")) {
      requests.add(
          BadRequest.post(
                  "transfer serials " + abbreviate(serials),
                  "/transfers",
                  dev,
                  "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"serials\":" + serials + "}")
              .expect(400, "MALFORMED_REQUEST"));
    }
    // serials 1..47 are ACTIVE in from; 48 was cancelled, 49 retired there, 50 transferred to to;
    // there is no 51
    for (String serials :
        List.of(
            "[{\"unitId\":\"" + unit + "\",\"start\":51,\"end\":500}]",
            "[{\"unitId\":\"" + unit + "\",\"start\":50,\"end\":50}]",
            "[{\"unitId\":\"" + unit + "\",\"start\":47,\"end\":48}]",
            "[{\"unitId\":\"NOPE\",\"start\":1,\"end\":1}]")) {
      requests.add(
          BadRequest.post(
                  "transfer serials " + abbreviate(serials),
                  "/transfers",
                  dev,
                  "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"serials\":" + serials + "}")
              .expect(409, "UNITS_NOT_HELD"));
    }
    requests.add(
        BadRequest.post(
                "transfer of a retired serial",
                "/transfers",
                dev,
                "{\"from\":\""
                    + from
                    + "\",\"to\":\""
                    + to
                    + "\",\"serials\":[{\"unitId\":\""
                    + unit
                    + "\",\"start\":49,\"end\":49}]}")
            .expect(409, "UNITS_NOT_ACTIVE"));
    // --- retirements
    for (String q : List.of("0", "-3", "2.5", "\"1\"", "null", "1e2", "99999999999999999999")) {
      requests.add(
          BadRequest.post(
                  "retire quantity " + q,
                  "/retirements",
                  dev,
                  String.format(retire, q, "\"Acme\"", "\"NDC\"", "\"JP\""))
              .expect(400, "INVALID_QUANTITY"));
    }
    requests.add(
        BadRequest.post(
                "retire quantity 48",
                "/retirements",
                dev,
                String.format(retire, "48", "\"Acme\"", "\"NDC\"", "\"JP\""))
            .expect(409, "INSUFFICIENT_BALANCE"));
    for (String purpose : List.of("\"CORSIA\"", "\"ndc\"", "null", "1", "\"\"")) {
      requests.add(
          BadRequest.post(
                  "retire purpose " + purpose,
                  "/retirements",
                  dev,
                  String.format(retire, "1", "\"Acme\"", purpose, "\"JP\""))
              .expect(400, "MALFORMED_REQUEST"));
    }
    for (String party : List.of("\"XX\"", "\"jp\"", "\"JPN\"", "\"\"", "null", "81")) {
      requests.add(
          BadRequest.post(
                  "retire usingParty " + party,
                  "/retirements",
                  dev,
                  String.format(retire, "1", "\"Acme\"", "\"NDC\"", party))
              .expect(400, "MALFORMED_REQUEST"));
    }
    for (String beneficiary :
        List.of("\"\"", "\"" + "b".repeat(201) + "\"", "\"a\\u0007b\"", "null", "[\"x\"]")) {
      requests.add(
          BadRequest.post(
                  "retire beneficiary " + abbreviate(beneficiary),
                  "/retirements",
                  dev,
                  String.format(retire, "1", beneficiary, "\"NDC\"", "\"JP\""))
              .expect(400, "MALFORMED_REQUEST"));
    }
    // a field's own code only when it is the only thing wrong
    requests.add(
        BadRequest.post(
                "retire quantity 0 and no beneficiary",
                "/retirements",
                dev,
                String.format(retire, "0", "\"\"", "\"NDC\"", "\"JP\""))
            .expect(400, "MALFORMED_REQUEST"));
    // --- cancellations
    for (String q : List.of("0", "-1", "0.1", "\"2\"")) {
      requests.add(
          BadRequest.post(
                  "cancel quantity " + q,
                  "/cancellations",
                  dev,
                  String.format(cancel, "\"" + from + "\"", q, "\"r\""))
              .expect(400, "INVALID_QUANTITY"));
    }
    requests.add(
        BadRequest.post(
                "cancel quantity 48",
                "/cancellations",
                dev,
                String.format(cancel, "\"" + from + "\"", "48", "\"r\""))
            .expect(409, "INSUFFICIENT_BALANCE"));
    for (String reason : List.of("\"\"", "null", "\"" + "r".repeat(501) + "\"", "\"a\\u001bb\"")) {
      requests.add(
          BadRequest.post(
                  "cancel reason " + abbreviate(reason),
                  "/cancellations",
                  dev,
                  String.format(cancel, "\"" + from + "\"", "1", reason))
              .expect(400, "MALFORMED_REQUEST"));
    }
    for (String acc : List.of("\"" + mistype(from) + "\"", "\"../x\"", "null", "\"\"")) {
      requests.add(
          BadRequest.post(
                  "cancel account " + acc,
                  "/cancellations",
                  dev,
                  String.format(cancel, acc, "1", "\"r\""))
              .expect(400, "MALFORMED_REQUEST"));
    }
    requests.add(
        BadRequest.post(
                "cancel from another participant's account",
                "/cancellations",
                dev,
                String.format(cancel, "\"" + to + "\"", "1", "\"r\""))
            .expect(403, "FORBIDDEN"));
    // --- participants and accounts (administrator)
    for (String id :
        List.of(
            "\"../../etc/passwd\"",
            "\"\"",
            "\"" + "p".repeat(65) + "\"",
            "\"Pé\"",
            "\"P 1\"",
            "\"P\\u0000\"",
            "null",
            "7")) {
      requests.add(
          BadRequest.post(
                  "participant id " + abbreviate(id),
                  "/participants",
                  adm,
                  String.format(participant, id, "\"N\"", "\"JP\""))
              .expect(400, "MALFORMED_REQUEST"));
    }
    requests.add(
        BadRequest.post(
                "participant id taken",
                "/participants",
                adm,
                String.format(participant, "\"" + owner + "\"", "\"N\"", "\"JP\""))
            .expect(409, "PARTICIPANT_EXISTS"));
    for (String name : List.of("\"\"", "\"a\\nb\"", "\"" + "n".repeat(201) + "\"", "null")) {
      requests.add(
          BadRequest.post(
                  "participant name " + abbreviate(name),
                  "/participants",
                  adm,
                  String.format(participant, "\"PX1\"", name, "\"JP\""))
              .expect(400, "MALFORMED_REQUEST"));
    }
    for (String party : List.of("\"ZZ\"", "\"jp\"", "\"\"", "\"JPN\"", "392", "null")) {
      requests.add(
          BadRequest.post(
                  "participant party " + party,
                  "/participants",
                  adm,
                  String.format(participant, "\"PX2\"", "\"N\"", party))
              .expect(400, "MALFORMED_REQUEST"));
    }
    for (String type : List.of("\"PIGGY\"", "\"holding\"", "100", "null", "\"\"")) {
      requests.add(
          BadRequest.post(
                  "account type " + type,
                  "/accounts",
                  adm,
                  String.format(account, "\"" + owner + "\"", "\"JP\"", type))
              .expect(400, "MALFORMED_REQUEST"));
    }
    for (String holder : List.of("\"NOBODY-HERE\"", "\"../x\"")) {
      requests.add(
          BadRequest.post(
                  "account holder " + holder,
                  "/accounts",
                  adm,
                  String.format(account, holder, "\"JP\"", "\"HOLDING\""))
              .expect(404, "PARTICIPANT_NOT_FOUND"));
    }
    for (String holder : List.of("null", "\"\"")) {
      requests.add(
          BadRequest.post(
                  "account holder " + holder,
                  "/accounts",
                  adm,
                  String.format(account, holder, "\"JP\"", "\"HOLDING\""))
              .expect(400, "MALFORMED_REQUEST"));
    }
    requests.add(
        BadRequest.post(
                "account party",
                "/accounts",
                adm,
                String.format(account, "\"" + owner + "\"", "\"QQ\"", "\"HOLDING\""))
            .expect(400, "MALFORMED_REQUEST"));
    requests.add(
        BadRequest.post(
                "account status change to nonsense",
                "/accounts",
                adm,
                String.format(account, "\"" + owner + "\"", "\"JP\"", "\"HOLDING\"")
                    .replace("}", ",\"status\":\"CLOSED\"}"))
            .expect(400, "MALFORMED_REQUEST"));
    // --- malformed path and query parameters
    for (String number :
        List.of(
            mistype(from),
            from.toLowerCase(),
            "..%2F..%2Fetc",
            "%00",
            "JP-100",
            "X".repeat(300),
            "JP-100-000001-0%0A",
            "%E2%80%AE" + from)) {
      requests.add(
          BadRequest.get("account " + abbreviate(number), "/accounts/" + number, adm)
              .expect(400, "MALFORMED_REQUEST"));
      requests.add(
          BadRequest.get("holdings " + abbreviate(number), "/accounts/" + number + "/holdings", adm)
              .expect(400, "MALFORMED_REQUEST"));
    }
    requests.add(
        BadRequest.get("account unknown", "/accounts/" + unknownAccount(), adm)
            .expect(404, "ACCOUNT_NOT_FOUND"));
    for (String path :
        List.of(
            "/units/" + unit + "/abc",
            "/units/" + unit + "/-1",
            "/units/" + unit + "/0",
            "/units/" + "U".repeat(81) + "/1",
            "/units/" + unit + "/99999999999999999999",
            "/transactions/not-a-uuid",
            "/transactions/..%2F..",
            "/holdings?limit=-1",
            "/holdings?limit=abc",
            "/holdings?limit=100000",
            "/holdings?after=garbage",
            "/accounts/" + from + "/holdings?limit=0",
            "/participants/%00")) {
      requests.add(
          BadRequest.get("get " + abbreviate(path), path, adm).expect(400, "MALFORMED_REQUEST"));
    }
    requests.add(
        BadRequest.get("get unknown unit", "/units/" + unit + "/51", adm)
            .expect(404, "UNIT_NOT_FOUND"));
    requests.add(
        BadRequest.get(
                "get unknown transaction", "/transactions/" + java.util.UUID.randomUUID(), adm)
            .expect(404, "TRANSACTION_NOT_FOUND"));
    requests.add(BadRequest.get("get /nowhere", "/nowhere", adm).expect(404, "NOT_FOUND"));
    // --- content types and sizes
    for (String type :
        List.of(
            "text/plain",
            "application/xml",
            "application/x-www-form-urlencoded",
            "application/octet-stream")) {
      requests.add(
          BadRequest.post("transfer as " + type, "/transfers", dev, good)
              .withContentType(type)
              .expect(415, "UNSUPPORTED_MEDIA_TYPE"));
      requests.add(
          BadRequest.post(
                  "retirement as " + type,
                  "/retirements",
                  dev,
                  String.format(retire, "1", "\"Acme\"", "\"NDC\"", "\"JP\""))
              .withContentType(type)
              .expect(415, "UNSUPPORTED_MEDIA_TYPE"));
    }
    requests.add(
        BadRequest.post(
                "oversized body",
                "/transfers",
                dev,
                "{\"from\":\""
                    + from
                    + "\",\"to\":\""
                    + to
                    + "\",\"quantity\":1,\"pad\":\""
                    + "x".repeat(1_100_000)
                    + "\"}")
            .expect(413, "BODY_TOO_LARGE"));
    requests.add(
        BadRequest.post("idempotency key too long", "/transfers", dev, good)
            .withHeader("Idempotency-Key", "k".repeat(300))
            .expect(400, "MALFORMED_REQUEST"));
    requests.add(
        BadRequest.post("idempotency key with spaces", "/transfers", dev, good)
            .withHeader("Idempotency-Key", "a b")
            .expect(400, "MALFORMED_REQUEST"));
    // --- tokens: not authenticated (401), or authenticated without the right (403)
    JwtClaims expired = claims("project-developer", owner);
    expired.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() - 60));
    JwtClaims noGroups = claims("project-developer", owner);
    noGroups.unsetClaim("groups");
    for (String token :
        List.of(
            "",
            "abc",
            "a.b.c",
            TestTokens.signed(expired),
            TestTokens.signedByStranger("project-developer", owner),
            unsigned(claims("registry-admin", owner)))) {
      requests.add(
          BadRequest.post(
                  "transfer with token " + abbreviate(token),
                  "/transfers",
                  token.isEmpty() ? null : token,
                  good)
              .expect(401, "UNAUTHORIZED"));
    }
    for (String token :
        List.of(TestTokens.signed(noGroups), operator, regulator, stranger, noParticipant)) {
      requests.add(
          BadRequest.post("transfer with token " + abbreviate(token), "/transfers", token, good)
              .expect(403, "FORBIDDEN"));
    }
    requests.add(
        BadRequest.post(
                "transfer with an expired token and a broken body",
                "/transfers",
                TestTokens.signed(expired),
                "{")
            .expect(401, "UNAUTHORIZED"));
    // the role is checked before the body is read: a caller without the right learns nothing about
    // the body
    requests.add(
        BadRequest.post("transfer by a regulator with a broken body", "/transfers", regulator, "{")
            .expect(403, "FORBIDDEN"));
    requests.add(
        BadRequest.post(
                "participant by a developer",
                "/participants",
                dev,
                String.format(participant, "\"PX3\"", "\"N\"", "\"JP\""))
            .expect(403, "FORBIDDEN"));
    requests.add(
        BadRequest.get("account of another participant", "/accounts/" + to, dev)
            .expect(403, "FORBIDDEN"));
    requests.add(
        BadRequest.get("all holdings by a developer", "/holdings", dev).expect(403, "FORBIDDEN"));
    assertTrue(requests.size() >= MIN_CASES, "cases: " + requests.size());

    Map<String, String> before = DatabaseSnapshot.of(dataSource);
    Map<String, Integer> codes = BadRequest.sendAll(requests);
    Map<String, String> after = DatabaseSnapshot.of(dataSource);
    assertEquals(before, after, "bad requests changed the database");
    Log.infof(
        "registry-service: %d bad requests, each with the status and code it expects: %s",
        requests.size(), codes);
  }

  /**
   * A problem names the faulty fields as the client wrote them, not as the resource method's
   * parameters.
   */
  @Test
  void problemFieldsAreBodyPaths() {
    String dev = developer("P-FIELDS");
    io.restassured.RestAssured.given()
        .auth()
        .oauth2(dev)
        .contentType(io.restassured.http.ContentType.JSON)
        .body("{\"from\":\"\",\"to\":\"\",\"quantity\":0}")
        .post("/transfers")
        .then()
        .statusCode(400)
        .body("code", is("MALFORMED_REQUEST"))
        .body("errors.field", contains("from", "quantity", "to"))
        .body("detail", startsWith("from: "));
    io.restassured.RestAssured.given()
        .auth()
        .oauth2(dev)
        .contentType(io.restassured.http.ContentType.JSON)
        .body("{\"from\":\"a\",\"to\":\"b\",\"serials\":[{\"start\":0,\"end\":1}]}")
        .post("/transfers")
        .then()
        .statusCode(400)
        .body("code", is("MALFORMED_REQUEST"))
        .body("errors.field", contains("serials[0].start", "serials[0].unitId"));
    io.restassured.RestAssured.given()
        .auth()
        .oauth2(dev)
        .contentType(io.restassured.http.ContentType.JSON)
        .body("{\"from\":\"a\",\"to\":\"b\",\"quantity\":-1}")
        .post("/transfers")
        .then()
        .statusCode(400)
        .body("code", is("INVALID_QUANTITY"))
        .body("errors.field", contains("quantity"));
  }

  /** A well-formed account number (valid check digits) that no account has. */
  private static String unknownAccount() {
    return new AccountNumber("JP", AccountType.HOLDING, 999_999).toString();
  }

  private static String mistype(String number) {
    char c = number.charAt(9);
    return number.substring(0, 9) + (char) ((c - '0' + 1) % 10 + '0') + number.substring(10);
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…(" + text.length() + ")";
  }

  private static JwtClaims claims(String role, String participant) {
    JwtClaims claims = new JwtClaims();
    claims.setIssuer(DevTokens.DEFAULT_ISSUER);
    claims.setSubject("mallory");
    claims.setStringListClaim("groups", List.of(role));
    claims.setClaim("participant", participant);
    claims.setIssuedAtToNow();
    claims.setExpirationTimeMinutesInTheFuture(10);
    return claims;
  }

  private static String unsigned(JwtClaims claims) {
    java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\"}".getBytes())
        + "."
        + b64.encodeToString(claims.toJson().getBytes())
        + ".";
  }
}
