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
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("ce_specversion", "1.0");
    headers.put("ce_id", id.toString());
    headers.put("ce_type", type);
    headers.put("ce_source", "/tanso/test");
    headers.put("ce_time", Instant.now().toString());
    headers.put("ce_subject", key);
    TestKafka.send(topic, key, payload, headers);
  }

  static long size() {
    Number total = given().auth().oauth2(TestTokens.regulator()).get("/audit/verification").then().statusCode(200).extract().path("entries");
    return total.longValue();
  }

  /** Waits until the entry with this event id is in the log and returns its sequence number. */
  static long awaitEntry(String subject, UUID eventId) {
    long[] seq = new long[1];
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
      var items = given().auth().oauth2(TestTokens.regulator()).queryParam("subject", subject).queryParam("limit", 1000)
          .get("/audit/entries").then().statusCode(200).extract().jsonPath();
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
