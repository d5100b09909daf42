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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
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

  /** A retirement of authorised units whose corresponding adjustment was applied, as logged. */
  record Retired(String retirementId, String account, String unitId, String project) {}

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
    UUID retired =
        publish(
            Topics.REGISTRY_EVENTS,
            "tanso.registry.CreditsRetired.v1",
            account,
            retirementPayload(retirementId, account, unitId));
    awaitEntry(account, retired);
    return new Retired(retirementId, account, unitId, project);
  }

  static String retirementPayload(String retirementId, String account, String unitId) {
    return ("{'transactionId':'%s','retirementId':'%s','account':'%s','quantity':500,"
            + "'beneficiary':'Kansai Steel Corporation','purpose':'NDC','usingParty':'JP',"
            + "'blocks':[{'serial':'%s-011846-012345','unitId':'%s','start':11846,'end':12345,"
            + "'quantity':500,'account':'%s','state':'RETIRED'}],"
            + "'at':'2026-03-05T08:42:17.304512Z'}")
        .formatted(UUID.randomUUID(), retirementId, account, unitId, unitId, account)
        .replace('\'', '"');
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
      if ((log.size() + 1) % 100 == 0) {
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
