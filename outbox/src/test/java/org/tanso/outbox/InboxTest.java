package org.tanso.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.outbox.OutboxFixture.count;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionalException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.tanso.events.CloudEventHeaders;
import org.tanso.events.Topics;
import org.tanso.testing.TestKafka;

/**
 * An event takes effect once per consumer however often it is delivered; a rolled-back delivery is
 * not remembered.
 */
@QuarkusTest
class InboxTest {

  static final String TYPE = "tanso.issuance.TestHappened.v1";

  @Inject Inbox inbox;
  @Inject DataSource dataSource;

  @Test
  void theFirstDeliveryPerConsumerCountsAndARedeliveryIsRecognised() throws Exception {
    UUID event = UUID.randomUUID();
    assertTrue(
        QuarkusTransaction.requiringNew()
            .call(() -> inbox.firstDelivery(event, "consumer-a", TYPE)));
    assertFalse(
        QuarkusTransaction.requiringNew()
            .call(() -> inbox.firstDelivery(event, "consumer-a", TYPE)),
        "a redelivery to the same consumer");
    assertTrue(
        QuarkusTransaction.requiringNew()
            .call(() -> inbox.firstDelivery(event, "consumer-b", TYPE)),
        "another consumer has its own inbox");
    assertEquals(
        2, count(dataSource, "SELECT count(*) FROM inbox_event WHERE event_id = ?", event));
    assertEquals(
        1,
        count(
            dataSource,
            "SELECT count(*) FROM inbox_event WHERE event_id = ? AND consumer = 'consumer-a' AND type = ?",
            event,
            TYPE));
  }

  @Test
  void aDeliveryWhoseTransactionRolledBackIsNotRemembered() throws Exception {
    UUID event = UUID.randomUUID();
    QuarkusTransaction.begin();
    try {
      assertTrue(inbox.firstDelivery(event, "consumer-a", TYPE));
    } finally {
      QuarkusTransaction.rollback();
    }
    assertEquals(
        0, count(dataSource, "SELECT count(*) FROM inbox_event WHERE event_id = ?", event));
    assertTrue(
        QuarkusTransaction.requiringNew()
            .call(() -> inbox.firstDelivery(event, "consumer-a", TYPE)),
        "the redelivery is processed");
  }

  @Test
  void theInboxOnlyWorksInTheConsumersTransaction() {
    assertThrows(
        TransactionalException.class,
        () -> inbox.firstDelivery(UUID.randomUUID(), "consumer-a", TYPE));
  }

  @Test
  void anEventDeliveredTwiceOverKafkaTakesEffectOnce() throws Exception {
    UUID twice = UUID.randomUUID();
    UUID once = UUID.randomUUID();
    String key = "acct-" + UUID.randomUUID();
    TestKafka.send(Topics.ISSUANCE_EVENTS, key, "{\"n\":1}", headers(twice));
    TestKafka.send(Topics.ISSUANCE_EVENTS, key, "{\"n\":1}", headers(twice));
    TestKafka.send(Topics.ISSUANCE_EVENTS, key, "{\"n\":2}", headers(once));
    TestKafka.awaitConsumed(TestEffects.CONSUMER, Topics.ISSUANCE_EVENTS, Duration.ofSeconds(60));
    assertEquals(
        1,
        count(dataSource, "SELECT count(*) FROM test_effect WHERE event_id = ?", twice),
        "effects of the event delivered twice");
    assertEquals(1, count(dataSource, "SELECT count(*) FROM test_effect WHERE event_id = ?", once));
    assertEquals(
        1,
        count(
            dataSource,
            "SELECT count(*) FROM inbox_event WHERE event_id = ? AND consumer = ?",
            twice,
            TestEffects.CONSUMER));
  }

  static Map<String, String> headers(UUID eventId) {
    return Map.of(
        CloudEventHeaders.SPEC_VERSION,
        CloudEventHeaders.SPEC_VERSION_VALUE,
        CloudEventHeaders.ID,
        eventId.toString(),
        CloudEventHeaders.TYPE,
        TYPE,
        CloudEventHeaders.SOURCE,
        "/tests",
        CloudEventHeaders.CONTENT_TYPE,
        CloudEventHeaders.JSON);
  }
}
