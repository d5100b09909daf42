package org.tanso.audit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.tanso.testing.TestKafka;
import org.tanso.testing.TestTokens;

/** Puts events on the real topics as the producing services would, and reads the log back. */
final class AuditFixture {

  private AuditFixture() {}

  static UUID publish(String topic, String type, String key, String payload) {
    UUID id = UUID.randomUUID();
    publish(topic, id, type, key, payload);
    return id;
  }

  static void publish(String topic, UUID id, String type, String key, String payload) {
    TestKafka.send(topic, key, payload, headers(id, type, key));
  }

  /**
   * The CloudEvents headers a producing service puts on a record; {@code id} null leaves out {@code
   * ce_id}.
   */
  static Map<String, String> headers(UUID id, String type, String subject) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("ce_specversion", "1.0");
    if (id != null) {
      headers.put("ce_id", id.toString());
    }
    headers.put("ce_type", type);
    headers.put("ce_source", "/tanso/test");
    headers.put("ce_time", Instant.now().toString());
    headers.put("ce_subject", subject);
    return headers;
  }

  /**
   * Waits until audit-service's consumer group has consumed everything that every topic it reads
   * (the event topics and their dead-letter topics) holds now.
   */
  static void settle() {
    awaitConsumed(
        TestKafka.topicsMatching("tanso\\.(issuance|registry)\\.events(\\.dlq\\..+)?")
            .toArray(String[]::new));
  }

  /**
   * Waits until audit-service's consumer group has consumed each topic up to its end offset now.
   */
  static void awaitConsumed(String... topics) {
    for (String topic : topics) {
      TestKafka.awaitConsumed(GROUP, TestKafka.endOffsets(topic), Duration.ofSeconds(60));
    }
  }

  static final String GROUP = "audit-service";

  static long size() {
    Number total =
        given()
            .auth()
            .oauth2(TestTokens.regulator())
            .get("/audit/verification")
            .then()
            .statusCode(200)
            .extract()
            .path("entries");
    return total.longValue();
  }

  /** Waits until the entry with this event id is in the log and returns its sequence number. */
  static long awaitEntry(String subject, UUID eventId) {
    long[] seq = new long[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              var items =
                  given()
                      .auth()
                      .oauth2(TestTokens.regulator())
                      .queryParam("subject", subject)
                      .queryParam("limit", 1000)
                      .get("/audit/entries")
                      .then()
                      .statusCode(200)
                      .extract()
                      .jsonPath();
              int i = items.getList("items.eventId").indexOf(eventId.toString());
              if (i >= 0) {
                seq[0] = items.getLong("items[" + i + "].seq");
                return true;
              }
              return false;
            });
    return seq[0];
  }
}
