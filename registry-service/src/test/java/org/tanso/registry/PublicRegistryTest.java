package org.tanso.registry;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.registry.RegistryFixture.account;
import static org.tanso.registry.RegistryFixture.admin;
import static org.tanso.registry.RegistryFixture.awaitBalance;
import static org.tanso.registry.RegistryFixture.developer;
import static org.tanso.registry.RegistryFixture.participant;
import static org.tanso.registry.RegistryFixture.unique;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.ws.rs.HttpMethod;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tanso.testing.JaxRsRoutes;
import org.tanso.testing.TestTokens;

/**
 * The public registry of retirements (GET /public/retirements, /public/retirements/{id}) and the
 * authenticated GET /retirements: paging, filters, bad filters, 404, ETag/304, CSV; and a walk over
 * every route of the service: public ones answer anyone with caching headers and nothing private,
 * every other one refuses a request without a token.
 */
@QuarkusTest
class PublicRegistryTest {

  static final Pattern ACCOUNT_NUMBER = Pattern.compile("[A-Z]{2}-\\d{3}-\\d{6}-\\d{2}");
  static final String QUOTED = "Acme, \"Green\" Fund";
  static final String FORMULA = "=cmd|' /C calc'!A0";

  /** Built once per application start: the database outlives the test methods. */
  static Fixture fixture;

  record Fixture(
      String ownerA,
      String ownerB,
      String accountA,
      String accountB,
      String projectNdc,
      String projectMc,
      String projectOimp,
      String beneficiaryMc,
      String beneficiaryB,
      List<String> retirementsA,
      List<String> mcRetirements,
      String retirementB) {}

  @BeforeEach
  void fixture() {
    if (fixture != null) {
      return;
    }
    String ownerA = participant("JP");
    String ownerB = participant("JP");
    String accountA = account(ownerA, "JP", "HOLDING");
    String accountB = account(ownerB, "JP", "HOLDING");
    String projectNdc = unique("PN");
    String projectMc = unique("PM");
    // NDC units of an older vintage are taken first, then the mitigation-contribution ones
    RegistryFixture.publish(
        RegistryFixture.approval(
            projectNdc,
            "JCM",
            2024,
            LocalDate.of(2024, 1, 1),
            LocalDate.of(2024, 12, 31),
            10,
            Map.of(accountA, 100),
            RegistryFixture.ndc()));
    awaitBalance(accountA, 10);
    RegistryFixture.publish(
        RegistryFixture.approval(
            projectMc,
            "JCM",
            2025,
            LocalDate.of(2025, 1, 1),
            LocalDate.of(2025, 12, 31),
            100,
            Map.of(accountA, 100),
            null));
    awaitBalance(accountA, 110);
    String unitOimp =
        RegistryFixture.issue(
            accountB, 50, RegistryFixture.authorisation(List.of("OIMP"), "USE_OR_CANCELLATION"));
    String projectOimp = unitOimp.split("-")[2];

    String beneficiaryMc = unique("Beneficiary ");
    List<String> retirementsA = new ArrayList<>();
    retirementsA.add(retire(ownerA, accountA, 4, QUOTED, "NDC"));
    // 6 NDC units and 4 mitigation-contribution ones: one retirement of two projects
    retirementsA.add(retire(ownerA, accountA, 10, FORMULA, "NDC"));
    List<String> mcRetirements = new ArrayList<>(List.of(retirementsA.get(1)));
    for (int i = 0; i < 4; i++) {
      String id = retire(ownerA, accountA, 5, beneficiaryMc, "OIMP");
      retirementsA.add(id);
      mcRetirements.add(id);
    }
    String beneficiaryB = unique("B corp ");
    String retirementB = retire(ownerB, accountB, 8, beneficiaryB, "OIMP");
    fixture =
        new Fixture(
            ownerA,
            ownerB,
            accountA,
            accountB,
            projectNdc,
            projectMc,
            projectOimp,
            beneficiaryMc,
            beneficiaryB,
            List.copyOf(retirementsA),
            List.copyOf(mcRetirements),
            retirementB);
  }

  static String retire(
      String owner, String account, long quantity, String beneficiary, String purpose) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("account", account);
    body.put("quantity", quantity);
    body.put("beneficiary", beneficiary);
    body.put("purpose", purpose);
    body.put("usingParty", "JP");
    return given()
        .auth()
        .oauth2(developer(owner))
        .contentType(ContentType.JSON)
        .body(body)
        .post("/retirements")
        .then()
        .statusCode(201)
        .extract()
        .path("retirementId");
  }

  @Test
  void onePublicRetirementShowsItsRangesProjectsAndArticle6IdentifiersButNoAccount() {
    Response r = given().get("/public/retirements/" + fixture.retirementsA().get(1));
    assertEquals(200, r.statusCode(), r.asString());
    assertEquals(fixture.retirementsA().get(1), r.path("id"));
    assertEquals(FORMULA, r.path("beneficiary"));
    assertEquals("NDC", r.path("purpose"));
    assertEquals("JP", r.path("usingParty"));
    assertEquals(10, (int) r.path("quantity"));
    assertNotNull(r.path("retiredAt"));
    assertEquals(List.of(fixture.projectNdc(), fixture.projectMc()), r.path("blocks.project"));
    assertEquals(List.of(2024, 2025), r.path("blocks.vintage"));
    assertEquals(List.of(6, 4), r.path("blocks.quantity"));
    assertEquals(List.of(1, 97), r.path("blocks.start"), "the sender keeps the low end of a split");
    assertEquals(List.of(6, 100), r.path("blocks.end"));
    String ndcUnit = "JCM-VN-" + fixture.projectNdc() + "-2024-0001";
    assertEquals(ndcUnit + "-000001-000006", r.path("blocks[0].serial"));
    assertEquals(
        List.of("AUTHORISED", "MITIGATION_CONTRIBUTION"), r.path("blocks.authorisationStatus"));
    assertEquals(List.of("PENDING", "NOT_APPLICABLE"), r.path("blocks.correspondingAdjustment"));
    assertEquals("NDC", r.path("blocks[0].article6.authorisationPurpose"));
    assertEquals("JCM-VN-JP", r.path("blocks[0].article6.cooperativeApproach"));
    assertTrue(((String) r.path("blocks[0].article6.authorisationId")).startsWith("AUTH-"));
    assertTrue(
        ((String) r.path("blocks[0].article6.firstItmoIdentifier"))
            .endsWith(ndcUnit + ".000001-2024"),
        r.asString());
    assertTrue(((String) r.path("blocks[0].article6.lastItmoIdentifier")).endsWith(".000006-2024"));
    assertNull(r.path("blocks[1].article6"));
    assertNull(r.path("account"));

    // OIMP units first transferred at use: the adjustment was applied when they were retired
    Response oimp = given().get("/public/retirements/" + fixture.retirementB());
    assertEquals(List.of("APPLIED"), oimp.path("blocks.correspondingAdjustment"));
    assertEquals("OIMP", oimp.path("blocks[0].article6.authorisationPurpose"));

    for (String unknown : List.of("RET-2026-99999999", "nothing", "x".repeat(200))) {
      Response missing = given().get("/public/retirements/" + unknown);
      assertEquals(404, missing.statusCode(), unknown);
      assertEquals("RETIREMENT_NOT_FOUND", missing.path("code"));
      assertEquals("no-store", missing.header("Cache-Control"));
    }
  }

  @Test
  void aListLongerThanAPageIsWalkedInItsStableOrderAndEveryFilterSelects() {
    // the project's five retirements, two a page
    assertEquals(
        fixture.mcRetirements(), walk("/public/retirements?project=" + fixture.projectMc()));
    assertEquals(
        List.of(fixture.retirementsA().get(0), fixture.retirementsA().get(1)),
        walk("/public/retirements?project=" + fixture.projectNdc()));
    assertEquals(
        fixture.mcRetirements().subList(1, 5),
        walk("/public/retirements?beneficiary=" + fixture.beneficiaryMc()));
    assertEquals(
        List.of(fixture.retirementsA().get(0)), walk("/public/retirements?beneficiary=" + QUOTED));
    int year = ZonedDateTime.now(ZoneOffset.UTC).getYear();
    assertEquals(
        fixture.mcRetirements(),
        walk("/public/retirements?year=" + year + "&project=" + fixture.projectMc()));
    assertEquals(
        List.of(),
        walk("/public/retirements?year=" + (year - 1) + "&project=" + fixture.projectMc()));
    assertEquals(
        List.of(fixture.retirementB()),
        walk(
            "/public/retirements?year="
                + year
                + "&beneficiary="
                + fixture.beneficiaryB()
                + "&project="
                + fixture.projectOimp()));
    // everything, in order: ours appear in the order they were made
    List<String> all = walk("/public/retirements");
    List<String> ours = new ArrayList<>(fixture.retirementsA());
    ours.add(fixture.retirementB());
    assertEquals(ours, all.stream().filter(ours::contains).toList());
    // public items never carry the account
    assertNull(
        given()
            .get("/public/retirements?project=" + fixture.projectMc())
            .jsonPath()
            .get("items[0].account"));
  }

  @Test
  void theAuthenticatedListAddsTheAccountAndShowsADeveloperOnlyItsOwn() {
    for (String token : List.of(admin(), TestTokens.regulator())) {
      Response r =
          given()
              .auth()
              .oauth2(token)
              .queryParam("project", fixture.projectOimp())
              .get("/retirements");
      assertEquals(200, r.statusCode(), r.asString());
      assertEquals(List.of(fixture.retirementB()), r.path("items.id"));
      assertEquals(List.of(fixture.accountB()), r.path("items.account"));
      assertEquals(List.of(8), r.path("items.blocks[0].quantity"));
    }
    String a = developer(fixture.ownerA());
    assertEquals(fixture.retirementsA(), walk("/retirements", a));
    assertEquals(
        List.of(),
        walk("/retirements?project=" + fixture.projectOimp(), a),
        "another participant's retirement never appears");
    assertEquals(List.of(), walk("/retirements?beneficiary=" + fixture.beneficiaryB(), a));
    assertEquals(List.of(fixture.retirementB()), walk("/retirements", developer(fixture.ownerB())));
    assertEquals(fixture.mcRetirements(), walk("/retirements?project=" + fixture.projectMc(), a));
    Response own = given().auth().oauth2(a).queryParam("limit", 1).get("/retirements");
    assertEquals(List.of(fixture.accountA()), own.path("items.account"));

    assertEquals(
        403, given().auth().oauth2(TestTokens.marketOperator()).get("/retirements").statusCode());
    assertEquals(401, given().get("/retirements").statusCode());
  }

  @Test
  void badFiltersAreMalformedRequests() {
    for (String query :
        List.of(
            "year=20x6",
            "year=26",
            "year=-2026",
            "year=20260",
            "project=..%2Fx",
            "project=" + "P".repeat(33),
            "beneficiary=%20%20",
            "beneficiary=" + "b".repeat(201),
            "limit=0",
            "limit=1001",
            "limit=ten",
            "after=not-a-cursor",
            "colour=red",
            "year=2026&year=2025")) {
      for (String path : List.of("/public/retirements?", "/retirements?")) {
        Response r = given().auth().oauth2(admin()).urlEncodingEnabled(false).get(path + query);
        assertEquals(400, r.statusCode(), path + query + ": " + r.asString());
        assertEquals("MALFORMED_REQUEST", r.path("code"), path + query);
      }
    }
    Response csv =
        given().accept("text/csv").urlEncodingEnabled(false).get("/public/retirements?year=x");
    assertEquals(400, csv.statusCode());
    assertEquals("no-store", csv.header("Cache-Control"));
  }

  @Test
  void listsAndItemsCarryETagsAndAMatchingIfNoneMatchIs304() {
    for (String path :
        List.of(
            "/public/retirements?project=" + fixture.projectMc(),
            "/public/retirements/" + fixture.retirementB())) {
      Response first = given().get(path);
      assertEquals(200, first.statusCode());
      String etag = first.header("ETag");
      assertNotNull(etag, path);
      assertEquals("public, max-age=60", first.header("Cache-Control"));
      Response again = given().header("If-None-Match", etag).get(path);
      assertEquals(304, again.statusCode(), path);
      assertEquals("", again.asString());
    }
    // the next page is another representation
    String page1 = given().get("/public/retirements?limit=1").header("ETag");
    String next = given().get("/public/retirements?limit=1").path("next");
    assertNotEquals(page1, given().get("/public/retirements?limit=1&after=" + next).header("ETag"));
  }

  @Test
  void csvIsTheWholeFilteredListOneRowPerRangeQuotedAndNeutralised() {
    Response r =
        given()
            .accept("text/csv")
            .get("/public/retirements?limit=1&project=" + fixture.projectNdc());
    assertEquals(200, r.statusCode(), r.asString());
    assertTrue(r.contentType().startsWith("text/csv"), r.contentType());
    assertEquals("attachment; filename=\"retirements.csv\"", r.header("Content-Disposition"));
    String[] lines = r.asString().split("\r\n", -1);
    assertEquals(
        "retirementId,retiredAt,beneficiary,purpose,usingParty,quantity,serial,unitId,start,end,"
            + "rangeQuantity,project,vintage,authorisationStatus,authorisationId,authorisationPurpose,"
            + "cooperativeApproach,originatingRegistry,firstTransferringParty,firstItmoIdentifier,"
            + "lastItmoIdentifier,correspondingAdjustment",
        lines[0]);
    // R1 (one range), R2 (two ranges: NDC then mitigation contribution): the whole list, no paging
    assertEquals(5, lines.length, r.asString());
    assertEquals("", lines[4]);
    String ndcUnit = "JCM-VN-" + fixture.projectNdc() + "-2024-0001";
    assertTrue(
        lines[1].startsWith(fixture.retirementsA().get(0) + ",")
            && lines[1].contains(
                ",\"Acme, \"\"Green\"\" Fund\",NDC,JP,4,"
                    + ndcUnit
                    + "-000007-000010,"
                    + ndcUnit
                    + ",7,10,4,"
                    + fixture.projectNdc()
                    + ",2024,AUTHORISED,AUTH-"),
        lines[1]);
    assertTrue(lines[1].endsWith(".000010-2024,PENDING"), lines[1]);
    assertTrue(lines[2].contains(",'=cmd|' /C calc'!A0,NDC,JP,10,"), lines[2]);
    assertTrue(
        lines[3].contains(
            ",4," + fixture.projectMc() + ",2025,MITIGATION_CONTRIBUTION,,,,,,,,NOT_APPLICABLE"),
        lines[3]);
    for (String line : lines) {
      assertFalse(ACCOUNT_NUMBER.matcher(line).find(), line);
    }

    String etag = r.header("ETag");
    assertNotNull(etag);
    assertEquals(
        304,
        given()
            .accept("text/csv")
            .header("If-None-Match", etag)
            .get("/public/retirements?project=" + fixture.projectNdc())
            .statusCode());
    assertNotEquals(
        etag,
        given()
            .accept("text/csv")
            .get("/public/retirements?project=" + fixture.projectMc())
            .header("ETag"));
  }

  /**
   * Every route of the service, found from its JAX-RS resources: a public one answers without a
   * token (and the same with a bogus one), with ETag and Cache-Control, 304 on a second request
   * with If-None-Match, and nothing that looks like an account number or names a participant; any
   * other one is 401 without a token.
   */
  @Test
  void everyPublicRouteIsAnonymousCachedAndPrivateAndEveryOtherRouteNeedsAToken() {
    Map<String, String> values = Map.of("id", fixture.retirementsA().get(1));
    List<String> participants = List.of(fixture.ownerA(), fixture.ownerB());
    int publicRoutes = 0;
    int otherRoutes = 0;
    int csvRoutes = 0;
    for (JaxRsRoutes.Route route :
        JaxRsRoutes.under("org.tanso.registry", "org.tanso.identity", "org.tanso.http")) {
      if (route.template().startsWith("/public/")) {
        assertEquals(HttpMethod.GET, route.method(), "public routes are read-only: " + route);
        publicRoutes++;
        String path = fill(route.template(), values, true);
        List<String> accepts = new ArrayList<>(List.of("application/json"));
        // the route produces "text/csv; charset=utf-8": a media type with its parameter
        if (route.produces().stream().anyMatch(t -> t.startsWith("text/csv"))) {
          accepts.add("text/csv");
          csvRoutes++;
        }
        for (String accept : accepts) {
          Response r = given().accept(accept).get(path);
          assertEquals(200, r.statusCode(), route + " " + accept + ": " + r.asString());
          String body = r.asString();
          assertFalse(body.isEmpty(), route + " " + accept);
          assertNotNull(r.header("ETag"), route + " " + accept);
          assertNotNull(r.header("Cache-Control"), route + " " + accept);
          Matcher account = ACCOUNT_NUMBER.matcher(body);
          assertFalse(account.find(), route + " " + accept + " shows an account number: " + body);
          for (String participant : participants) {
            assertFalse(body.contains(participant), route + " names participant " + participant);
          }
          Response bogus = given().accept(accept).header("Authorization", "Bearer bogus").get(path);
          assertEquals(200, bogus.statusCode(), route + " with a bogus token");
          assertEquals(body, bogus.asString(), route + " with a bogus token");
          Response cached =
              given().accept(accept).header("If-None-Match", r.header("ETag")).get(path);
          assertEquals(304, cached.statusCode(), route + " " + accept);
          assertEquals("", cached.asString());
        }
      } else {
        otherRoutes++;
        String path = fill(route.template(), values, false);
        RequestSpecification request = given();
        if (!route.method().equals(HttpMethod.GET) && !route.method().equals(HttpMethod.DELETE)) {
          request = request.contentType(ContentType.JSON).body("{}");
        }
        Response r = request.request(route.method(), path);
        assertEquals(401, r.statusCode(), route + " without a token: " + r.asString());
      }
    }
    assertTrue(publicRoutes >= 2, "public routes found: " + publicRoutes);
    assertTrue(csvRoutes >= 1, "public routes walked as CSV: " + csvRoutes);
    assertTrue(otherRoutes >= 15, "other routes found: " + otherRoutes);
  }

  /**
   * The path with its parameters filled in: a public route's from the fixture (a route whose
   * parameter has no value here fails, so a new public route gets one), any other's with "1".
   */
  private static String fill(String template, Map<String, String> values, boolean known) {
    Matcher m = Pattern.compile("\\{([^}:]+)(:[^}]*)?}").matcher(template);
    StringBuilder path = new StringBuilder();
    while (m.find()) {
      String name = m.group(1).trim();
      String value = known ? values.get(name) : "1";
      assertNotNull(value, "no fixture value for {" + name + "} of public route " + template);
      m.appendReplacement(path, Matcher.quoteReplacement(value));
    }
    m.appendTail(path);
    return path.toString();
  }

  private static List<String> walk(String path) {
    return walk(path, null);
  }

  /** The ids of every page of a list, two at a time. */
  private static List<String> walk(String path, String token) {
    List<String> ids = new ArrayList<>();
    String after = null;
    int pages = 0;
    do {
      RequestSpecification request = given().urlEncodingEnabled(true).queryParam("limit", 2);
      if (token != null) {
        request = request.auth().oauth2(token);
      }
      if (after != null) {
        request = request.queryParam("after", after);
      }
      String base = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
      if (path.contains("?")) {
        for (String pair : path.substring(path.indexOf('?') + 1).split("&")) {
          int eq = pair.indexOf('=');
          request = request.queryParam(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
      Response r = request.get(base);
      assertEquals(200, r.statusCode(), path + ": " + r.asString());
      List<String> page = r.path("items.id");
      assertTrue(page.size() <= 2);
      ids.addAll(page);
      after = r.path("next");
      assertTrue(++pages < 10_000, "paging does not end");
    } while (after != null);
    return ids;
  }
}
