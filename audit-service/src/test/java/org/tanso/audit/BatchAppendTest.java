package org.tanso.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tanso.audit.log.AuditLog;
import org.tanso.testing.TestTokens;

/**
 * A polled batch goes into the log in one transaction, in order, once per event id, and the chain
 * and tree stay sound.
 */
@QuarkusTest
class BatchAppendTest {

  @Inject AuditLog log;

  @Test
  void aBatchIsAppendedInOrderOncePerEventAndVerifies() throws Exception {
    String subject = "JP-100-" + UUID.randomUUID().toString().substring(0, 6);
    List<AuditLog.Event> events = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      events.add(
          new AuditLog.Event(
              UUID.randomUUID(),
              "tanso.registry.Batch.v1",
              subject,
              "2026-01-01T00:00:00.000001Z",
              "{\"n\":" + i + "}"));
    }
    AuditLog.Event twice = events.get(3);
    events.add(5, twice);

    List<Optional<Long>> seqs = log.appendAll(events);

    assertEquals(251, seqs.size());
    assertTrue(seqs.get(5).isEmpty(), "the repeated event id is not appended again");
    List<Long> appended = seqs.stream().flatMap(Optional::stream).toList();
    assertEquals(250, appended.size());
    for (int i = 1; i < appended.size(); i++) {
      assertEquals(appended.get(i - 1) + 1, appended.get(i), "consecutive sequence numbers");
    }
    assertTrue(
        log.appendAll(List.of(events.get(0))).get(0).isEmpty(),
        "a later batch does not append it again either");

    JsonPath entry =
        given()
            .auth()
            .oauth2(TestTokens.regulator())
            .get("/audit/entries/" + appended.get(7))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertEquals(7, entry.getInt("payload.n"));
    long size = log.size();
    for (long seq : List.of(appended.get(0), appended.get(125), appended.get(249))) {
      JsonPath proof =
          given()
              .auth()
              .oauth2(TestTokens.regulator())
              .queryParam("seq", seq)
              .queryParam("treeSize", size)
              .get("/audit/proofs/inclusion")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      assertTrue(
          IndependentVerifier.inclusion(
              proof.getLong("leafIndex"),
              size,
              IndependentVerifier.hex(proof.getString("leafHash")),
              IndependentVerifier.hexes(proof.getList("auditPath")),
              IndependentVerifier.hex(proof.getString("rootHash"))),
          "inclusion of " + seq);
    }
    given()
        .auth()
        .oauth2(TestTokens.regulator())
        .get("/audit/verification")
        .then()
        .statusCode(200)
        .body("ok", is(true));
  }
}
