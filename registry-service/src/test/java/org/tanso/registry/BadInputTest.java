package org.tanso.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.registry.RegistryFixture.admin;
import static org.tanso.registry.RegistryFixture.developer;
import static org.tanso.registry.RegistryFixture.fund;
import static org.tanso.registry.RegistryFixture.holdingAccount;
import static org.tanso.registry.RegistryFixture.participant;

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
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;
import org.tanso.devtokens.DevTokens;
import org.tanso.testing.BadRequest;
import org.tanso.testing.DatabaseSnapshot;
import org.tanso.testing.TestTokens;

/** Well over a hundred broken or hostile requests: each gets a 4xx problem with a stable code, and the database does not change. */
@QuarkusTest
class BadInputTest {

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
    Thread.sleep(1500); // let the relay publish what the set-up produced

    List<BadRequest> requests = new ArrayList<>();
    // --- transfers: broken JSON
    for (String body : List.of("{", "{\"from\":", "[", "null", "\"text\"", "{}{}", "{\"from\":\"" + from + "\",}", "{'from':'x'}", "",
        "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"quantity\":1} trailing", "{\"from\":\"" + from + "\",\"from\":\"" + to + "\",\"to\":\"" + to + "\",\"quantity\":1}")) {
      requests.add(BadRequest.post("transfer json " + body, "/transfers", dev, body));
    }
    // --- transfers: quantities
    for (String q : List.of("-1", "0", "1.5", "1e3", "99999999999999999999", "9223372036854775808", "\"10\"", "true", "[1]", "{}", "null", "-0.0", "51")) {
      requests.add(BadRequest.post("transfer quantity " + q, "/transfers", dev, "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"quantity\":" + q + "}"));
    }
    // --- transfers: account fields
    List<String> badAccounts = List.of("null", "\"\"", "123", "\"" + mistype(from) + "\"", "\"" + from.toLowerCase() + "\"", "\"" + from.replace('J', 'Ј') + "\"",
        "\"\u202E" + from + "\"", "\"" + from + "\u200B\"", "\"" + "9".repeat(10_000) + "\"", "\"../../etc/passwd\"", "\"" + from + "\\u0000\"", "{\"n\":1}");
    for (String bad : badAccounts) {
      requests.add(BadRequest.post("transfer from " + abbreviate(bad), "/transfers", dev, "{\"from\":" + bad + ",\"to\":\"" + to + "\",\"quantity\":1}"));
      requests.add(BadRequest.post("transfer to " + abbreviate(bad), "/transfers", dev, "{\"from\":\"" + from + "\",\"to\":" + bad + ",\"quantity\":1}"));
    }
    requests.add(BadRequest.post("transfer missing to", "/transfers", dev, "{\"from\":\"" + from + "\",\"quantity\":1}"));
    requests.add(BadRequest.post("transfer extra field", "/transfers", dev, "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"quantity\":1,\"force\":true}"));
    requests.add(BadRequest.post("transfer same account", "/transfers", dev, "{\"from\":\"" + from + "\",\"to\":\"" + from + "\",\"quantity\":1}"));
    requests.add(BadRequest.post("transfer quantity and serials", "/transfers", dev,
        "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"quantity\":1,\"serials\":[{\"unitId\":\"" + unit + "\",\"start\":1,\"end\":1}]}"));
    for (String serials : List.of("[]", "[{\"unitId\":\"" + unit + "\",\"start\":5,\"end\":4}]", "[{\"unitId\":\"" + unit + "\",\"start\":-1,\"end\":4}]",
        "[{\"unitId\":\"" + unit + "\",\"start\":\"1\",\"end\":4}]", "[{\"start\":1,\"end\":4}]", "[{\"unitId\":\"" + unit + "\",\"start\":1,\"end\":4},{\"unitId\":\"" + unit + "\",\"start\":3,\"end\":6}]",
        "[{\"unitId\":\"" + unit + "\",\"start\":1,\"end\":500}]", "[{\"unitId\":\"NOPE\",\"start\":1,\"end\":1}]", "[null]", "{\"a\":1}")) {
      requests.add(BadRequest.post("transfer serials " + abbreviate(serials), "/transfers", dev, "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"serials\":" + serials + "}"));
    }
    // --- retirements
    String retire = "{\"account\":\"" + from + "\",\"quantity\":%s,\"beneficiary\":%s,\"purpose\":%s,\"usingParty\":%s}";
    for (String q : List.of("0", "-3", "2.5", "\"1\"", "null", "1e2", "51", "99999999999999999999")) {
      requests.add(BadRequest.post("retire quantity " + q, "/retirements", dev, String.format(retire, q, "\"Acme\"", "\"NDC\"", "\"JP\"")));
    }
    for (String purpose : List.of("\"CORSIA\"", "\"ndc\"", "null", "1", "\"\"")) {
      requests.add(BadRequest.post("retire purpose " + purpose, "/retirements", dev, String.format(retire, "1", "\"Acme\"", purpose, "\"JP\"")));
    }
    for (String party : List.of("\"XX\"", "\"jp\"", "\"JPN\"", "\"\"", "null", "81")) {
      requests.add(BadRequest.post("retire usingParty " + party, "/retirements", dev, String.format(retire, "1", "\"Acme\"", "\"NDC\"", party)));
    }
    for (String beneficiary : List.of("\"\"", "\"" + "b".repeat(201) + "\"", "\"a\\u0007b\"", "null", "[\"x\"]")) {
      requests.add(BadRequest.post("retire beneficiary " + abbreviate(beneficiary), "/retirements", dev, String.format(retire, "1", beneficiary, "\"NDC\"", "\"JP\"")));
    }
    // --- cancellations
    String cancel = "{\"account\":%s,\"quantity\":%s,\"reason\":%s}";
    for (String q : List.of("0", "-1", "0.1", "\"2\"", "51")) {
      requests.add(BadRequest.post("cancel quantity " + q, "/cancellations", dev, String.format(cancel, "\"" + from + "\"", q, "\"r\"")));
    }
    for (String reason : List.of("\"\"", "null", "\"" + "r".repeat(501) + "\"", "\"a\\u001bb\"")) {
      requests.add(BadRequest.post("cancel reason " + abbreviate(reason), "/cancellations", dev, String.format(cancel, "\"" + from + "\"", "1", reason)));
    }
    for (String account : List.of("\"" + mistype(from) + "\"", "\"../x\"", "null", "\"\"")) {
      requests.add(BadRequest.post("cancel account " + account, "/cancellations", dev, String.format(cancel, account, "1", "\"r\"")));
    }
    // --- participants and accounts (administrator)
    String participant = "{\"id\":%s,\"name\":%s,\"party\":%s}";
    for (String id : List.of("\"../../etc/passwd\"", "\"\"", "\"" + "p".repeat(65) + "\"", "\"Pé\"", "\"P 1\"", "\"P\\u0000\"", "null", "7", "\"" + owner + "\"")) {
      requests.add(BadRequest.post("participant id " + abbreviate(id), "/participants", adm, String.format(participant, id, "\"N\"", "\"JP\"")));
    }
    for (String name : List.of("\"\"", "\"a\\nb\"", "\"" + "n".repeat(201) + "\"", "null")) {
      requests.add(BadRequest.post("participant name " + abbreviate(name), "/participants", adm, String.format(participant, "\"PX1\"", name, "\"JP\"")));
    }
    for (String party : List.of("\"ZZ\"", "\"jp\"", "\"\"", "\"JPN\"", "392", "null")) {
      requests.add(BadRequest.post("participant party " + party, "/participants", adm, String.format(participant, "\"PX2\"", "\"N\"", party)));
    }
    String account = "{\"holder\":%s,\"party\":%s,\"type\":%s}";
    for (String type : List.of("\"PIGGY\"", "\"holding\"", "100", "null", "\"\"")) {
      requests.add(BadRequest.post("account type " + type, "/accounts", adm, String.format(account, "\"" + owner + "\"", "\"JP\"", type)));
    }
    for (String holder : List.of("\"NOBODY-HERE\"", "\"../x\"", "null", "\"\"")) {
      requests.add(BadRequest.post("account holder " + holder, "/accounts", adm, String.format(account, holder, "\"JP\"", "\"HOLDING\"")));
    }
    requests.add(BadRequest.post("account party", "/accounts", adm, String.format(account, "\"" + owner + "\"", "\"QQ\"", "\"HOLDING\"")));
    requests.add(BadRequest.post("account status change to nonsense", "/accounts", adm, String.format(account, "\"" + owner + "\"", "\"JP\"", "\"HOLDING\"").replace("}", ",\"status\":\"CLOSED\"}")));
    // --- malformed path and query parameters
    for (String number : List.of(mistype(from), from.toLowerCase(), "..%2F..%2Fetc", "%00", "JP-100", "X".repeat(300), "JP-100-000001-0%0A", "%E2%80%AE" + from)) {
      requests.add(BadRequest.get("account " + abbreviate(number), "/accounts/" + number, adm));
      requests.add(BadRequest.get("holdings " + abbreviate(number), "/accounts/" + number + "/holdings", adm));
    }
    for (String path : List.of("/units/" + unit + "/abc", "/units/" + unit + "/-1", "/units/" + unit + "/0", "/units/" + "U".repeat(81) + "/1",
        "/units/" + unit + "/99999999999999999999", "/transactions/not-a-uuid", "/transactions/..%2F..", "/holdings?limit=-1", "/holdings?limit=abc",
        "/holdings?limit=100000", "/holdings?after=garbage", "/accounts/" + from + "/holdings?limit=0", "/participants/%00", "/nowhere")) {
      requests.add(BadRequest.get("get " + abbreviate(path), path, adm));
    }
    // --- content types and sizes
    String good = "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"quantity\":1}";
    for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded", "application/octet-stream")) {
      requests.add(BadRequest.post("transfer as " + type, "/transfers", dev, good).withContentType(type));
      requests.add(BadRequest.post("retirement as " + type, "/retirements", dev, String.format(retire, "1", "\"Acme\"", "\"NDC\"", "\"JP\"")).withContentType(type));
    }
    requests.add(BadRequest.post("oversized body", "/transfers", dev, "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"quantity\":1,\"pad\":\"" + "x".repeat(1_100_000) + "\"}"));
    requests.add(BadRequest.post("idempotency key too long", "/transfers", dev, good).withHeader("Idempotency-Key", "k".repeat(300)));
    requests.add(BadRequest.post("idempotency key with spaces", "/transfers", dev, good).withHeader("Idempotency-Key", "a b"));
    // --- tokens
    JwtClaims expired = claims("project-developer", owner);
    expired.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() - 60));
    JwtClaims noGroups = claims("project-developer", owner);
    noGroups.unsetClaim("groups");
    for (String token : List.of("", "abc", "a.b.c", TestTokens.signed(expired), TestTokens.signedByStranger("project-developer", owner), unsigned(claims("registry-admin", owner)),
        TestTokens.signed(noGroups), TestTokens.marketOperator(), TestTokens.regulator(), developer(participant("KH")), TestTokens.forRole("project-developer", null))) {
      requests.add(BadRequest.post("transfer with token " + abbreviate(token), "/transfers", token.isEmpty() ? null : token, good));
    }
    requests.add(BadRequest.post("participant by a developer", "/participants", dev, String.format(participant, "\"PX3\"", "\"N\"", "\"JP\"")));
    requests.add(BadRequest.get("account of another participant", "/accounts/" + to, dev));

    Map<String, String> before = DatabaseSnapshot.of(dataSource);
    Map<String, Integer> codes = new TreeMap<>();
    Set<BadRequest> distinct = new LinkedHashSet<>();
    for (BadRequest request : requests) {
      assertTrue(distinct.add(request), "the same request twice: " + request.name());
      codes.merge(request.sendAndCheck(), 1, Integer::sum);
    }
    Map<String, String> after = DatabaseSnapshot.of(dataSource);
    assertEquals(before, after, "bad requests changed the database");
    Log.infof("registry-service: %d bad requests, all 4xx problems: %s", requests.size(), codes);
    assertTrue(requests.size() >= 150, "cases: " + requests.size());
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
    return b64.encodeToString("{\"alg\":\"none\"}".getBytes()) + "." + b64.encodeToString(claims.toJson().getBytes()) + ".";
  }
}
