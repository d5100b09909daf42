package org.tanso.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.audit.AuditFixture.awaitEntry;
import static org.tanso.audit.AuditFixture.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.Test;
import org.tanso.events.Topics;
import org.tanso.testing.TestTokens;

@QuarkusTest
class AuditLogTest {

  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyEventIsLoggedOnceWithAChainedHash() throws Exception {
    String account = "JP-100-" + String.format("%06d", (int) (Math.random() * 900000)) + "-00";
    UUID first =
        publish(
            Topics.REGISTRY_EVENTS,
            "tanso.registry.AccountOpened.v1",
            account,
            "{\"number\":\"" + account + "\",\"status\":\"OPEN\"}");
    UUID second =
        publish(
            Topics.ISSUANCE_EVENTS,
            "tanso.issuance.IssuanceRequested.v1",
            "REQ-" + first,
            "{\"requestId\":\"REQ-"
                + first
                + "\",\"project\":\"VN001\",\"to\":\""
                + account
                + "\"}");
    // the same event delivered again, and a record that is not JSON at all
    publish(
        Topics.REGISTRY_EVENTS,
        first,
        "tanso.registry.AccountOpened.v1",
        account,
        "{\"number\":\"" + account + "\",\"status\":\"OPEN\"}");
    UUID poison =
        publish(Topics.REGISTRY_EVENTS, "tanso.registry.CreditsTransferred.v1", account, "{broken");
    long s1 = awaitEntry(account, first);
    long s2 = awaitEntry(account, second);
    long s3 = awaitEntry(account, poison);
    assertTrue(s1 < s3 && s2 != s1 && s2 != s3);

    JsonPath entries =
        given()
            .auth()
            .oauth2(TestTokens.regulator())
            .queryParam("subject", account)
            .get("/audit/entries")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertEquals(3, entries.getList("items").size(), "one entry per event id");
    JsonPath poisoned =
        given()
            .auth()
            .oauth2(TestTokens.regulator())
            .get("/audit/entries/" + s3)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertEquals("{broken", poisoned.getString("payload"));

    // chain: each entry's prevHash is the hash of the entry before it
    JsonPath previous =
        given()
            .auth()
            .oauth2(TestTokens.regulator())
            .get("/audit/entries/" + (s3 - 1))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertEquals(previous.getString("hash"), poisoned.getString("prevHash"));
    // and the hash is SHA-256(prev ‖ canonical entry), recomputed here without the service's code
    byte[] canonical = canonicalLeaf(s3);
    String expected =
        java.util.HexFormat.of()
            .formatHex(
                IndependentVerifier.sha256(
                    IndependentVerifier.hex(poisoned.getString("prevHash")), canonical));
    assertEquals(expected, poisoned.getString("hash"));

    given()
        .auth()
        .oauth2(TestTokens.regulator())
        .get("/audit/verification")
        .then()
        .statusCode(200)
        .body("ok", is(true));
  }

  @Test
  void inclusionAndConsistencyProofsVerifyIndependentlyAgainstASignedCheckpoint() throws Exception {
    String subject = "VN" + UUID.randomUUID().toString().substring(0, 6);
    UUID last = null;
    for (int i = 0; i < 13; i++) {
      last =
          publish(
              Topics.ISSUANCE_EVENTS,
              "tanso.issuance.ProjectRegistered.v1",
              subject,
              "{\"id\":\"" + subject + "\",\"n\":" + i + "}");
    }
    long seq = awaitEntry(subject, last);
    long firstSize = seq - 5;

    // a fresh checkpoint covering everything so far
    given()
        .auth()
        .oauth2(TestTokens.regulator())
        .get("/audit/verification")
        .then()
        .statusCode(200)
        .body("ok", is(true));
    JsonPath checkpoint = awaitCheckpointAtLeast(seq);
    long treeSize = checkpoint.getLong("treeSize");
    String pem = given().get("/audit/public-key").then().statusCode(200).extract().asString();
    assertTrue(
        IndependentVerifier.checkpointSignature(
            pem,
            treeSize,
            checkpoint.getString("rootHash"),
            checkpoint.getString("timestamp"),
            checkpoint.getString("signature")));
    assertFalse(
        IndependentVerifier.checkpointSignature(
            pem,
            treeSize + 1,
            checkpoint.getString("rootHash"),
            checkpoint.getString("timestamp"),
            checkpoint.getString("signature")));

    byte[] root = IndependentVerifier.hex(checkpoint.getString("rootHash"));
    for (long s : new long[] {1, seq - 3, seq, treeSize}) {
      JsonPath proof =
          given()
              .auth()
              .oauth2(TestTokens.regulator())
              .queryParam("seq", s)
              .queryParam("treeSize", treeSize)
              .get("/audit/proofs/inclusion")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      byte[] leafHash = IndependentVerifier.leafHash(canonicalLeaf(s));
      assertEquals(
          java.util.HexFormat.of().formatHex(leafHash),
          proof.getString("leafHash"),
          "leaf hash of entry " + s);
      assertTrue(
          IndependentVerifier.inclusion(
              proof.getLong("leafIndex"),
              treeSize,
              leafHash,
              IndependentVerifier.hexes(proof.getList("auditPath")),
              root),
          "inclusion of " + s + " in " + treeSize);
      // a wrong leaf must fail
      assertFalse(
          IndependentVerifier.inclusion(
              proof.getLong("leafIndex"),
              treeSize,
              IndependentVerifier.leafHash(new byte[] {42}),
              IndependentVerifier.hexes(proof.getList("auditPath")),
              root));
    }

    JsonPath consistency =
        given()
            .auth()
            .oauth2(TestTokens.regulator())
            .queryParam("first", firstSize)
            .queryParam("second", treeSize)
            .get("/audit/proofs/consistency")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    byte[] firstRoot = IndependentVerifier.hex(consistency.getString("firstRootHash"));
    assertTrue(
        IndependentVerifier.consistency(
            firstSize,
            treeSize,
            firstRoot,
            root,
            IndependentVerifier.hexes(consistency.getList("proof"))));
    byte[] otherRoot = IndependentVerifier.sha256("not the root".getBytes(StandardCharsets.UTF_8));
    assertFalse(
        IndependentVerifier.consistency(
            firstSize,
            treeSize,
            otherRoot,
            root,
            IndependentVerifier.hexes(consistency.getList("proof"))));
    // the first root itself is the root of the first firstSize leaves, recomputed from the leaves
    // here
    assertEquals(
        java.util.HexFormat.of().formatHex(rootOfFirst(firstSize)),
        consistency.getString("firstRootHash"));
  }

  @Test
  void onlyRegulatorsReadTheLogAndBadParametersAreRefused() {
    given()
        .auth()
        .oauth2(TestTokens.marketOperator())
        .get("/audit/entries")
        .then()
        .statusCode(403)
        .body("code", is("FORBIDDEN"));
    given()
        .auth()
        .oauth2(TestTokens.registryAdmin("a"))
        .get("/audit/entries/1")
        .then()
        .statusCode(403);
    given().get("/audit/entries").then().statusCode(401);
    given().get("/audit/public-key").then().statusCode(200);
    given()
        .auth()
        .oauth2(TestTokens.marketOperator())
        .get("/audit/checkpoints/latest")
        .then()
        .statusCode(org.hamcrest.Matchers.oneOf(200, 404));
    given()
        .auth()
        .oauth2(TestTokens.regulator())
        .queryParam("seq", 0)
        .get("/audit/proofs/inclusion")
        .then()
        .statusCode(400)
        .body("code", is("MALFORMED_REQUEST"));
    given()
        .auth()
        .oauth2(TestTokens.regulator())
        .queryParam("seq", "x")
        .get("/audit/proofs/inclusion")
        .then()
        .statusCode(400);
    given()
        .auth()
        .oauth2(TestTokens.regulator())
        .queryParam("seq", 1)
        .queryParam("treeSize", Long.MAX_VALUE)
        .get("/audit/proofs/inclusion")
        .then()
        .statusCode(404)
        .body("code", is("TREE_SIZE_UNKNOWN"));
    given()
        .auth()
        .oauth2(TestTokens.regulator())
        .queryParam("first", 5)
        .queryParam("second", 2)
        .get("/audit/proofs/consistency")
        .then()
        .statusCode(400);
    given()
        .auth()
        .oauth2(TestTokens.regulator())
        .queryParam("limit", 5000)
        .get("/audit/entries")
        .then()
        .statusCode(400);
    given()
        .auth()
        .oauth2(TestTokens.regulator())
        .queryParam("from", "yesterday")
        .get("/audit/entries")
        .then()
        .statusCode(400);
    given()
        .auth()
        .oauth2(TestTokens.regulator())
        .get("/audit/entries/999999999")
        .then()
        .statusCode(404)
        .body("code", is("ENTRY_NOT_FOUND"));
  }

  @Test
  void entriesFilterByTypeAndTimeAndPageWithACursor() {
    String subject = "RQ" + UUID.randomUUID().toString().substring(0, 8);
    UUID last = null;
    for (int i = 0; i < 5; i++) {
      last =
          publish(
              Topics.ISSUANCE_EVENTS,
              i % 2 == 0
                  ? "tanso.issuance.IssuanceApproved.v1"
                  : "tanso.issuance.IssuanceRejected.v1",
              subject,
              "{\"requestId\":\"" + subject + "\",\"i\":" + i + "}");
    }
    awaitEntry(subject, last);
    JsonPath page1 =
        given()
            .auth()
            .oauth2(TestTokens.regulator())
            .queryParam("subject", subject)
            .queryParam("limit", 2)
            .get("/audit/entries")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertEquals(2, page1.getList("items").size());
    JsonPath page2 =
        given()
            .auth()
            .oauth2(TestTokens.regulator())
            .queryParam("subject", subject)
            .queryParam("limit", 2)
            .queryParam("after", page1.getString("next"))
            .get("/audit/entries")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    JsonPath page3 =
        given()
            .auth()
            .oauth2(TestTokens.regulator())
            .queryParam("subject", subject)
            .queryParam("limit", 2)
            .queryParam("after", page2.getString("next"))
            .get("/audit/entries")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertEquals(1, page3.getList("items").size());
    assertEquals(null, page3.getString("next"));
    assertNotEquals(page1.getLong("items[0].seq"), page2.getLong("items[0].seq"));
    given()
        .auth()
        .oauth2(TestTokens.regulator())
        .queryParam("subject", subject)
        .queryParam("type", "tanso.issuance.IssuanceApproved.v1")
        .get("/audit/entries")
        .then()
        .statusCode(200)
        .body("items.size()", is(3));
    given()
        .auth()
        .oauth2(TestTokens.regulator())
        .queryParam("subject", subject)
        .queryParam("from", "2000-01-01T00:00:00Z")
        .queryParam("to", "2001-01-01T00:00:00Z")
        .get("/audit/entries")
        .then()
        .statusCode(200)
        .body("items.size()", is(0));
  }

  /**
   * RFC 8785 canonical JSON of the entry without prevHash and hash, built from the API response.
   */
  static byte[] canonicalLeaf(long seq) throws Exception {
    String body =
        given()
            .auth()
            .oauth2(TestTokens.regulator())
            .get("/audit/entries/" + seq)
            .then()
            .statusCode(200)
            .extract()
            .asString();
    ObjectNode entry = (ObjectNode) JSON.readTree(body);
    entry.remove("prevHash");
    entry.remove("hash");
    return new JsonCanonicalizer(JSON.writeValueAsString(entry)).getEncodedUTF8();
  }

  private static byte[] rootOfFirst(long n) throws Exception {
    List<byte[]> level = new java.util.ArrayList<>();
    for (long s = 1; s <= n; s++) {
      level.add(IndependentVerifier.leafHash(canonicalLeaf(s)));
    }
    return mth(level);
  }

  private static byte[] mth(List<byte[]> leaves) throws Exception {
    if (leaves.size() == 1) {
      return leaves.get(0);
    }
    int k = Integer.highestOneBit(leaves.size() - 1);
    return IndependentVerifier.node(
        mth(leaves.subList(0, k)), mth(leaves.subList(k, leaves.size())));
  }

  private static JsonPath awaitCheckpointAtLeast(long size) {
    JsonPath[] latest = new JsonPath[1];
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .pollInterval(java.time.Duration.ofMillis(250))
        .until(
            () -> {
              var response =
                  given().auth().oauth2(TestTokens.regulator()).get("/audit/checkpoints/latest");
              if (response.statusCode() != 200) {
                return false;
              }
              latest[0] = response.jsonPath();
              return latest[0].getLong("treeSize") >= size;
            });
    return latest[0];
  }
}
