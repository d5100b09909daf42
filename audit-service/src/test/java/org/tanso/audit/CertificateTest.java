package org.tanso.audit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.audit.AuditFixture.awaitEntry;
import static org.tanso.audit.AuditFixture.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.Test;
import org.tanso.audit.log.AuditLog;
import org.tanso.audit.log.LegacyAppend;
import org.tanso.events.Topics;
import org.tanso.testing.TestTokens;

/**
 * The public retirement certificate: a one-page PDF whose embedded proof a regulator checks with
 * nothing but the published key; and that key as PEM or JWK.
 */
@QuarkusTest
class CertificateTest {

  static final ObjectMapper JSON = new ObjectMapper();

  @Inject Scheduler scheduler;
  @Inject AuditLog log;

  /**
   * A retirement of authorised units whose corresponding adjustment was applied, as logged; {@code
   * holder} is the participant holding the account, which a producer might one day add to its
   * events: it must not reach a public record either.
   */
  record Retired(
      String retirementId,
      String account,
      String holder,
      String unitId,
      String project,
      UUID eventId,
      long seq) {}

  /** An account number as registry-service gives them. */
  static final Pattern ACCOUNT_NUMBER = Pattern.compile("[A-Z]{2}-\\d{3}-\\d{6}-\\d{2}");

  static Retired retire() {
    int n = ThreadLocalRandom.current().nextInt(100, 999);
    String project = "MN" + n;
    String unitId = "A6_4-MN-" + project + "-2025-0001";
    String account = "JP-100-" + String.format("%06d", n * 1000 + n) + "-95";
    String retirementId =
        "RET-2026-" + String.format("%08d", ThreadLocalRandom.current().nextInt(1, 99_999_999));
    publish(
        Topics.REGISTRY_EVENTS,
        "tanso.registry.CreditsIssued.v1",
        unitId,
        ("{'requestId':'%s','unitId':'%s','project':'%s','mechanism':'A6_4','hostParty':'MN',"
                + "'vintage':2025,'monitoringStart':'2025-01-01','monitoringEnd':'2025-12-31',"
                + "'quantity':12345,'authorisationStatus':'AUTHORISED','correspondingAdjustment':"
                + "'REQUIRED','article6':{'authorisationId':'MN-A6-AUTH-2024-007','purpose':'NDC',"
                + "'cooperativeApproach':'Article 6.4 mechanism','originatingPartyRegistry':"
                + "'MN-A6_4','firstTransferringParty':'MN','firstSerial':1,'lastSerial':12345,"
                + "'vintage':2025},'blocks':[{'serial':'%s-000001-012345','unitId':'%s','start':1,"
                + "'end':12345,'quantity':12345,'account':'%s','state':'ACTIVE'}],"
                + "'issuedAt':'2026-03-01T10:15:34.208117Z'}")
            .formatted(UUID.randomUUID(), unitId, project, unitId, unitId, account)
            .replace('\'', '"'));
    publish(
        Topics.REGISTRY_EVENTS,
        "tanso.registry.FirstTransferRecorded.v1",
        unitId,
        ("{'registry':'MN-A6_4','transactionId':'%s','trigger':'AUTHORISATION','triggeredBy':'%s',"
                + "'firstTransferringParty':'MN','quantity':12345,'blocks':[{'serial':"
                + "'%s-000001-012345','unitId':'%s','start':1,'end':12345,'quantity':12345,"
                + "'account':'%s','state':'ACTIVE'}],'at':'2026-03-01T10:15:35Z'}")
            .formatted(UUID.randomUUID(), UUID.randomUUID(), unitId, unitId, account)
            .replace('\'', '"'));
    String holder = "kansai-steel-" + n;
    UUID retired =
        publish(
            Topics.REGISTRY_EVENTS,
            "tanso.registry.CreditsRetired.v1",
            account,
            retirementPayload(retirementId, account, unitId, holder));
    long seq = awaitEntry(account, retired);
    return new Retired(retirementId, account, holder, unitId, project, retired, seq);
  }

  static String retirementPayload(String retirementId, String account, String unitId) {
    return retirementPayload(retirementId, account, unitId, "kansai-steel");
  }

  static String retirementPayload(
      String retirementId, String account, String unitId, String holder) {
    return ("{'transactionId':'%s','retirementId':'%s','account':'%s','holder':'%s',"
            + "'quantity':500,'beneficiary':'Kansai Steel Corporation','purpose':'NDC',"
            + "'usingParty':'JP','blocks':[{'serial':'%s-011846-012345','unitId':'%s',"
            + "'start':11846,'end':12345,'quantity':500,'account':'%s','holder':'%s',"
            + "'state':'RETIRED'}],'at':'2026-03-05T08:42:17.304512Z'}")
        .formatted(
            UUID.randomUUID(), retirementId, account, holder, unitId, unitId, account, holder)
        .replace('\'', '"');
  }

  /** The log's public records of a retirement. */
  static List<JsonNode> publicRecords(String retirementId) throws Exception {
    JsonNode page =
        JSON.readTree(
            given()
                .auth()
                .oauth2(TestTokens.regulator())
                .queryParam("subject", retirementId)
                .queryParam("type", AuditLog.RETIREMENT_PUBLISHED)
                .get("/audit/entries")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    List<JsonNode> records = new ArrayList<>();
    page.get("items").forEach(records::add);
    return records;
  }

  static JsonNode entry(long seq) throws Exception {
    return JSON.readTree(
        given()
            .auth()
            .oauth2(TestTokens.regulator())
            .get("/audit/entries/" + seq)
            .then()
            .statusCode(200)
            .extract()
            .asString());
  }

  /** The leaf hash of an entry as served, by the independent verifier. */
  static String leafHash(JsonNode served) throws Exception {
    ObjectNode entry = (ObjectNode) served.deepCopy();
    entry.remove("prevHash");
    entry.remove("hash");
    return HexFormat.of()
        .formatHex(
            IndependentVerifier.leafHash(
                new JsonCanonicalizer(JSON.writeValueAsString(entry)).getEncodedUTF8()));
  }

  /** The certificate once a checkpoint covers the retirement (a checkpoint follows within 1 s). */
  static Response certificate(String retirementId) {
    Response[] r = new Response[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> (r[0] = given().get("/public/certificates/" + retirementId)).statusCode() != 409);
    return r[0];
  }

  @Test
  void theCertificateIsOnePageWithEveryFieldAndAProofTheIndependentVerifierAccepts()
      throws Exception {
    Retired retired = retire();
    Response response = certificate(retired.retirementId());
    response.then().statusCode(200).contentType("application/pdf");
    String etag = response.header("ETag");
    assertNotNull(etag);
    assertTrue(
        response.header("Cache-Control").contains("max-age"), response.header("Cache-Control"));
    byte[] pdf = response.asByteArray();

    byte[] proofBytes;
    String text;
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      assertEquals(1, doc.getNumberOfPages(), "one page");
      PDComplexFileSpecification spec =
          doc.getDocumentCatalog().getNames().getEmbeddedFiles().getNames().get("proof.json");
      assertNotNull(spec, "proof.json is attached");
      assertEquals("application/json", spec.getEmbeddedFile().getSubtype());
      proofBytes = spec.getEmbeddedFile().toByteArray();
      text = new PDFTextStripper().getText(doc);
      BufferedImage image = new PDFRenderer(doc).renderImageWithDPI(0, 110);
      Path png = Path.of("target", "certificate.png");
      Files.createDirectories(png.getParent());
      ImageIO.write(image, "png", png.toFile());
      Files.write(Path.of("target", "certificate.pdf"), pdf);
    }
    JsonNode proof = JSON.readTree(proofBytes);
    String pem = given().get("/audit/public-key").then().statusCode(200).extract().asString();
    Files.writeString(Path.of("target", "audit-public.pem"), pem);
    assertTrue(verifies(proof, pem), "the embedded proof verifies with the published key alone");
    assertEquals(retired.retirementId(), proof.at("/entry/payload/retirementId").asText());

    // what is proved is the public record, and nothing in the file or on the page names the holder
    JsonNode record = proof.get("entry");
    assertEquals(AuditLog.RETIREMENT_PUBLISHED, record.get("type").asText());
    assertEquals(retired.retirementId(), record.get("subject").asText());
    assertEquals(retired.seq() + 1, record.get("seq").asLong(), "right after its CreditsRetired");
    String proofText = new String(proofBytes, StandardCharsets.UTF_8);
    for (String published :
        List.of(proofText, text, new String(pdf, StandardCharsets.ISO_8859_1))) {
      assertFalse(ACCOUNT_NUMBER.matcher(published).find(), "no account number:\n" + published);
      assertFalse(published.contains(retired.holder()), "no participant id:\n" + published);
    }
    JsonNode p = record.get("payload");
    assertEquals("Kansai Steel Corporation", p.get("beneficiary").asText());
    assertEquals(500, p.get("quantity").asLong());
    assertEquals(
        JSON.readTree(
            ("[{'serial':'%s-011846-012345','unitId':'%s','start':11846,'end':12345,"
                    + "'quantity':500}]")
                .formatted(retired.unitId(), retired.unitId())
                .replace('\'', '"')),
        p.get("blocks"));
    JsonNode unit = p.at("/units/0");
    assertEquals(retired.project(), unit.get("project").asText());
    assertEquals("MN-A6-AUTH-2024-007", unit.at("/article6/authorisationId").asText());
    // the public record names the private entries it comes from, and they are what it says
    JsonNode source = entry(p.at("/source/seq").asLong());
    assertEquals(retired.eventId().toString(), source.get("eventId").asText());
    assertEquals(leafHash(source), p.at("/source/leafHash").asText());
    JsonNode issuance = entry(unit.at("/issuance/seq").asLong());
    assertEquals("tanso.registry.CreditsIssued.v1", issuance.get("type").asText());
    assertEquals(retired.unitId(), issuance.at("/payload/unitId").asText());
    assertEquals(leafHash(issuance), unit.at("/issuance/leafHash").asText());

    JsonNode cp = proof.get("checkpoint");
    String flat = text.replaceAll("\\s+", " ");
    for (String field :
        List.of(
            retired.retirementId(),
            "Kansai Steel Corporation",
            "NDC",
            "Using party JP",
            "500 units",
            retired.unitId(),
            "serials 11846 to 12345",
            retired.project(),
            "VINTAGE 2025",
            "PROJECT " + retired.project(),
            "MN-A6-AUTH-2024-007",
            "Article 6.4 mechanism",
            "originating registry MN-A6_4",
            "first transferring party MN",
            "APPLIED by MN",
            "5 March 2026",
            "sequence " + proof.at("/entry/seq").asLong(),
            proof.get("leafHash").asText(),
            "tree size " + cp.get("treeSize").asLong(),
            cp.get("rootHash").asText(),
            cp.get("keyId").asText(),
            cp.get("signature").asText(),
            proof.get("auditPath").size() == 0 ? "" : proof.get("auditPath").get(0).asText(),
            "/public/certificates/"
                + retired.retirementId()
                + "?seq="
                + proof.at("/entry/seq").asLong()
                + "&size="
                + cp.get("treeSize").asLong())) {
      assertTrue(flat.contains(field), "the page shows " + field + "\n" + flat);
    }
    assertFalse(flat.contains(retired.account()), "the holder's account is not published");

    // the same certificate again: a 304 for its tag, the same tag through the verification link
    given()
        .header("If-None-Match", etag)
        .get("/public/certificates/" + retired.retirementId())
        .then()
        .statusCode(304);
    given()
        .queryParam("seq", proof.at("/entry/seq").asLong())
        .queryParam("size", cp.get("treeSize").asLong())
        .get("/public/certificates/" + retired.retirementId())
        .then()
        .statusCode(200)
        .header("ETag", etag);

    // an attachment changed after issuance no longer verifies
    ObjectNode tampered = (ObjectNode) proof.deepCopy();
    ((ObjectNode) tampered.at("/entry/payload")).put("beneficiary", "Someone Else Ltd");
    JsonNode reread = JSON.readTree(reattach(pdf, JSON.writeValueAsBytes(tampered)));
    assertEquals("Someone Else Ltd", reread.at("/entry/payload/beneficiary").asText());
    assertFalse(verifies(reread, pem), "a tampered entry fails");
    ObjectNode otherTime = (ObjectNode) proof.deepCopy();
    ((ObjectNode) otherTime.get("checkpoint")).put("timestamp", "2030-01-01T00:00:00Z");
    assertFalse(verifies(otherTime, pem), "a checkpoint changed after signing fails");
  }

  @Test
  void aRetirementNotInTheLogIs404AndAMalformedIdIs400() {
    given()
        .get("/public/certificates/RET-2026-" + String.format("%08d", 99_999_998))
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("code", is("RETIREMENT_NOT_FOUND"))
        .body("detail", containsString("has not reached the audit log"));
    for (String bad : List.of("not-a-retirement", "RET-26-1", "RET-2026-00000017x")) {
      given()
          .get("/public/certificates/" + bad)
          .then()
          .statusCode(400)
          .body("code", is("MALFORMED_REQUEST"));
    }
    given()
        .queryParam("seq", "x")
        .get("/public/certificates/RET-2026-00000001")
        .then()
        .statusCode(400)
        .body("code", is("MALFORMED_REQUEST"));
  }

  @Test
  void aRetirementNoCheckpointCoversYetIs409UntilOneDoes() throws Exception {
    String account =
        "JP-100-" + String.format("%06d", ThreadLocalRandom.current().nextInt(1, 999_999)) + "-95";
    String retirementId =
        "RET-2026-" + String.format("%08d", ThreadLocalRandom.current().nextInt(1, 99_999_999));
    scheduler.pause();
    try {
      // a checkpoint exists, just not one that covers the retirement
      log.append(UUID.randomUUID(), "tanso.registry.AccountOpened.v1", account, null, "{}");
      log.checkpointNow();
      // the retirement and its public record are two entries: neither may be a hundredth
      while ((log.size() + 1) % 100 == 0 || (log.size() + 2) % 100 == 0) {
        // the hundredth entry is checkpointed as it is appended
        log.append(UUID.randomUUID(), "tanso.registry.AccountOpened.v1", account, null, "{}");
      }
      long seq =
          log.append(
                  UUID.randomUUID(),
                  "tanso.registry.CreditsRetired.v1",
                  account,
                  null,
                  retirementPayload(retirementId, account, "JCM-VN-VN001-2025-0003"))
              .orElseThrow();
      given()
          .get("/public/certificates/" + retirementId)
          .then()
          .statusCode(409)
          .contentType("application/problem+json")
          .header("Retry-After", "1")
          .header("Cache-Control", "no-store")
          .body("code", is("CERTIFICATE_NOT_READY"))
          .body("detail", containsString("no signed checkpoint covers it yet"));
      log.checkpointNow();
      given().get("/public/certificates/" + retirementId).then().statusCode(200);
      // the link's size must name a signed checkpoint that covers the entry
      for (long size : seq > 1 ? List.of(seq - 1, 1_000_000_000L) : List.of(1_000_000_000L)) {
        given()
            .queryParam("size", size)
            .get("/public/certificates/" + retirementId)
            .then()
            .statusCode(404)
            .body("code", is("CHECKPOINT_NOT_FOUND"));
      }
    } finally {
      scheduler.resume();
    }
  }

  @Test
  void aRetirementDeliveredTwiceHasOnePublicRecordRightAfterIt() throws Exception {
    Retired retired = retire();
    List<JsonNode> records = publicRecords(retired.retirementId());
    assertEquals(1, records.size(), "one public record");
    assertEquals(retired.seq() + 1, records.get(0).get("seq").asLong());

    // the same event again, as at-least-once delivery may bring it
    publish(
        Topics.REGISTRY_EVENTS,
        retired.eventId(),
        "tanso.registry.CreditsRetired.v1",
        retired.account(),
        retirementPayload(retired.retirementId(), retired.account(), retired.unitId()));
    AuditFixture.awaitConsumed(Topics.REGISTRY_EVENTS);
    assertEquals(1, publicRecords(retired.retirementId()).size(), "still one public record");
    assertEquals(records.get(0), publicRecords(retired.retirementId()).get(0));
  }

  @Test
  void aRetirementLoggedWithoutItsPublicRecordGetsItOnceAtStartUpOrAtItsFirstCertificate()
      throws Exception {
    String account =
        "JP-100-" + String.format("%06d", ThreadLocalRandom.current().nextInt(1, 999_999)) + "-95";
    String atStartUp =
        "RET-2026-" + String.format("%08d", ThreadLocalRandom.current().nextInt(1, 99_999_999));
    String onRequest =
        "RET-2026-" + String.format("%08d", ThreadLocalRandom.current().nextInt(1, 99_999_999));
    // logged as before the log had public records
    for (String id : List.of(atStartUp, onRequest)) {
      LegacyAppend.append(
          log,
          new AuditLog.Event(
              UUID.randomUUID(),
              "tanso.registry.CreditsRetired.v1",
              account,
              null,
              retirementPayload(id, account, "JCM-VN-VN001-2025-0003")));
      assertEquals(0, publicRecords(id).size(), "no public record yet");
    }

    // the catch-up a start-up runs appends every missing record, and only once
    assertEquals(2, log.publishRetirementsIfMissing());
    assertEquals(0, log.publishRetirementsIfMissing());
    assertEquals(0, log.publishRetirements());
    for (String id : List.of(atStartUp, onRequest)) {
      assertEquals(1, publicRecords(id).size(), "one public record of " + id);
    }
    Response response = certificate(atStartUp);
    response.then().statusCode(200);
    JsonNode proof = proofOf(response.asByteArray());
    assertEquals(AuditLog.RETIREMENT_PUBLISHED, proof.at("/entry/type").asText());
    assertTrue(verifies(proof, given().get("/audit/public-key").asString()));

    // one logged later without it: its first certificate request appends it, once
    String late =
        "RET-2026-" + String.format("%08d", ThreadLocalRandom.current().nextInt(1, 99_999_999));
    long seq =
        LegacyAppend.append(
                log,
                new AuditLog.Event(
                    UUID.randomUUID(),
                    "tanso.registry.CreditsRetired.v1",
                    account,
                    null,
                    retirementPayload(late, account, "JCM-VN-VN001-2025-0003")))
            .orElseThrow();
    Response lateCertificate = certificate(late);
    lateCertificate.then().statusCode(200);
    JsonNode lateProof = proofOf(lateCertificate.asByteArray());
    assertEquals(seq, lateProof.at("/entry/payload/source/seq").asLong());
    assertFalse(ACCOUNT_NUMBER.matcher(lateProof.toString()).find(), lateProof.toString());
    certificate(late).then().statusCode(200);
    assertEquals(1, publicRecords(late).size(), "one public record of " + late);
  }

  static JsonNode proofOf(byte[] pdf) throws Exception {
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      return JSON.readTree(
          doc.getDocumentCatalog()
              .getNames()
              .getEmbeddedFiles()
              .getNames()
              .get("proof.json")
              .getEmbeddedFile()
              .toByteArray());
    }
  }

  @Test
  void thePublicKeyIsPemByDefaultAndAJwkThatVerifiesCheckpointsWhenJsonIsAsked() throws Exception {
    retire();
    JsonNode checkpoint =
        JSON.readTree(
            await()
                .atMost(Duration.ofSeconds(30))
                .until(
                    () ->
                        given()
                            .auth()
                            .oauth2(TestTokens.regulator())
                            .get("/audit/checkpoints/latest"),
                    r -> r.statusCode() == 200)
                .asString());

    Response pem = given().get("/audit/public-key");
    pem.then().statusCode(200).contentType("application/x-pem-file");
    assertTrue(pem.asString().startsWith("-----BEGIN PUBLIC KEY-----"), pem.asString());
    given()
        .accept("*/*")
        .get("/audit/public-key")
        .then()
        .statusCode(200)
        .contentType("application/x-pem-file")
        .body(is(pem.asString()));

    for (String type : List.of("application/json", "application/jwk+json")) {
      Response r = given().accept(type).get("/audit/public-key");
      r.then().statusCode(200).contentType(type);
      JsonNode jwk = JSON.readTree(r.asString());
      assertEquals("OKP", jwk.get("kty").asText());
      assertEquals("Ed25519", jwk.get("crv").asText());
      assertEquals("sig", jwk.get("use").asText());
      assertEquals("EdDSA", jwk.get("alg").asText());
      assertEquals(checkpoint.get("keyId").asText(), jwk.get("kid").asText());
      byte[] x = Base64.getUrlDecoder().decode(jwk.get("x").asText());
      assertEquals(32, x.length);
      // the raw key in an X.509 SubjectPublicKeyInfo (RFC 8410), as a verifier would wrap it
      byte[] der = new byte[44];
      System.arraycopy(HexFormat.of().parseHex("302a300506032b6570032100"), 0, der, 0, 12);
      System.arraycopy(x, 0, der, 12, 32);
      String fromJwk =
          "-----BEGIN PUBLIC KEY-----\n"
              + Base64.getEncoder().encodeToString(der)
              + "\n-----END PUBLIC KEY-----\n";
      assertTrue(
          IndependentVerifier.checkpointSignature(
              fromJwk,
              checkpoint.get("treeSize").asLong(),
              checkpoint.get("rootHash").asText(),
              checkpoint.get("timestamp").asText(),
              checkpoint.get("signature").asText()),
          "the JWK's key verifies a checkpoint");
    }

    given()
        .accept("image/png")
        .get("/audit/public-key")
        .then()
        .statusCode(406)
        .body("code", is("NOT_ACCEPTABLE"))
        .body(
            "detail",
            is(
                "this resource answers with application/x-pem-file, application/json,"
                    + " application/jwk+json; the Accept header asks for none of them"));
  }

  /**
   * The check a regulator runs offline, with the independent verifier: the entry hashes to the
   * leaf, the audit path leads to the checkpoint's root, the checkpoint is signed by the key.
   */
  static boolean verifies(JsonNode proof, String publicKeyPem) throws Exception {
    ObjectNode entry = (ObjectNode) proof.get("entry").deepCopy();
    entry.remove("prevHash");
    entry.remove("hash");
    byte[] leaf = new JsonCanonicalizer(JSON.writeValueAsString(entry)).getEncodedUTF8();
    byte[] leafHash = IndependentVerifier.leafHash(leaf);
    JsonNode cp = proof.get("checkpoint");
    List<String> path = new ArrayList<>();
    proof.get("auditPath").forEach(h -> path.add(h.asText()));
    return HexFormat.of().formatHex(leafHash).equals(proof.get("leafHash").asText())
        && proof.get("treeSize").asLong() == cp.get("treeSize").asLong()
        && IndependentVerifier.inclusion(
            proof.get("leafIndex").asLong(),
            cp.get("treeSize").asLong(),
            leafHash,
            IndependentVerifier.hexes(path),
            IndependentVerifier.hex(cp.get("rootHash").asText()))
        && IndependentVerifier.checkpointSignature(
            publicKeyPem,
            cp.get("treeSize").asLong(),
            cp.get("rootHash").asText(),
            cp.get("timestamp").asText(),
            cp.get("signature").asText());
  }

  /** The PDF with its proof.json replaced, saved, and the attachment read back from the file. */
  static byte[] reattach(byte[] pdf, byte[] json) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      PDComplexFileSpecification spec =
          doc.getDocumentCatalog().getNames().getEmbeddedFiles().getNames().get("proof.json");
      PDEmbeddedFile file = new PDEmbeddedFile(doc, new ByteArrayInputStream(json));
      file.setSubtype("application/json");
      spec.setEmbeddedFile(file);
      spec.setEmbeddedFileUnicode(file);
      doc.save(out);
    }
    try (PDDocument doc = Loader.loadPDF(out.toByteArray())) {
      return doc.getDocumentCatalog()
          .getNames()
          .getEmbeddedFiles()
          .getNames()
          .get("proof.json")
          .getEmbeddedFile()
          .toByteArray();
    }
  }
}
