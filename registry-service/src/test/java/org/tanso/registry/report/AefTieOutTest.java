package org.tanso.registry.report;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.tanso.registry.RegistryFixture.admin;
import static org.tanso.registry.RegistryFixture.developer;
import static org.tanso.registry.RegistryFixture.holdingAccount;
import static org.tanso.registry.RegistryFixture.participant;
import static org.tanso.registry.RegistryFixture.transfer;
import static org.tanso.registry.RegistryFixture.transferBody;
import static org.tanso.registry.RegistryFixture.unique;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.tanso.events.CloudEventHeaders;
import org.tanso.events.Topics;
import org.tanso.events.interregistry.TransferAnswered;
import org.tanso.events.interregistry.TransferCompleted;
import org.tanso.events.interregistry.TransferProposed;
import org.tanso.events.interregistry.TransferredUnits;
import org.tanso.events.issuance.IssuanceApproved;
import org.tanso.registry.account.domain.AccountNumber;
import org.tanso.registry.account.domain.AccountType;
import org.tanso.testing.TestKafka;
import org.tanso.testing.TestTokens;

/**
 * The AEF report ties out with what the registry recorded: a year of issuances, movements and
 * international transfers is built through the service's own doors, and every figure the report
 * gives for this test's units is checked against what the test itself was answered (201 bodies,
 * {@code GET /transactions/{id}}, {@code GET /international-transfers/{id}}, {@code GET /units}),
 * never against the report or the database. Other tests' units share the database, so the
 * comparison is restricted to this test's unit ids; the format checks (totals, CSV, XLSX) cover the
 * whole report.
 */
@QuarkusTest
class AefTieOutTest {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  private static final String SELF = "JP-JCM";
  private static final String PEER = "VN-JCM";
  private static final String XLSX =
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  private static final List<String> TABLES =
      List.of("submission", "authorisations", "actions", "holdings", "totals");
  private static final List<String> SHEETS =
      List.of("Submission", "Authorisations", "Actions", "Holdings", "Totals");

  /** What an action row says, as far as this test can know it from the API. */
  private record Expected(
      String type,
      String subtype,
      String recordId,
      String firstUnitId,
      String lastUnitId,
      long quantity,
      LocalDate date,
      String transferring,
      String acquiring,
      String using) {

    String key() {
      return type + " | " + (subtype == null ? "-" : subtype);
    }

    String line() {
      return key()
          + " | "
          + recordId
          + " | "
          + firstUnitId
          + ".."
          + lastUnitId
          + " | "
          + quantity
          + " | "
          + date
          + " | "
          + transferring
          + " -> "
          + acquiring
          + " | using "
          + using;
    }
  }

  /** The unique identifier elements of one unit id, as this test issued or sent it. */
  private record UnitData(
      String cooperativeApproach,
      String originatingRegistry,
      String firstTransferringParty,
      int vintage,
      String purposes) {}

  private final String admin = admin();
  private final List<Expected> expected = new ArrayList<>();
  private final Map<String, UnitData> units = new LinkedHashMap<>();
  private final Set<String> authorisationIds = new LinkedHashSet<>();
  private final Set<String> recordIdsThatMustNotAppear = new LinkedHashSet<>();

  @Test
  void theReportTiesOutWithWhatTheRegistryAnswered() throws Exception {
    int year = LocalDate.now(ZoneOffset.UTC).getYear();
    String holder = participant("JP");
    String dev = developer(holder);
    String ndcAccount = holdingAccount(holder);
    String oimpAtIssuance = holdingAccount(holder);
    String oimpAtUse = holdingAccount(holder);
    String bothAccount = holdingAccount(holder);
    String a64Account = holdingAccount(holder);
    String mitigationAccount = holdingAccount(holder);
    String domesticAccount = holdingAccount(holder);
    String acquiringAccount = holdingAccount(holder);
    String vnAccount =
        new AccountNumber("VN", AccountType.HOLDING, 400_000 + (int) (Math.random() * 500_000))
            .toString();

    // --- issuances: five authorised ones and one of mitigation-contribution units
    String ndc =
        issue(
            "JCM",
            100,
            ndcAccount,
            authorisation(List.of("NDC"), null, "JCM Japan Viet Nam"),
            "NDC");
    String oimpIss =
        issue("JCM", 80, oimpAtIssuance, authorisation(List.of("OIMP"), "ISSUANCE", null), "OIMP");
    String oimpUse =
        issue(
            "JCM",
            60,
            oimpAtUse,
            authorisation(List.of("OIMP"), "USE_OR_CANCELLATION", "JCM Japan Viet Nam"),
            "OIMP");
    String both =
        issue(
            "JCM",
            50,
            bothAccount,
            authorisation(List.of("OIMP", "NDC"), "AUTHORISATION", "JCM Japan Viet Nam"),
            "NDC and OIMP");
    String a64 =
        issue(
            "A6_4",
            1000,
            a64Account,
            authorisation(List.of("NDC"), null, "Article 6.4 PACM"),
            "NDC");
    String mitigation = issue("JCM", 40, mitigationAccount, null, null);

    for (String unit : List.of(ndc, oimpIss, oimpUse, both)) {
      long quantity = Map.of(ndc, 100L, oimpIss, 80L, oimpUse, 60L, both, 50L).get(unit);
      expected.add(
          new Expected(
              "Authorization",
              null,
              unit,
              serial(unit, 1),
              serial(unit, quantity),
              quantity,
              issuedOn(unit),
              null,
              null,
              null));
    }
    expected.add(
        new Expected(
            "Authorization",
            null,
            a64,
            serial(a64, 1),
            serial(a64, 1000),
            1000,
            issuedOn(a64),
            null,
            null,
            null));

    // A6.4: 5 % share of proceeds, then 2 % cancelled for OMGE, then the allocation
    // (IssuanceSplit's documented order)
    JsonNode allocated = holdings(a64Account).get(0);
    assertEquals(
        930,
        allocated.get("quantity").asLong(),
        "A6.4 allocation after 5 % SOP and 2 % OMGE of 1000");
    JsonNode omge = unitAt(a64, allocated.get("start").asLong() - 1);
    assertEquals("CANCELLED", omge.get("state").asText());
    long[] omgeRange = range(omge.get("blockSerial").asText());
    assertEquals(20, omgeRange[1] - omgeRange[0] + 1, "OMGE cancellation of 1000 is 2 %");
    expected.add(
        new Expected(
            "Cancellation",
            "Mandatory cancellation to deliver OMGE",
            a64,
            serial(a64, omgeRange[0]),
            serial(a64, omgeRange[1]),
            20,
            issuedOn(a64),
            null,
            null,
            "JP"));

    // OIMP units first transferred at issuance and at authorisation: the first transfer their
    // serial 1 points to
    expectFirstTransferOf(oimpIss, 1, "ISSUANCE", null);
    expectFirstTransferOf(both, 1, "AUTHORISATION", null);

    // --- domestic transfers: no AEF action
    JsonNode domestic =
        body(
            transfer(dev, transferBody(ndcAccount, domesticAccount, 10))
                .then()
                .statusCode(201)
                .extract()
                .asString());
    recordIdsThatMustNotAppear.add(domestic.get("id").asText());
    JsonNode domesticMitigation =
        body(
            transfer(dev, transferBody(mitigationAccount, domesticAccount, 5))
                .then()
                .statusCode(201)
                .extract()
                .asString());
    recordIdsThatMustNotAppear.add(domesticMitigation.get("id").asText());

    // --- uses: towards NDC (no first transfer for NDC units), for OIMP (first transfer at use),
    // and of mitigation units (nothing)
    JsonNode useNdc = retire(dev, domesticAccount, 10, "NDC");
    expectRows("Use", "Use towards NDC", useNdc, null, null, "JP");
    JsonNode useOimp = retire(dev, oimpAtUse, 15, "OIMP");
    expectRows("Use", "Use for OIMP", useOimp, null, null, "JP");
    expectFirstTransfersOf(useOimp, "USE_OR_CANCELLATION");
    JsonNode useMitigation = retire(dev, mitigationAccount, 7, "NDC");
    recordIdsThatMustNotAppear.add(useMitigation.get("id").asText());

    // --- voluntary cancellations: of units first transferred at authorisation, of units first
    // transferred by it, of mitigation units
    JsonNode cancelBoth = cancel(dev, bothAccount, 5);
    expectRows("Voluntary cancellation", null, cancelBoth, null, null, "JP");
    JsonNode cancelOimpUse = cancel(dev, oimpAtUse, 3);
    expectRows("Voluntary cancellation", null, cancelOimpUse, null, null, "JP");
    expectFirstTransfersOf(cancelOimpUse, "USE_OR_CANCELLATION");
    JsonNode cancelMitigation = cancel(dev, mitigationAccount, 2);
    recordIdsThatMustNotAppear.add(cancelMitigation.get("id").asText());

    // --- an international transfer to VN-JCM, completed: the NDC units' first transfer to another
    // party
    String out = proposeTo(dev, ndcAccount, vnAccount, 20);
    JsonNode proposed = proposalOnTheWire(out);
    assertEquals(20, proposed.get("quantity").asLong());
    answer(out, "ACCEPTED", null);
    awaitStatus(out, "COMPLETED");
    JsonNode sent = transaction(out);
    assertEquals("INTERNATIONAL_TRANSFER", sent.get("kind").asText());
    expectRows("Transfer", null, sent, "JP", "VN", null);
    expectFirstTransfersOf(sent, "INTERNATIONAL_TRANSFER");

    // --- one terminated by the receiver's rejection: no Transfer, no first transfer
    String terminated = proposeTo(dev, ndcAccount, vnAccount, 5);
    proposalOnTheWire(terminated);
    answer(terminated, "REJECTED", "ACCOUNT_NOT_FOUND");
    awaitStatus(terminated, "TERMINATED");
    recordIdsThatMustNotAppear.add(terminated);
    given().auth().oauth2(admin).get("/transactions/" + terminated).then().statusCode(404);

    // --- an acquisition from VN-JCM: this test plays the sending registry
    String acquiredUnit = "JCM-VN-" + unique("VNAEF") + "-2024-0001";
    String vnAuthorisation = unique("VN-AUTH-");
    units.put(acquiredUnit, new UnitData("JCM Viet Nam Japan", PEER, "VN", 2024, "NDC"));
    String in = acquireFromPeer(acquiredUnit, vnAuthorisation, acquiringAccount, 25);
    JsonNode acquisition = transaction(in);
    assertEquals("ACQUISITION", acquisition.get("kind").asText());
    expectRows("Acquisition", null, acquisition, "VN", "JP", null);

    assumeTrue(
        LocalDate.now(ZoneOffset.UTC).getYear() == year, "the year turned while the test ran");

    // --- the report, JSON, CSV per table and XLSX, all of one state of the registry
    Snapshot report = snapshot(year);
    JsonNode json = report.json();

    // every action type and subtype: rows and quantity of this test's units as recorded, then row
    // by row
    List<JsonNode> mine = new ArrayList<>();
    for (JsonNode row : json.get("actions")) {
      if (unitOf(row.get("firstUnitId").asText()) != null) {
        mine.add(row);
      }
    }
    assertEquals(
        summary(expected),
        summaryOfReport(mine),
        "rows and tCO2e per action type | subtype for this test's units: expected (from the"
            + " API's answers) vs the report");
    assertEquals(
        lines(expected),
        lines(mine.stream().map(AefTieOutTest::asExpected).toList()),
        "this test's action rows");

    // each row: its unique identifiers have the (a)-(e) form of its unit, and it reports the unit's
    // data
    for (JsonNode row : mine) {
      String firstUnitId = row.get("firstUnitId").asText();
      String unitId = unitOf(firstUnitId);
      UnitData data = units.get(unitId);
      assertEquals(
          itmoId(data, unitId, serialOf(firstUnitId)),
          row.get("firstUniqueIdentifier").asText(),
          "first unique identifier of " + row);
      assertEquals(
          itmoId(data, unitId, serialOf(row.get("lastUnitId").asText())),
          row.get("lastUniqueIdentifier").asText(),
          "last unique identifier of " + row);
      assertEquals(SELF, row.get("itmoRegistry").asText());
      assertEquals("tCO2e", row.get("metric").asText());
      assertEquals(data.vintage(), row.get("vintage").asInt());
      assertEquals(data.purposes(), row.get("purposes").asText(), "purposes of " + row);
      assertEquals(data.firstTransferringParty(), row.get("firstTransferringParty").asText());
      assertEquals(
          unitId.startsWith("A6_4") ? "Article 6.4 mechanism registry" : "JCM",
          row.get("underlyingUnitRegistry").asText());
    }
    for (JsonNode row : json.get("actions")) {
      assertTrue(
          row.get("firstUniqueIdentifier")
              .asText()
              .matches("[^ ]+-[^ ]+-([A-Z]{2}|NA)-[^ ]+\\.\\d{6,}-\\d{4}"),
          "unique identifier not of the (a)-(e) form: " + row);
      assertFalse(
          recordIdsThatMustNotAppear.contains(row.get("recordId").asText()),
          "a record that is no AEF action was reported: " + row);
    }

    // totals[] are the sums of actions[], for every action type and subtype
    Map<String, String> sums = new TreeMap<>();
    for (JsonNode total : json.get("totals")) {
      sums.put(
          total.get("actionType").asText() + " | " + total.path("actionSubtype").asText("-"),
          "0 rows, 0 tCO2e");
    }
    assertEquals(11, sums.size(), "one total per action type and subtype");
    sums.putAll(summaryOfReport(iterable(json.get("actions"))));
    Map<String, String> totals = new TreeMap<>();
    for (JsonNode total : json.get("totals")) {
      totals.put(
          total.get("actionType").asText() + " | " + total.path("actionSubtype").asText("-"),
          total.get("rows").asLong() + " rows, " + total.get("quantity").asLong() + " tCO2e");
    }
    assertEquals(sums, totals, "totals[] vs the sums of actions[]");

    // authorisations: this test's five, none of the acquired units or of mitigation units
    Map<String, JsonNode> auths = new TreeMap<>();
    for (JsonNode a : json.get("authorisations")) {
      String id = a.get("authorisationId").asText();
      if (authorisationIds.contains(id) || id.equals(vnAuthorisation)) {
        auths.put(id, a);
      }
    }
    assertEquals(
        new java.util.TreeSet<>(authorisationIds),
        auths.keySet(),
        "this test's authorisations (the acquired units' is not this party's)");
    Map<String, String> authorisationPurposes = new TreeMap<>();
    auths.forEach(
        (id, a) ->
            authorisationPurposes.put(
                id,
                a.get("purposes").asText()
                    + "/"
                    + a.path("firstTransferDefinition").asText("-")
                    + "/"
                    + a.get("issuedQuantity").asLong()));
    Map<String, String> expectedPurposes = new TreeMap<>();
    Iterator<String> ids = authorisationIds.iterator();
    expectedPurposes.put(ids.next(), "NDC/-/100");
    expectedPurposes.put(ids.next(), "OIMP/ISSUANCE/80");
    expectedPurposes.put(ids.next(), "OIMP/USE_OR_CANCELLATION/60");
    expectedPurposes.put(ids.next(), "NDC and OIMP/AUTHORISATION/50");
    expectedPurposes.put(ids.next(), "NDC/-/1000");
    assertEquals(
        expectedPurposes,
        authorisationPurposes,
        "purposes / first transfer definition / issued quantity per authorisation");

    // holdings of this test's units: what the accounts hold, plus the A6.4 share of proceeds in the
    // registry's account
    long held = 0;
    for (JsonNode h : json.get("holdings")) {
      if (unitOf(h.get("firstUnitId").asText()) != null) {
        held += h.get("quantity").asLong();
        assertEquals(
            itmoId(
                units.get(unitOf(h.get("firstUnitId").asText())),
                unitOf(h.get("firstUnitId").asText()),
                serialOf(h.get("firstUnitId").asText())),
            h.get("firstUniqueIdentifier").asText());
      }
    }
    long sop = unitAtRange(a64, omgeRange[0] - 1);
    assertEquals(50, sop, "A6.4 share of proceeds of 1000 is 5 %");
    long accounts = 0;
    for (String account :
        List.of(
            ndcAccount,
            oimpAtIssuance,
            oimpAtUse,
            bothAccount,
            a64Account,
            domesticAccount,
            acquiringAccount)) {
      accounts += authorisedHeld(account);
    }
    assertEquals(
        accounts + sop,
        held,
        "authorised units of this test held now, by the accounts' holdings vs the report");

    // mitigation-contribution units appear nowhere, in no format
    assertFalse(
        report.jsonText().contains(mitigation),
        "mitigation-contribution unit " + mitigation + " in the JSON report");
    report
        .csv()
        .forEach(
            (table, text) ->
                assertFalse(
                    text.contains(mitigation),
                    "mitigation-contribution unit " + mitigation + " in CSV " + table));
    assertFalse(
        report.cellTexts().stream().anyMatch(t -> t.contains(mitigation)),
        "mitigation-contribution unit " + mitigation + " in the workbook");

    // CSV: each table has exactly the JSON's rows, columns in the records' order
    for (String table : TABLES) {
      List<Map<String, String>> fromJson =
          table.equals("submission")
              ? List.of(flat(json.get("submission")))
              : flatAll(json.get(table));
      List<Map<String, String>> fromCsv = parseCsv(report.csv().get(table));
      if (table.equals("submission")) {
        // the two moments are of each request, not of the registry's state
        for (Map<String, String> row : List.of(fromJson.get(0), fromCsv.get(0))) {
          assertTrue(row.remove("generatedAt").matches("\\d{4}-\\d\\d-\\d\\dT.*Z"));
          assertTrue(row.remove("holdingsAsOf").matches("\\d{4}-\\d\\d-\\d\\dT.*Z"));
        }
      }
      assertEquals(fromJson, fromCsv, "CSV table " + table + " vs JSON");
      if (!fromJson.isEmpty()) {
        assertEquals(
            List.copyOf(fromJson.get(0).keySet()),
            List.copyOf(fromCsv.get(0).keySet()),
            "CSV columns of " + table);
      }
    }

    // XLSX: the five sheets; Actions has the JSON's rows and quantity, in all and for this test's
    // units
    try (Workbook workbook = new XSSFWorkbook(new ByteArrayInputStream(report.xlsx()))) {
      List<String> names = new ArrayList<>();
      workbook.forEach(s -> names.add(s.getSheetName()));
      assertEquals(SHEETS, names);
      Sheet actions = workbook.getSheet("Actions");
      int quantityColumn = column(actions, "quantity");
      int firstUnitColumn = column(actions, "firstUnitId");
      long rows = 0;
      long quantity = 0;
      long mineRows = 0;
      long mineQuantity = 0;
      for (int r = 1; r <= actions.getLastRowNum(); r++) {
        Row row = actions.getRow(r);
        Cell q = row.getCell(quantityColumn);
        assertEquals(CellType.NUMERIC, q.getCellType(), "quantity is a number in row " + r);
        rows++;
        quantity += (long) q.getNumericCellValue();
        if (unitOf(row.getCell(firstUnitColumn).getStringCellValue()) != null) {
          mineRows++;
          mineQuantity += (long) q.getNumericCellValue();
        }
      }
      long jsonQuantity = 0;
      for (JsonNode row : json.get("actions")) {
        jsonQuantity += row.get("quantity").asLong();
      }
      assertEquals(
          json.get("actions").size() + " rows, " + jsonQuantity + " tCO2e",
          rows + " rows, " + quantity + " tCO2e",
          "Actions sheet vs JSON");
      assertEquals(
          expected.size()
              + " rows, "
              + expected.stream().mapToLong(Expected::quantity).sum()
              + " tCO2e",
          mineRows + " rows, " + mineQuantity + " tCO2e",
          "Actions sheet rows of this test's units vs the API's answers");
      assertEquals(json.get("holdings").size(), workbook.getSheet("Holdings").getLastRowNum());
      assertEquals(
          json.get("authorisations").size(), workbook.getSheet("Authorisations").getLastRowNum());
      assertEquals(11, workbook.getSheet("Totals").getLastRowNum());
    }

    // the submission heading
    assertEquals("JP", json.at("/submission/party").asText());
    assertEquals(SELF, json.at("/submission/registry").asText());
    assertEquals(year, json.at("/submission/reportedYear").asInt());
  }

  @Test
  void aYearWithNothingHasNoActionsAndZeroTotals() {
    JsonNode report =
        body(
            given()
                .auth()
                .oauth2(TestTokens.regulator())
                .get("/reports/aef?year=1999")
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .extract()
                .asString());
    assertEquals(0, report.get("actions").size(), "actions of 1999: " + report.get("actions"));
    assertEquals(11, report.get("totals").size());
    for (JsonNode total : report.get("totals")) {
      assertEquals(0, total.get("rows").asLong(), total.toString());
      assertEquals(0, total.get("quantity").asLong(), total.toString());
    }
    assertEquals(1999, report.at("/submission/reportedYear").asInt());
    // the holdings table is read now: it must not claim to be the end of 1999
    assertEquals(
        report.at("/submission/generatedAt").asText(),
        report.at("/submission/holdingsAsOf").asText());
    String csv =
        given()
            .auth()
            .oauth2(TestTokens.regulator())
            .accept("text/csv")
            .get("/reports/aef?year=1999")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertEquals(List.of(), parseCsv(csv), "CSV actions of 1999");
    assertTrue(csv.startsWith("actionDate,actionType,actionSubtype,recordId,"), csv);
  }

  @Test
  void onlyRegulatorsAndRegistryAdministratorsMayReadIt() {
    int year = LocalDate.now(ZoneOffset.UTC).getYear();
    given()
        .auth()
        .oauth2(TestTokens.regulator())
        .get("/reports/aef?year=" + year)
        .then()
        .statusCode(200);
    given().auth().oauth2(admin).get("/reports/aef?year=" + year).then().statusCode(200);
    given()
        .auth()
        .oauth2(TestTokens.regulator())
        .accept("text/csv")
        .get("/reports/aef?year=" + year)
        .then()
        .statusCode(200);
    given()
        .auth()
        .oauth2(TestTokens.regulator())
        .accept(XLSX)
        .get("/reports/aef?year=" + year)
        .then()
        .statusCode(200);
    given()
        .auth()
        .oauth2(developer(participant("JP")))
        .get("/reports/aef?year=" + year)
        .then()
        .statusCode(403)
        .body("code", is("FORBIDDEN"));
    given()
        .auth()
        .oauth2(TestTokens.marketOperator())
        .get("/reports/aef?year=" + year)
        .then()
        .statusCode(403)
        .body("code", is("FORBIDDEN"));
    given()
        .auth()
        .oauth2(developer(participant("JP")))
        .accept("text/csv")
        .get("/reports/aef?year=" + year)
        .then()
        .statusCode(403);
    given().get("/reports/aef?year=" + year).then().statusCode(401);
  }

  @Test
  void aMissingOrBadYearOrAnUnknownTableIsMalformed() {
    String regulator = TestTokens.regulator();
    for (String query :
        List.of(
            "",
            "?year=",
            "?year=abc",
            "?year=20x6",
            "?year=1989",
            "?year=2201",
            "?year=-2026",
            "?year=2026.0")) {
      given()
          .auth()
          .oauth2(regulator)
          .get("/reports/aef" + query)
          .then()
          .statusCode(400)
          .body("code", is("MALFORMED_REQUEST"));
      given()
          .auth()
          .oauth2(regulator)
          .accept("text/csv")
          .get("/reports/aef" + query)
          .then()
          .statusCode(400)
          .body("code", is("MALFORMED_REQUEST"));
    }
    given()
        .auth()
        .oauth2(regulator)
        .accept("text/csv")
        .get("/reports/aef?year=2026&table=bogus")
        .then()
        .statusCode(400)
        .body("code", is("MALFORMED_REQUEST"));
    for (String table : TABLES) {
      given()
          .auth()
          .oauth2(regulator)
          .accept("text/csv")
          .get("/reports/aef?year=2026&table=" + table)
          .then()
          .statusCode(200);
    }
  }

  // ------------------------------------------------------------------ building the year

  private IssuanceApproved.Authorisation authorisation(
      List<String> purposes, String definition, String cooperativeApproach) {
    String id = unique("AUTH-");
    authorisationIds.add(id);
    return new IssuanceApproved.Authorisation(
        id,
        LocalDate.now(ZoneOffset.UTC),
        purposes.get(0),
        purposes,
        100_000,
        cooperativeApproach,
        definition);
  }

  /**
   * Publishes an approval of {@code quantity} units (vintage 2025, host party JP) into {@code
   * account}; returns the unit id.
   */
  private String issue(
      String mechanism,
      long quantity,
      String account,
      IssuanceApproved.Authorisation authorisation,
      String purposes) {
    String project = unique("AEF");
    IssuanceApproved approved =
        new IssuanceApproved(
            unique("REQ-"),
            project,
            mechanism,
            "JP",
            "VN",
            "AM0001",
            "Energy industries",
            2025,
            new IssuanceApproved.MonitoringPeriod(
                LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31)),
            quantity,
            List.of(new IssuanceApproved.AllocationShare(account, BigDecimal.valueOf(100))),
            authorisation,
            "aef-approver",
            Instant.now());
    send(
        Topics.ISSUANCE_EVENTS,
        approved.requestId(),
        "tanso.issuance.IssuanceApproved.v1",
        "/tanso/issuance-service",
        approved);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> holdings(account).size() > 0);
    String unitId = holdings(account).get(0).get("unitId").asText();
    mintedOn.put(unitId, LocalDate.now(ZoneOffset.UTC));
    assertEquals(mechanism + "-JP-" + project + "-2025-0001", unitId);
    if (authorisation != null) {
      units.put(
          unitId, new UnitData(authorisation.cooperativeApproach(), SELF, "JP", 2025, purposes));
    }
    return unitId;
  }

  private JsonNode retire(String token, String account, long quantity, String purpose) {
    return body(
        given()
            .auth()
            .oauth2(token)
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "account",
                    account,
                    "quantity",
                    quantity,
                    "beneficiary",
                    "AEF tie-out",
                    "purpose",
                    purpose,
                    "usingParty",
                    "JP"))
            .post("/retirements")
            .then()
            .statusCode(201)
            .extract()
            .asString());
  }

  private JsonNode cancel(String token, String account, long quantity) {
    return body(
        given()
            .auth()
            .oauth2(token)
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "account",
                    account,
                    "quantity",
                    quantity,
                    "reason",
                    "voluntary cancellation for the AEF tie-out"))
            .post("/cancellations")
            .then()
            .statusCode(201)
            .extract()
            .asString());
  }

  private String proposeTo(String token, String from, String toAccount, long quantity) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(
            Map.of("from", from, "toRegistry", PEER, "toAccount", toAccount, "quantity", quantity))
        .post("/international-transfers")
        .then()
        .statusCode(202)
        .extract()
        .path("id");
  }

  /** The TransferProposed this registry sent to the peer's topic for transfer {@code id}. */
  private static JsonNode proposalOnTheWire(String id) {
    List<TestKafka.Received> read =
        TestKafka.readUntil(
            Topics.interRegistry(PEER),
            rs ->
                rs.stream()
                    .anyMatch(
                        r ->
                            id.equals(r.key())
                                && "tanso.interregistry.TransferProposed.v1"
                                    .equals(r.headers().get(CloudEventHeaders.TYPE))),
            Duration.ofSeconds(30));
    return read.stream()
        .filter(
            r ->
                id.equals(r.key())
                    && "tanso.interregistry.TransferProposed.v1"
                        .equals(r.headers().get(CloudEventHeaders.TYPE)))
        .findFirst()
        .map(r -> body(r.value()))
        .orElseThrow(
            () ->
                new AssertionError(
                    "no TransferProposed for " + id + " on " + Topics.interRegistry(PEER)));
  }

  /** The peer's answer, as VN-JCM would send it. */
  private static void answer(String id, String verdict, String code) {
    send(
        Topics.interRegistry(SELF),
        id,
        "tanso.interregistry.TransferAnswered.v1",
        "/tanso/registry/" + PEER,
        new TransferAnswered(
            id, PEER, SELF, verdict, code, code == null ? null : "no such account", Instant.now()));
  }

  /**
   * VN-JCM proposes {@code quantity} of its NDC units (already first transferred by VN) and
   * completes once accepted.
   */
  private String acquireFromPeer(
      String unitId, String authorisationId, String toAccount, long quantity) {
    String id = UUID.randomUUID().toString();
    String project = unitId.split("-")[2];
    TransferredUnits.Origin origin =
        new TransferredUnits.Origin(
            project,
            "JCM",
            "VN",
            2024,
            LocalDate.of(2024, 1, 1),
            LocalDate.of(2024, 12, 31),
            500,
            authorisationId,
            LocalDate.now(ZoneOffset.UTC),
            List.of("NDC"),
            null,
            "JCM Viet Nam Japan",
            PEER,
            "VN",
            "Energy industries",
            "AM0001");
    List<TransferredUnits> sent =
        List.of(
            new TransferredUnits(
                unitId,
                1,
                quantity,
                origin,
                new TransferredUnits.CorrespondingAdjustment(
                    "APPLIED", Instant.now().minusSeconds(60), "VN")));
    String from =
        new AccountNumber("VN", AccountType.HOLDING, 100_000 + (int) (Math.random() * 300_000))
            .toString();
    send(
        Topics.interRegistry(SELF),
        id,
        "tanso.interregistry.TransferProposed.v1",
        "/tanso/registry/" + PEER,
        new TransferProposed(id, PEER, SELF, from, toAccount, quantity, sent, Instant.now()));
    awaitStatus(id, "ACCEPTED");
    send(
        Topics.interRegistry(SELF),
        id,
        "tanso.interregistry.TransferCompleted.v1",
        "/tanso/registry/" + PEER,
        new TransferCompleted(id, PEER, SELF, sent, Instant.now()));
    awaitStatus(id, "COMPLETED");
    return id;
  }

  private void awaitStatus(String transferId, String status) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              var response =
                  given().auth().oauth2(admin).get("/international-transfers/" + transferId);
              return response.statusCode() == 200 && status.equals(response.path("status"));
            });
  }

  private static void send(String topic, String key, String type, String source, Object payload) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(CloudEventHeaders.SPEC_VERSION, "1.0");
    headers.put(CloudEventHeaders.ID, UUID.randomUUID().toString());
    headers.put(CloudEventHeaders.TYPE, type);
    headers.put(CloudEventHeaders.SOURCE, source);
    headers.put(CloudEventHeaders.TIME, Instant.now().toString());
    headers.put(CloudEventHeaders.SUBJECT, key);
    try {
      TestKafka.send(topic, key, JSON.writeValueAsString(payload), headers);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------ what the API answered

  private JsonNode transaction(String id) {
    return body(
        given()
            .auth()
            .oauth2(admin)
            .get("/transactions/" + id)
            .then()
            .statusCode(200)
            .extract()
            .asString());
  }

  private List<JsonNode> holdings(String account) {
    JsonNode page =
        body(
            given()
                .auth()
                .oauth2(admin)
                .get("/accounts/" + account + "/holdings?limit=1000")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    return iterable(page.get("items"));
  }

  private long authorisedHeld(String account) {
    long sum = 0;
    for (JsonNode h : holdings(account)) {
      String state = h.get("state").asText();
      if (units.containsKey(h.get("unitId").asText())
          && (state.equals("ACTIVE") || state.equals("RESERVED"))) {
        sum += h.get("quantity").asLong();
      }
    }
    return sum;
  }

  private JsonNode unitAt(String unitId, long serial) {
    return body(
        given()
            .auth()
            .oauth2(admin)
            .get("/units/" + unitId + "/" + serial)
            .then()
            .statusCode(200)
            .extract()
            .asString());
  }

  /** How many units the block holding {@code serial} has. */
  private long unitAtRange(String unitId, long serial) {
    long[] r = range(unitAt(unitId, serial).get("blockSerial").asText());
    return r[1] - r[0] + 1;
  }

  /** The day (UTC) the test saw a unit id minted: the date of its Authorization. */
  private LocalDate issuedOn(String unitId) {
    return mintedOn.get(unitId);
  }

  private final Map<String, LocalDate> mintedOn = new LinkedHashMap<>();

  /** The action rows a transaction reports: one per block of this test's authorised units. */
  private void expectRows(
      String type,
      String subtype,
      JsonNode transaction,
      String transferring,
      String acquiring,
      String using) {
    LocalDate date =
        Instant.parse(transaction.get("at").asText()).atOffset(ZoneOffset.UTC).toLocalDate();
    for (JsonNode block : transaction.get("blocks")) {
      String unitId = block.get("unitId").asText();
      if (!units.containsKey(unitId)) {
        continue;
      }
      expected.add(
          new Expected(
              type,
              subtype,
              transaction.get("id").asText(),
              serial(unitId, block.get("start").asLong()),
              serial(unitId, block.get("end").asLong()),
              block.get("quantity").asLong(),
              date,
              transferring,
              acquiring,
              using));
    }
  }

  private static final Map<String, String> FIRST_TRANSFER_SUBTYPES =
      Map.of(
          "INTERNATIONAL_TRANSFER", "First transfer to another party",
          "AUTHORISATION", "At authorization",
          "ISSUANCE", "At issuance",
          "USE_OR_CANCELLATION", "At use or cancellation");

  /**
   * The first transfer serial {@code serial} of {@code unitId} points to, which must have {@code
   * trigger}.
   */
  private void expectFirstTransferOf(
      String unitId, long serial, String trigger, String triggeredBy) {
    JsonNode adjustment = unitAt(unitId, serial).get("correspondingAdjustment");
    assertEquals("APPLIED", adjustment.get("status").asText(), unitId + " " + serial);
    expectFirstTransfer(adjustment.get("firstTransfer").asText(), trigger, triggeredBy);
  }

  private final Set<String> firstTransfers = new LinkedHashSet<>();

  private void expectFirstTransfer(String id, String trigger, String triggeredBy) {
    if (!firstTransfers.add(id)) {
      return;
    }
    JsonNode ft = transaction(id);
    assertEquals("FIRST_TRANSFER", ft.get("kind").asText());
    assertEquals(trigger, ft.get("trigger").asText());
    if (triggeredBy != null) {
      assertEquals(triggeredBy, ft.get("triggeredBy").asText());
    }
    String acquiring = trigger.equals("INTERNATIONAL_TRANSFER") ? "VN" : null;
    expectRows("First transfer", FIRST_TRANSFER_SUBTYPES.get(trigger), ft, "JP", acquiring, null);
  }

  /**
   * The first transfers {@code action}'s blocks were adjusted by: each must be of {@code trigger}
   * and triggered by the action.
   */
  private void expectFirstTransfersOf(JsonNode action, String trigger) {
    for (JsonNode block : action.get("blocks")) {
      JsonNode adjustment =
          unitAt(block.get("unitId").asText(), block.get("start").asLong())
              .get("correspondingAdjustment");
      assertEquals(
          "APPLIED",
          adjustment.get("status").asText(),
          "after " + action.get("kind").asText() + " " + block);
      expectFirstTransfer(
          adjustment.get("firstTransfer").asText(), trigger, action.get("id").asText());
    }
  }

  // ------------------------------------------------------------------ reading the report

  /**
   * The report in all three formats, fetched between two JSON reads of the same state (ignoring the
   * moments of each request).
   */
  private record Snapshot(String jsonText, JsonNode json, Map<String, String> csv, byte[] xlsx) {

    Set<String> cellTexts() throws IOException {
      Set<String> texts = new LinkedHashSet<>();
      try (Workbook workbook = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
        for (Sheet sheet : workbook) {
          for (Row row : sheet) {
            for (Cell cell : row) {
              if (cell.getCellType() == CellType.STRING) {
                texts.add(cell.getStringCellValue());
              }
            }
          }
        }
      }
      return texts;
    }
  }

  private Snapshot snapshot(int year) {
    String regulator = TestTokens.regulator();
    for (int attempt = 0; attempt < 5; attempt++) {
      String before =
          given()
              .auth()
              .oauth2(regulator)
              .accept(ContentType.JSON)
              .get("/reports/aef?year=" + year)
              .then()
              .statusCode(200)
              .contentType(ContentType.JSON)
              .extract()
              .asString();
      Map<String, String> csv = new LinkedHashMap<>();
      for (String table : TABLES) {
        csv.put(
            table,
            given()
                .auth()
                .oauth2(regulator)
                .accept("text/csv")
                .get("/reports/aef?year=" + year + "&table=" + table)
                .then()
                .statusCode(200)
                .contentType(is("text/csv; charset=UTF-8"))
                .extract()
                .asString());
      }
      String defaultTable =
          given()
              .auth()
              .oauth2(regulator)
              .accept("text/csv")
              .get("/reports/aef?year=" + year)
              .then()
              .statusCode(200)
              .extract()
              .asString();
      byte[] xlsx =
          given()
              .auth()
              .oauth2(regulator)
              .accept(XLSX)
              .get("/reports/aef?year=" + year)
              .then()
              .statusCode(200)
              .contentType(XLSX)
              .extract()
              .asByteArray();
      String after =
          given()
              .auth()
              .oauth2(regulator)
              .get("/reports/aef?year=" + year)
              .then()
              .statusCode(200)
              .extract()
              .asString();
      if (stable(before).equals(stable(after))) {
        assertEquals(csv.get("actions"), defaultTable, "the default CSV table is actions");
        return new Snapshot(before, body(before), csv, xlsx);
      }
    }
    throw new AssertionError("the registry kept changing under the report");
  }

  private static JsonNode stable(String report) {
    ObjectNode node = (ObjectNode) body(report);
    ((ObjectNode) node.get("submission")).remove(List.of("generatedAt", "holdingsAsOf"));
    return node;
  }

  private static Expected asExpected(JsonNode row) {
    return new Expected(
        row.get("actionType").asText(),
        row.get("actionSubtype").isNull() ? null : row.get("actionSubtype").asText(),
        row.get("recordId").asText(),
        row.get("firstUnitId").asText(),
        row.get("lastUnitId").asText(),
        row.get("quantity").asLong(),
        LocalDate.parse(row.get("actionDate").asText()),
        text(row, "transferringParty"),
        text(row, "acquiringParty"),
        text(row, "usingParty"));
  }

  private static String text(JsonNode row, String field) {
    return row.get(field) == null || row.get(field).isNull() ? null : row.get(field).asText();
  }

  private static Map<String, String> summary(List<Expected> rows) {
    Map<String, long[]> sums = new TreeMap<>();
    for (Expected e : rows) {
      long[] s = sums.computeIfAbsent(e.key(), k -> new long[2]);
      s[0]++;
      s[1] += e.quantity();
    }
    Map<String, String> result = new TreeMap<>();
    sums.forEach((k, s) -> result.put(k, s[0] + " rows, " + s[1] + " tCO2e"));
    return result;
  }

  private static Map<String, String> summaryOfReport(List<JsonNode> rows) {
    return summary(rows.stream().map(AefTieOutTest::asExpected).toList());
  }

  private static List<String> lines(List<Expected> rows) {
    return rows.stream().map(Expected::line).sorted().toList();
  }

  /**
   * The unit id of a unit id + serial ({@code {unitId}-{serial}}) if it is one of this test's
   * units, else null.
   */
  private String unitOf(String unitIdAndSerial) {
    int dash = unitIdAndSerial.lastIndexOf('-');
    String unitId = dash < 0 ? unitIdAndSerial : unitIdAndSerial.substring(0, dash);
    return units.containsKey(unitId) ? unitId : null;
  }

  private static long serialOf(String unitIdAndSerial) {
    return Long.parseLong(unitIdAndSerial.substring(unitIdAndSerial.lastIndexOf('-') + 1));
  }

  private static String serial(String unitId, long serial) {
    return unitId + "-" + String.format(Locale.ROOT, "%06d", serial);
  }

  /**
   * The (a)-(e) form written out: cooperative approach, originating registry, first transferring
   * party, unit id and serial, vintage.
   */
  private static String itmoId(UnitData data, String unitId, long serial) {
    String approach =
        data.cooperativeApproach() == null ? "NA" : data.cooperativeApproach().replace(' ', '_');
    return approach
        + "-"
        + data.originatingRegistry()
        + "-"
        + data.firstTransferringParty()
        + "-"
        + unitId
        + "."
        + String.format(Locale.ROOT, "%06d", serial)
        + "-"
        + data.vintage();
  }

  /** Start and end of a block serial {@code {unitId}-{start}-{end}}. */
  private static long[] range(String blockSerial) {
    String[] parts = blockSerial.split("-");
    return new long[] {
      Long.parseLong(parts[parts.length - 2]), Long.parseLong(parts[parts.length - 1])
    };
  }

  private static int column(Sheet sheet, String name) {
    for (Cell cell : sheet.getRow(0)) {
      if (name.equals(cell.getStringCellValue())) {
        return cell.getColumnIndex();
      }
    }
    throw new AssertionError("no column " + name + " in sheet " + sheet.getSheetName());
  }

  private static List<Map<String, String>> parseCsv(String text) {
    try (MappingIterator<Map<String, String>> it =
        new CsvMapper()
            .readerFor(Map.class)
            .with(CsvSchema.emptySchema().withHeader())
            .readValues(text)) {
      List<Map<String, String>> rows = new ArrayList<>();
      while (it.hasNext()) {
        rows.add(new LinkedHashMap<>(it.next()));
      }
      return rows;
    } catch (IOException e) {
      throw new AssertionError("unreadable CSV: " + text, e);
    }
  }

  private static List<Map<String, String>> flatAll(JsonNode rows) {
    List<Map<String, String>> result = new ArrayList<>();
    rows.forEach(r -> result.add(flat(r)));
    return result;
  }

  /** A JSON row as CSV carries it: every field as text, null as empty. */
  private static Map<String, String> flat(JsonNode row) {
    Map<String, String> result = new LinkedHashMap<>();
    row.fields()
        .forEachRemaining(
            f -> result.put(f.getKey(), f.getValue().isNull() ? "" : f.getValue().asText()));
    return result;
  }

  private static List<JsonNode> iterable(JsonNode array) {
    List<JsonNode> list = new ArrayList<>();
    array.forEach(list::add);
    return list;
  }

  private static JsonNode body(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }
}
