package org.tanso.issuance.publicproject;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tanso.events.Topics;
import org.tanso.events.registry.Block;
import org.tanso.events.registry.CreditsCancelled;
import org.tanso.events.registry.CreditsIssued;
import org.tanso.events.registry.CreditsRetired;
import org.tanso.issuance.IssuanceFixture;
import org.tanso.testing.JaxRsRoutes;
import org.tanso.testing.TestKafka;

/**
 * The public registry of projects: paging, filters, bad filters, unknown projects, and the
 * per-vintage counters that registry-service's events keep, read without a token.
 */
@QuarkusTest
class PublicProjectsTest {

  static final Pattern ACCOUNT_NUMBER = Pattern.compile("[A-Z]{2}-\\d{3}-\\d{6}-\\d{2}");
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void pagesInRegistrationOrderWithEveryFilter() throws Exception {
    // a party no other test registers projects for, so its lists are exactly these
    String prefix = IssuanceFixture.unique("PUB");
    List<String> jcm = new ArrayList<>();
    List<String> a64 = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      String id = prefix + "_" + i;
      String mechanism = i % 3 == 2 ? "A6_4" : "JCM";
      register(id, mechanism, "BT", "P-" + id, null);
      (mechanism.equals("JCM") ? jcm : a64).add(id);
    }
    String elsewhere = prefix + "_NP";
    register(elsewhere, "JCM", "NP", "P-" + elsewhere, null);
    List<String> bt = new ArrayList<>(jcm);
    bt.addAll(a64);
    bt.sort(null);

    List<JsonNode> pages = pages("hostParty=BT", 3);
    assertEquals(3, pages.size(), "7 projects in pages of 3");
    assertEquals(bt, ids(pages));
    assertEquals(3, pages.get(0).get("items").size());
    assertNull(textOrNull(pages.get(2).get("next")));

    assertEquals(a64, ids(pages("mechanism=A6_4&hostParty=BT", 1)));
    assertEquals(jcm, ids(pages("hostParty=BT&mechanism=JCM", 2)));
    assertEquals(List.of(elsewhere), ids(pages("hostParty=NP", 50)));
    // empty parameters are absent ones
    assertEquals(bt, ids(pages("hostParty=BT&mechanism=", 4)));

    // one filter alone: every project of that mechanism (other tests' too)
    List<String> allJcm = ids(pages("mechanism=JCM", 500));
    assertTrue(allJcm.containsAll(jcm) && allJcm.contains(elsewhere), "JCM list: " + allJcm);
    assertTrue(a64.stream().noneMatch(allJcm::contains), "A6_4 projects in the JCM list");
    List<String> everything = ids(pages("", 100));
    List<String> registered = new ArrayList<>(bt);
    registered.add(elsewhere);
    assertEquals(
        registered,
        everything.stream().filter(id -> id.startsWith(prefix)).toList(),
        "the whole list in registration order");
    assertEquals(everything.size(), everything.stream().distinct().count(), "no project twice");
  }

  @Test
  void badFiltersAndCursorsAreMalformedRequests() {
    for (String query :
        List.of(
            "mechanism=jcm",
            "mechanism=CDM",
            "hostParty=ZZ",
            "hostParty=bt",
            "hostParty=BTN",
            "limit=0",
            "limit=1001",
            "mechanismm=JCM",
            "hostParty=BT&hostParty=NP",
            "limit=ten",
            "after=not-a-cursor",
            "after=" + org.tanso.http.Paging.cursor("x", 5))) {
      given()
          .get("/public/projects?" + query)
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("code", is("MALFORMED_REQUEST"));
    }
  }

  @Test
  void anUnknownProjectIsNotFound() {
    for (String id : List.of("NO_SUCH_PROJECT", "X".repeat(33))) {
      given()
          .get("/public/projects/" + id)
          .then()
          .statusCode(404)
          .contentType("application/problem+json")
          .body("code", is("PROJECT_NOT_FOUND"));
    }
  }

  @Test
  void perVintageTotalsFollowIssuanceRetirementAndCancellationEvents() throws Exception {
    String project = IssuanceFixture.unique("PUBT");
    String participant = "P-" + project;
    Map<String, Object> authorisation = new LinkedHashMap<>();
    authorisation.put("id", "MV-A6-" + project);
    authorisation.put("date", "2025-02-01");
    authorisation.put("purposes", List.of("NDC", "OIMP"));
    authorisation.put("firstTransferDefinition", "USE_OR_CANCELLATION");
    authorisation.put("quantity", 100_000);
    authorisation.put("cooperativeApproach", "MV-JP JCM");
    register(project, "A6_4", "MV", participant, authorisation);
    String first = issued(participant, project, 2025, 1000);
    String second = issued(participant, project, 2026, 400);
    String unit1 = "A6_4-MV-" + project + "-2025-0001";
    String unit2 = "A6_4-MV-" + project + "-2026-0002";
    String holder = IssuanceFixture.account("MV", 100, 7);

    // a retirement of the second issuance's units consumed before its CreditsIssued still counts
    publish("CreditsRetired", holder, retired(holder, block(unit2, 29, 128, holder, "RETIRED")));
    publish(
        "CreditsIssued",
        unit1,
        minted(
            first,
            unit1,
            project,
            2025,
            1000,
            block(unit1, 1, 50, IssuanceFixture.account("MV", 600, 1), "ACTIVE"),
            block(unit1, 51, 70, IssuanceFixture.account("MV", 500, 1), "CANCELLED"),
            block(unit1, 71, 628, holder, "ACTIVE"),
            block(unit1, 629, 1000, IssuanceFixture.account("JP", 100, 42), "ACTIVE")));
    publish(
        "CreditsIssued",
        unit2,
        minted(
            second,
            unit2,
            project,
            2026,
            400,
            block(unit2, 1, 20, IssuanceFixture.account("MV", 600, 1), "ACTIVE"),
            block(unit2, 21, 28, IssuanceFixture.account("MV", 500, 1), "CANCELLED"),
            block(unit2, 29, 400, holder, "ACTIVE")));
    // one retirement over both issuances, delivered twice: counted once
    UUID retirement = UUID.randomUUID();
    CreditsRetired twoUnits =
        retired(
            holder,
            block(unit1, 71, 170, holder, "RETIRED"),
            block(unit2, 129, 138, holder, "RETIRED"));
    IssuanceFixture.publishRegistryEvent(retirement, "CreditsRetired", holder, twoUnits);
    IssuanceFixture.publishRegistryEvent(retirement, "CreditsRetired", holder, twoUnits);
    publish(
        "CreditsCancelled",
        holder,
        new CreditsCancelled(
            UUID.randomUUID().toString(),
            holder,
            IssuanceFixture.account("MV", 500, 1),
            25,
            "voluntary",
            List.of(block(unit1, 171, 195, IssuanceFixture.account("MV", 500, 1), "CANCELLED")),
            Instant.now()));
    // a transfer is neither; units issued by another registry are not this project's
    publish(
        "CreditsTransferred", holder, retired(holder, block(unit1, 196, 295, holder, "ACTIVE")));
    publish(
        "CreditsRetired",
        holder,
        retired(holder, block("JCM-JP-" + project + "-2025-0001", 1, 5, holder, "RETIRED")));
    TestKafka.awaitConsumed("issuance-service", Topics.REGISTRY_EVENTS, Duration.ofSeconds(30));

    JsonNode detail =
        JSON.readTree(
            given()
                .get("/public/projects/" + project)
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .extract()
                .asString());
    assertEquals(
        JSON.readTree(
            """
            [{"vintage":2025,"issued":1000,"retired":100,"cancelled":45},
             {"vintage":2026,"issued":400,"retired":110,"cancelled":8}]"""),
        detail.get("vintages"));
    assertEquals(
        JSON.readTree("{\"issued\":1400,\"retired\":210,\"cancelled\":53}"), detail.get("totals"));
    assertEquals("A6_4", detail.get("mechanism").asText());
    assertEquals("MV", detail.get("hostParty").asText());
    assertEquals("JP", detail.get("partnerParty").asText());
    assertEquals("VN_AM007", detail.get("methodology").asText());
    assertEquals("1 Energy industries", detail.get("sectoralScope").asText());
    assertEquals(
        JSON.readTree(
            """
            {"id":"MV-A6-%s","date":"2025-02-01","purposes":["NDC","OIMP"],
             "firstTransferDefinition":"USE_OR_CANCELLATION","quantity":100000,
             "cooperativeApproach":"MV-JP JCM"}"""
                .formatted(project)),
        detail.get("authorisation"));
    JsonNode issuances = detail.get("issuances");
    assertEquals(2, issuances.size());
    JsonNode i1 = issuances.get(0);
    assertEquals(unit1, i1.get("unitId").asText());
    assertEquals(2025, i1.get("vintage").asInt());
    assertEquals(1000, i1.get("quantity").asLong());
    assertEquals(100, i1.get("retired").asLong());
    assertEquals(45, i1.get("cancelled").asLong());
    assertEquals("2025-01-01", i1.get("monitoringPeriod").get("start").asText());
    assertEquals("2025-12-31", i1.get("monitoringPeriod").get("end").asText());
    assertEquals("VR-" + project, i1.get("verificationReport").get("reference").asText());
    assertFalse(i1.get("issuedAt").isNull());
    assertEquals(
        JSON.readTree(
            """
            [{"serial":"%1$s-000001-000050","start":1,"end":50,"quantity":50,"stateAtIssuance":"ACTIVE"},
             {"serial":"%1$s-000051-000070","start":51,"end":70,"quantity":20,"stateAtIssuance":"CANCELLED"},
             {"serial":"%1$s-000071-000628","start":71,"end":628,"quantity":558,"stateAtIssuance":"ACTIVE"},
             {"serial":"%1$s-000629-001000","start":629,"end":1000,"quantity":372,"stateAtIssuance":"ACTIVE"}]"""
                .formatted(unit1)),
        i1.get("blocks"));
    assertEquals(unit2, issuances.get(1).get("unitId").asText());
    assertEquals(110, issuances.get(1).get("retired").asLong());
    assertEquals(8, issuances.get(1).get("cancelled").asLong());
    String text = detail.toString();
    assertFalse(ACCOUNT_NUMBER.matcher(text).find(), "an account number in " + text);
    assertFalse(text.contains(participant), "a participant id in " + text);
    assertFalse(detail.has("participants") || detail.has("allocation"), text);

    // the list shows the same counters
    JsonNode item =
        pages("hostParty=MV&mechanism=A6_4", 500).stream()
            .flatMap(p -> stream(p.get("items")))
            .filter(p -> p.get("id").asText().equals(project))
            .findFirst()
            .orElseThrow();
    assertEquals(detail.get("vintages"), item.get("vintages"));
    assertEquals(detail.get("totals"), item.get("totals"));
    assertFalse(item.has("issuances"));
  }

  @Test
  void csvIsTheWholeFilteredListOneRowPerProjectAndVintage() throws Exception {
    String prefix = IssuanceFixture.unique("PUBC");
    String withIssuances = prefix + "_A";
    String without = prefix + "_B";
    register(withIssuances, "JCM", "LS", "P-" + withIssuances, IssuanceFixture.authorisation(500));
    register(without, "A6_4", "LS", "P-" + without, null);
    register(prefix + "_C", "JCM", "SZ", "P-" + prefix, null);
    String holder = IssuanceFixture.account("LS", 100, 3);
    for (int vintage : List.of(2025, 2024)) {
      String request = issued("P-" + withIssuances, withIssuances, vintage, vintage - 1925);
      String unit = "JCM-LS-" + withIssuances + "-" + vintage + "-000" + (2026 - vintage);
      publish(
          "CreditsIssued",
          unit,
          minted(
              request,
              unit,
              withIssuances,
              vintage,
              vintage - 1925,
              block(unit, 1, vintage - 1925, holder, "ACTIVE")));
      publish("CreditsRetired", holder, retired(holder, block(unit, 1, 10, holder, "RETIRED")));
    }
    TestKafka.awaitConsumed("issuance-service", Topics.REGISTRY_EVENTS, Duration.ofSeconds(30));
    JsonNode a = JSON.readTree(given().get("/public/projects/" + withIssuances).asString());
    JsonNode b = JSON.readTree(given().get("/public/projects/" + without).asString());

    io.restassured.response.Response csv =
        given().accept("text/csv").get("/public/projects?hostParty=LS&limit=1");
    assertEquals(200, csv.statusCode(), csv.asString());
    assertTrue(csv.contentType().startsWith("text/csv"), csv.contentType());
    String authorisationId = a.get("authorisation").get("id").asText();
    assertEquals(
        String.join(
            "\r\n",
            "id,title,mechanism,hostParty,partnerParty,methodology,sectoralScope,authorisationId,"
                + "authorisationDate,authorisationPurposes,firstTransferDefinition,authorisedQuantity,"
                + "cooperativeApproach,registeredAt,vintage,issued,retired,cancelled",
            withIssuances
                + ",\"Solar, \"\"mini\"\" grids\",JCM,LS,JP,VN_AM007,1 Energy industries,"
                + authorisationId
                + ",2025-01-15,NDC,,500,,"
                + a.get("registeredAt").asText()
                + ",2024,99,10,0",
            withIssuances
                + ",\"Solar, \"\"mini\"\" grids\",JCM,LS,JP,VN_AM007,1 Energy industries,"
                + authorisationId
                + ",2025-01-15,NDC,,500,,"
                + a.get("registeredAt").asText()
                + ",2025,100,10,0",
            without
                + ",\"Solar, \"\"mini\"\" grids\",A6_4,LS,JP,VN_AM007,1 Energy industries,,,,,,,"
                + b.get("registeredAt").asText()
                + ",,,,",
            ""),
        csv.asString());
    assertEquals(
        JSON.readTree(
            "[{\"vintage\":2024,\"issued\":99,\"retired\":10,\"cancelled\":0},"
                + "{\"vintage\":2025,\"issued\":100,\"retired\":10,\"cancelled\":0}]"),
        a.get("vintages"));
    // a filter that is wrong is refused before anything is streamed
    given()
        .accept("text/csv")
        .get("/public/projects?hostParty=ls")
        .then()
        .statusCode(400)
        .body("code", is("MALFORMED_REQUEST"));
  }

  @Test
  void everyPublicRouteIsCacheableAndShowsNothingPrivateAndEveryOtherNeedsAToken()
      throws Exception {
    String project = IssuanceFixture.unique("PUBP");
    String participant = "P-" + project;
    register(project, "JCM", "MV", participant, null);
    String request = issued(participant, project, 2024, 90);
    String unit = "JCM-MV-" + project + "-2024-0001";
    String holder = IssuanceFixture.account("VN", 100, 11);
    publish(
        "CreditsIssued",
        unit,
        minted(
            request,
            unit,
            project,
            2024,
            90,
            block(unit, 1, 54, holder, "ACTIVE"),
            block(unit, 55, 90, IssuanceFixture.account("JP", 100, 42), "ACTIVE")));
    publish("CreditsRetired", holder, retired(holder, block(unit, 1, 10, holder, "RETIRED")));
    TestKafka.awaitConsumed("issuance-service", Topics.REGISTRY_EVENTS, Duration.ofSeconds(30));

    List<JaxRsRoutes.Route> routes = JaxRsRoutes.under("org.tanso");
    List<JaxRsRoutes.Route> open = routes.stream().filter(JaxRsRoutes.Route::open).toList();
    // public means under /public/, where the rate limit per address and the caching headers apply
    for (JaxRsRoutes.Route route : routes) {
      assertEquals(
          route.template().startsWith("/public/"),
          route.open(),
          route + ": a route needs no token exactly when it is under /public/");
    }
    assertTrue(
        open.stream()
            .map(Object::toString)
            .toList()
            .containsAll(List.of("GET /public/projects", "GET /public/projects/{id}")),
        "public routes found: " + open);
    assertTrue(routes.size() > open.size() + 5, "routes found: " + routes);
    Map<String, String> samples = Map.of("id", project);
    for (JaxRsRoutes.Route route : open) {
      for (String type : route.produces()) {
        String path = route.path(samples);
        io.restassured.response.Response answer =
            given().accept(type).request(route.method(), path);
        String what = route + " as " + type;
        assertEquals(200, answer.statusCode(), what + ": " + answer.asString());
        String etag = answer.header("ETag");
        assertTrue(etag != null && !etag.isBlank(), what + " without ETag");
        assertTrue(answer.header("Cache-Control") != null, what + " without Cache-Control");
        String body = answer.asString();
        assertTrue(body.contains(project), what + " does not show the fixture's project");
        assertFalse(ACCOUNT_NUMBER.matcher(body).find(), what + " shows an account number");
        assertFalse(body.contains(participant), what + " shows a participant id");
        io.restassured.response.Response again =
            given().accept(type).header("If-None-Match", etag).request(route.method(), path);
        assertEquals(304, again.statusCode(), what + " with If-None-Match");
        assertEquals("", again.asString(), what + ": a 304 has no body");
      }
    }
    for (JaxRsRoutes.Route route : routes) {
      if (route.open()) {
        continue;
      }
      Map<String, String> any = new java.util.HashMap<>();
      route.parameters().forEach(name -> any.put(name, "x"));
      given()
          .contentType(ContentType.JSON)
          .body("{}")
          .request(route.method(), route.path(any))
          .then()
          .statusCode(401);
    }
  }

  // --- helpers

  static void register(
      String id, String mechanism, String party, String participant, Object authorisation) {
    Map<String, Object> body =
        new LinkedHashMap<>(IssuanceFixture.project(id, mechanism, List.of(participant), null));
    body.put("hostParty", party);
    body.put("title", "Solar, \"mini\" grids");
    body.put("authorisation", authorisation);
    given()
        .auth()
        .oauth2(IssuanceFixture.admin())
        .contentType(ContentType.JSON)
        .body(body)
        .post("/projects")
        .then()
        .statusCode(201);
  }

  /** A request of the whole calendar year, submitted and approved; its id. */
  static String issued(String participant, String project, int vintage, long quantity) {
    String id =
        IssuanceFixture.submitted(
            participant, project, vintage + "-01-01", vintage + "-12-31", vintage, quantity);
    given()
        .auth()
        .oauth2(IssuanceFixture.admin())
        .post("/issuance-requests/" + id + "/approval")
        .then()
        .statusCode(200);
    return id;
  }

  static Block block(String unitId, long start, long end, String account, String state) {
    return new Block(
        unitId + String.format("-%06d-%06d", start, end),
        unitId,
        start,
        end,
        end - start + 1,
        account,
        state);
  }

  static CreditsIssued minted(
      String request, String unitId, String project, int vintage, long quantity, Block... blocks) {
    return new CreditsIssued(
        request,
        unitId,
        project,
        "A6_4",
        "MV",
        vintage,
        LocalDate.of(vintage, 1, 1),
        LocalDate.of(vintage, 12, 31),
        quantity,
        "AUTHORISED",
        "PENDING",
        null,
        List.of(blocks),
        Instant.now());
  }

  static CreditsRetired retired(String account, Block... blocks) {
    return new CreditsRetired(
        UUID.randomUUID().toString(),
        "RET-" + UUID.randomUUID(),
        account,
        List.of(blocks).stream().mapToLong(Block::quantity).sum(),
        "Example Airline",
        "OIMP",
        "JP",
        List.of(blocks),
        Instant.now());
  }

  static void publish(String name, String key, Object payload) throws Exception {
    IssuanceFixture.publishRegistryEvent(UUID.randomUUID(), name, key, payload);
  }

  /** Every page of the list with {@code query}, {@code limit} items a page. */
  static List<JsonNode> pages(String query, int limit) throws Exception {
    List<JsonNode> pages = new ArrayList<>();
    String after = null;
    do {
      String url =
          "/public/projects?limit="
              + limit
              + (query.isEmpty() ? "" : "&" + query)
              + (after == null ? "" : "&after=" + after);
      JsonNode page = JSON.readTree(given().get(url).then().statusCode(200).extract().asString());
      assertTrue(page.get("items").size() <= limit);
      pages.add(page);
      after = textOrNull(page.get("next"));
    } while (after != null);
    return pages;
  }

  static List<String> ids(List<JsonNode> pages) {
    return pages.stream()
        .flatMap(p -> stream(p.get("items")))
        .map(p -> p.get("id").asText())
        .toList();
  }

  static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false);
  }

  static String textOrNull(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }
}
