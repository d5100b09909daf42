package org.tanso.audit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.tanso.audit.AuditFixture.awaitConsumed;
import static org.tanso.audit.AuditFixture.headers;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tanso.events.Topics;
import org.tanso.testing.Rows;
import org.tanso.testing.TestKafka;
import org.tanso.testing.TestTokens;

/**
 * Records as they really arrive: an event and the copy a consumer parks on its dead-letter topic,
 * records without {@code ce_id}, records that are not JSON. Each is logged exactly once and the
 * partition keeps flowing; counts are taken once audit-service's group has consumed past the end of
 * every partition.
 */
@QuarkusTest
class IngestEdgeCasesTest {

  /** Where registry-service parks the issuance records it cannot process. */
  static final String DLQ = Topics.deadLetter(Topics.ISSUANCE_EVENTS, "registry-service");

  @Inject AgroalDataSource dataSource;

  @Test
  void anEventAndItsDeadLetterCopyAreLoggedOnce() throws Exception {
    String subject = "DL" + UUID.randomUUID().toString().substring(0, 8);
    UUID original = UUID.randomUUID();
    Map<String, String> headers = headers(original, "tanso.issuance.IssuanceApproved.v1", subject);
    TestKafka.send(Topics.ISSUANCE_EVENTS, subject, "{\"requestId\":\"" + subject + "\"}", headers);
    awaitConsumed(Topics.ISSUANCE_EVENTS);
    TestKafka.Received sent =
        find(Topics.ISSUANCE_EVENTS, r -> original.toString().equals(r.headers().get("ce_id")));

    // the consumer's dead-letter copy: the same record and headers, plus where it came from
    TestKafka.send(
        DLQ, subject, "{\"requestId\":\"" + subject + "\"}", deadLetterHeaders(headers, sent));
    // and a record that is only on the dead-letter topic, to show that topic is read at all
    UUID onlyParked = UUID.randomUUID();
    TestKafka.send(
        DLQ,
        subject,
        "{\"parked\":true}",
        headers(onlyParked, "tanso.issuance.IssuanceApproved.v1", subject));
    awaitConsumed(DLQ, Topics.ISSUANCE_EVENTS);

    assertEquals(
        1, entriesWithEventId(original), "the event and its dead-letter copy give one entry");
    assertEquals(1, entriesWithEventId(onlyParked), "a record on the dead-letter topic is logged");
    assertEquals(2, entriesWithSubject(subject), "entries of " + subject);
  }

  @Test
  void aRecordWithoutCeIdIsLoggedOnceAndDoesNotHoldThePartitionBack() throws Exception {
    String key = "NI" + UUID.randomUUID().toString().substring(0, 8);
    String subject = key + "-no-id";
    Map<String, String> noId = headers(null, "tanso.issuance.IssuanceRequested.v1", subject);
    TestKafka.send(Topics.ISSUANCE_EVENTS, key, "{\"requestId\":\"" + key + "\"}", noId);
    // the same key: the same partition, right behind it
    UUID behind = UUID.randomUUID();
    TestKafka.send(
        Topics.ISSUANCE_EVENTS,
        key,
        "{\"requestId\":\"" + key + "\",\"n\":2}",
        headers(behind, "tanso.issuance.IssuanceRequested.v1", key));
    awaitConsumed(Topics.ISSUANCE_EVENTS);

    assertEquals(1, entriesWithSubject(subject), "the record without ce_id is logged once");
    assertEquals(1, entriesWithEventId(behind), "the record behind it on its partition is logged");

    // its dead-letter copy (a record without an id is the typical poison record) is the same record
    TestKafka.Received sent =
        find(Topics.ISSUANCE_EVENTS, r -> subject.equals(r.headers().get("ce_subject")));
    TestKafka.send(DLQ, key, "{\"requestId\":\"" + key + "\"}", deadLetterHeaders(noId, sent));
    awaitConsumed(DLQ);
    assertEquals(
        1,
        entriesWithSubject(subject),
        "the record without ce_id and its dead-letter copy give one entry");
  }

  @Test
  void aRecordThatIsNotJsonOnTheIssuanceTopicIsLoggedAsReceivedAndThePartitionFlows()
      throws Exception {
    String key = "NJ" + UUID.randomUUID().toString().substring(0, 8);
    UUID notJson = UUID.randomUUID();
    UUID empty = UUID.randomUUID();
    UUID behind = UUID.randomUUID();
    TestKafka.send(
        Topics.ISSUANCE_EVENTS,
        key,
        "<request id=\"" + key + "\"/> {",
        headers(notJson, "tanso.issuance.IssuanceRequested.v1", key));
    TestKafka.send(
        Topics.ISSUANCE_EVENTS,
        key,
        "",
        headers(empty, "tanso.issuance.IssuanceRequested.v1", key));
    TestKafka.send(
        Topics.ISSUANCE_EVENTS,
        key,
        "{\"requestId\":\"" + key + "\"}",
        headers(behind, "tanso.issuance.IssuanceRequested.v1", key));
    awaitConsumed(Topics.ISSUANCE_EVENTS);

    assertEquals(1, entriesWithEventId(notJson));
    assertEquals(1, entriesWithEventId(empty));
    assertEquals(1, entriesWithEventId(behind));
    assertEquals(3, entriesWithSubject(key));
    JsonPath entries =
        given()
            .auth()
            .oauth2(TestTokens.regulator())
            .queryParam("subject", key)
            .get("/audit/entries")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    List<String> ids = entries.getList("items.eventId");
    assertEquals(
        List.of(notJson.toString(), empty.toString(), behind.toString()),
        ids,
        "in partition order");
    assertEquals(
        "<request id=\"" + key + "\"/> {",
        entries.getString("items[0].payload"),
        "the record value as received, as a string");
    assertEquals("", entries.getString("items[1].payload"));
    assertEquals(key, entries.getString("items[2].payload.requestId"));
    assertFalse(payloadJson(notJson), "stored as text, not JSON");
  }

  private static Map<String, String> deadLetterHeaders(
      Map<String, String> original, TestKafka.Received from) {
    Map<String, String> headers = new java.util.LinkedHashMap<>(original);
    headers.put("dead-letter-reason", "cannot be processed");
    headers.put("dead-letter-topic", from.topic());
    headers.put("dead-letter-partition", Integer.toString(from.partition()));
    headers.put("dead-letter-offset", Long.toString(from.offset()));
    return headers;
  }

  private static TestKafka.Received find(
      String topic, java.util.function.Predicate<TestKafka.Received> which) {
    List<TestKafka.Received> found = TestKafka.readToEnd(topic).stream().filter(which).toList();
    assertEquals(1, found.size(), "records sent");
    return found.get(0);
  }

  private long entriesWithEventId(UUID id) throws Exception {
    return Rows.number(dataSource, "SELECT count(*) FROM audit_entry WHERE event_id = ?", id);
  }

  private long entriesWithSubject(String subject) throws Exception {
    return Rows.number(dataSource, "SELECT count(*) FROM audit_entry WHERE subject = ?", subject);
  }

  private boolean payloadJson(UUID id) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement q =
            c.prepareStatement("SELECT payload_json FROM audit_entry WHERE event_id = ?")) {
      q.setObject(1, id);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }
}
