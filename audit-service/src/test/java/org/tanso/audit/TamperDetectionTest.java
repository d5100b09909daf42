package org.tanso.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.audit.AuditFixture.awaitEntry;
import static org.tanso.audit.AuditFixture.publish;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tanso.events.Topics;
import org.tanso.testing.TestTokens;

/**
 * A superuser can bypass the triggers; the hash chain, the stored tree and the signed checkpoints
 * still catch the change. Runs on a database of its own (separate profile); every test puts the log
 * back as it was and checks that it verifies again, so the detection is the tampering's alone.
 */
@QuarkusTest
@TestProfile(TamperDetectionTest.OwnDatabase.class)
class TamperDetectionTest {

  public static class OwnDatabase implements QuarkusTestProfile {}

  static final String ZEROES = "0000000000000000000000000000000000000000000000000000000000000000";

  @Inject
  @DataSource("migration")
  AgroalDataSource superuser;

  @BeforeEach
  void logIsSound() {
    AuditFixture.settle();
    verification().body("ok", is(true));
  }

  @Test
  void aChangedEntryIsFoundByVerification() throws Exception {
    long lastSeq = entries("TD", 6);
    long victim = lastSeq - 2;
    String original = string("SELECT payload FROM audit_entry WHERE seq = " + victim);
    try {
      asSuperuser(
          "UPDATE audit_entry SET payload = replace(payload, '\"quantity\":', '\"quantity\":1000') WHERE seq = "
              + victim);
      verification().body("ok", is(false)).body("firstBadSeq", is((int) victim));
    } finally {
      asSuperuser(
          "UPDATE audit_entry SET payload = '"
              + original.replace("'", "''")
              + "' WHERE seq = "
              + victim);
    }
    verification().body("ok", is(true));
  }

  @Test
  void theFirstEntryChainsFromSixtyFourZeroesAndAChainFromAnyOtherGenesisFails() throws Exception {
    long lastSeq = entries("GE", 3);
    JsonPath first =
        given()
            .auth()
            .oauth2(TestTokens.regulator())
            .get("/audit/entries/1")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertEquals(ZEROES, first.getString("prevHash"));
    assertEquals(
        HexFormat.of()
            .formatHex(IndependentVerifier.sha256(new byte[32], AuditLogTest.canonicalLeaf(1))),
        first.getString("hash"),
        "hash of entry 1 = SHA-256(32 zero bytes ‖ canonical entry)");

    // rewrite the whole chain, consistently, from another genesis: only the genesis rule can tell
    List<String[]> saved = new java.util.ArrayList<>();
    String previous = "1".repeat(64);
    for (long seq = 1; seq <= lastSeq; seq++) {
      saved.add(
          new String[] {
            string("SELECT prev_hash FROM audit_entry WHERE seq = " + seq),
            string("SELECT hash FROM audit_entry WHERE seq = " + seq)
          });
    }
    try {
      for (long seq = 1; seq <= lastSeq; seq++) {
        String hash =
            HexFormat.of()
                .formatHex(
                    IndependentVerifier.sha256(
                        IndependentVerifier.hex(previous), AuditLogTest.canonicalLeaf(seq)));
        asSuperuser(
            "UPDATE audit_entry SET prev_hash = '"
                + previous
                + "', hash = '"
                + hash
                + "' WHERE seq = "
                + seq);
        previous = hash;
      }
      verification().body("ok", is(false)).body("firstBadSeq", is(1));
    } finally {
      for (long seq = 1; seq <= lastSeq; seq++) {
        String[] s = saved.get((int) seq - 1);
        asSuperuser(
            "UPDATE audit_entry SET prev_hash = '"
                + s[0]
                + "', hash = '"
                + s[1]
                + "' WHERE seq = "
                + seq);
      }
    }
    verification().body("ok", is(true));
  }

  @Test
  void aTruncatedLogIsFoundAgainstTheLatestCheckpoint() throws Exception {
    long lastSeq = entries("TR", 5);
    awaitCheckpoint(lastSeq);
    long keep = lastSeq - 2;
    asSuperuser(
        "CREATE TABLE saved_entry AS SELECT * FROM audit_entry WHERE seq > " + keep,
        "CREATE TABLE saved_subject AS SELECT * FROM audit_subject WHERE seq > " + keep,
        "CREATE TABLE saved_node AS SELECT * FROM merkle_node WHERE (idx + 1) << level > " + keep);
    try {
      // the last two entries gone, with everything that points at them: the log is shorter but
      // sound in itself
      asSuperuser(
          "DELETE FROM audit_subject WHERE seq > " + keep,
          "DELETE FROM audit_entry WHERE seq > " + keep,
          "DELETE FROM merkle_node WHERE (idx + 1) << level > " + keep);
      verification()
          .body("ok", is(false))
          .body("entries", is((int) keep))
          .body("problem", containsString("checkpoint at tree size"));
    } finally {
      asSuperuser(
          "INSERT INTO audit_entry SELECT * FROM saved_entry ON CONFLICT DO NOTHING",
          "INSERT INTO audit_subject SELECT * FROM saved_subject ON CONFLICT DO NOTHING",
          "INSERT INTO merkle_node SELECT * FROM saved_node ON CONFLICT DO NOTHING",
          "DROP TABLE saved_entry",
          "DROP TABLE saved_subject",
          "DROP TABLE saved_node");
    }
    verification().body("ok", is(true));
  }

  @Test
  void anAlteredCheckpointIsFound() throws Exception {
    long firstSize = entries("CP", 3);
    awaitCheckpoint(firstSize);
    long secondSize = entries("CQ", 3);
    JsonPath latest = awaitCheckpoint(secondSize);
    long latestSize = latest.getLong("treeSize");
    long older =
        Long.parseLong(
            string("SELECT max(tree_size) FROM checkpoint WHERE tree_size < " + latestSize));
    String olderRoot = string("SELECT root_hash FROM checkpoint WHERE tree_size = " + older);
    String olderSignature = string("SELECT signature FROM checkpoint WHERE tree_size = " + older);
    String latestRoot = latest.getString("rootHash");
    String latestSignature = latest.getString("signature");

    // the latest checkpoint's root replaced by the older (genuine) root
    alterAndRestore(
        "UPDATE checkpoint SET root_hash = '" + olderRoot + "' WHERE tree_size = " + latestSize,
        "UPDATE checkpoint SET root_hash = '" + latestRoot + "' WHERE tree_size = " + latestSize,
        "checkpoint at tree size " + latestSize + " does");
    // the latest checkpoint's signature replaced by a genuine signature of another checkpoint
    alterAndRestore(
        "UPDATE checkpoint SET signature = '"
            + olderSignature
            + "' WHERE tree_size = "
            + latestSize,
        "UPDATE checkpoint SET signature = '"
            + latestSignature
            + "' WHERE tree_size = "
            + latestSize,
        "checkpoint at tree size " + latestSize + " does");
    // an older checkpoint re-signed by nobody: its root changed to the latest one
    alterAndRestore(
        "UPDATE checkpoint SET root_hash = '" + latestRoot + "' WHERE tree_size = " + older,
        "UPDATE checkpoint SET root_hash = '" + olderRoot + "' WHERE tree_size = " + older,
        "checkpoint at tree size " + older + " does");
    // an older checkpoint's signature garbled
    alterAndRestore(
        "UPDATE checkpoint SET signature = '" + latestSignature + "' WHERE tree_size = " + older,
        "UPDATE checkpoint SET signature = '" + olderSignature + "' WHERE tree_size = " + older,
        "checkpoint at tree size " + older + " does");
  }

  @Test
  void anAlteredMerkleNodeIsFoundByVerificationAndBreaksTheInclusionProofsThatUseIt()
      throws Exception {
    long lastSeq = entries("MN", 8);
    JsonPath checkpoint = awaitCheckpoint(lastSeq);
    long treeSize = checkpoint.getLong("treeSize");
    byte[] root = IndependentVerifier.hex(checkpoint.getString("rootHash"));
    assertTrue(treeSize >= 8);
    assertTrue(inclusionVerifies(3, treeSize, root), "entry 3 before the change");
    // node (level 1, index 0) covers entries 1 and 2; no root of a tree of 4 or more entries reads
    // it,
    // but the audit paths of entries 3 and 4 carry it
    String original =
        string("SELECT encode(hash, 'hex') FROM merkle_node WHERE level = 1 AND idx = 0");
    String forged =
        HexFormat.of()
            .formatHex(
                IndependentVerifier.sha256(
                    "forged".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    try {
      asSuperuser("UPDATE merkle_node SET hash = '\\x" + forged + "' WHERE level = 1 AND idx = 0");
      assertFalse(inclusionVerifies(3, treeSize, root), "entry 3's proof from the altered node");
      verification().body("ok", is(false)).body("problem", containsString("level 1 index 0"));
    } finally {
      asSuperuser(
          "UPDATE merkle_node SET hash = '\\x" + original + "' WHERE level = 1 AND idx = 0");
    }
    verification().body("ok", is(true));
    assertTrue(inclusionVerifies(3, treeSize, root), "entry 3 after the restore");

    // a stored leaf hash
    String leaf = string("SELECT encode(hash, 'hex') FROM merkle_node WHERE level = 0 AND idx = 4");
    try {
      asSuperuser("UPDATE merkle_node SET hash = '\\x" + forged + "' WHERE level = 0 AND idx = 4");
      verification().body("ok", is(false)).body("firstBadSeq", is(5));
    } finally {
      asSuperuser("UPDATE merkle_node SET hash = '\\x" + leaf + "' WHERE level = 0 AND idx = 4");
    }
    // a node removed
    alterAndRestore(
        "DELETE FROM merkle_node WHERE level = 2 AND idx = 0",
        "INSERT INTO merkle_node VALUES (2, 0, '\\x"
            + string("SELECT encode(hash, 'hex') FROM merkle_node WHERE level = 2 AND idx = 0")
            + "')",
        "level 2");
    // a node added where no subtree of the log reaches, above a level the log leaves empty
    alterAndRestore(
        "INSERT INTO merkle_node VALUES (40, 0, '\\x" + forged + "')",
        "DELETE FROM merkle_node WHERE level = 40",
        "level 40");
  }

  private void alterAndRestore(String change, String undo, String problem) throws Exception {
    try {
      asSuperuser(change);
      verification()
          .body("ok", is(false))
          .body("problem", containsString(problem))
          .body("firstBadSeq", nullValue());
    } finally {
      asSuperuser(undo);
    }
    verification().body("ok", is(true));
  }

  private static boolean inclusionVerifies(long seq, long treeSize, byte[] root) throws Exception {
    JsonPath proof =
        given()
            .auth()
            .oauth2(TestTokens.regulator())
            .queryParam("seq", seq)
            .queryParam("treeSize", treeSize)
            .get("/audit/proofs/inclusion")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    return IndependentVerifier.inclusion(
        seq - 1,
        treeSize,
        IndependentVerifier.leafHash(AuditLogTest.canonicalLeaf(seq)),
        IndependentVerifier.hexes(proof.getList("auditPath")),
        root);
  }

  /** Appends n events and returns the sequence number of the last. */
  private static long entries(String prefix, int n) {
    String subject = prefix + UUID.randomUUID().toString().substring(0, 8);
    UUID last = null;
    for (int i = 0; i < n; i++) {
      last =
          publish(
              Topics.REGISTRY_EVENTS,
              "tanso.registry.CreditsTransferred.v1",
              subject,
              "{\"from\":\"" + subject + "\",\"quantity\":" + (i + 1) + "}");
    }
    return awaitEntry(subject, last);
  }

  private static JsonPath awaitCheckpoint(long size) {
    JsonPath[] latest = new JsonPath[1];
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              var response =
                  given().auth().oauth2(TestTokens.regulator()).get("/audit/checkpoints/latest");
              latest[0] = response.statusCode() == 200 ? response.jsonPath() : null;
              return latest[0] != null && latest[0].getLong("treeSize") >= size;
            });
    return latest[0];
  }

  private static ValidatableResponse verification() {
    return given()
        .auth()
        .oauth2(TestTokens.regulator())
        .get("/audit/verification")
        .then()
        .statusCode(200);
  }

  private String string(String sql) throws Exception {
    try (Connection c = superuser.getConnection();
        PreparedStatement q = c.prepareStatement(sql);
        ResultSet rs = q.executeQuery()) {
      assertTrue(rs.next(), sql);
      return rs.getString(1);
    }
  }

  /** Runs statements as the superuser with triggers off: replica mode skips ordinary triggers. */
  private void asSuperuser(String... statements) throws Exception {
    try (Connection c = superuser.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SET session_replication_role = replica");
      try {
        for (String sql : statements) {
          s.execute(sql);
        }
      } finally {
        s.execute("SET session_replication_role = DEFAULT");
      }
    }
  }
}
