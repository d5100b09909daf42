package org.tanso.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.outbox.OutboxFixture.adminConnection;
import static org.tanso.outbox.OutboxFixture.databaseName;
import static org.tanso.outbox.OutboxFixture.otherConnection;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tanso.events.CloudEventHeaders;
import org.tanso.events.Topics;
import org.tanso.testing.TestKafka;

/**
 * A consumer rides out a database outage shorter than its patience (tanso.test.redelivery-patience,
 * 8 s here) and applies the event once the database is back; an outage longer than that sends the
 * record to the dead-letter topic instead of blocking the partition. The outage is real: the test
 * database stops accepting connections and every open one is terminated.
 */
@QuarkusTest
class DatabaseOutageTest {

  static final String DLQ = "tanso.issuance.events.dlq.outbox-test";

  @Inject AgroalDataSource dataSource;

  /**
   * The outage terminated the pool's connections; the next test starts with fresh ones (the flush
   * runs in the background).
   */
  @AfterEach
  void freshConnections() throws InterruptedException {
    dataSource.flush(AgroalDataSource.FlushMode.ALL);
    Thread.sleep(1_000);
  }

  @Test
  void anEventConsumedDuringAShortOutageTakesEffectOnceTheDatabaseIsBack() throws Exception {
    UUID event = UUID.randomUUID();
    takeDatabaseAway();
    try {
      TestKafka.send(
          Topics.ISSUANCE_EVENTS,
          "acct-" + event,
          "{\"outage\":\"short\"}",
          InboxTest.headers(event));
      Thread.sleep(3_000);
    } finally {
      giveDatabaseBack();
    }
    TestKafka.awaitConsumed(TestEffects.CONSUMER, Topics.ISSUANCE_EVENTS, Duration.ofSeconds(60));
    assertEquals(1, effects(event), "effects of the event consumed during the outage");
    assertTrue(deadLetters(event).isEmpty(), "the event is not on the dead-letter topic");
  }

  @Test
  void anOutageLongerThanThePatienceSendsTheRecordToTheDeadLetterTopic() throws Exception {
    UUID event = UUID.randomUUID();
    List<TestKafka.Received> dead;
    takeDatabaseAway();
    try {
      TestKafka.send(
          Topics.ISSUANCE_EVENTS,
          "acct-" + event,
          "{\"outage\":\"long\"}",
          InboxTest.headers(event));
      dead =
          TestKafka.readUntil(
              DLQ,
              got ->
                  got.stream()
                      .anyMatch(
                          r -> event.toString().equals(r.headers().get(CloudEventHeaders.ID))),
              Duration.ofSeconds(40));
    } finally {
      giveDatabaseBack();
    }
    assertEquals(
        1,
        dead.stream()
            .filter(r -> event.toString().equals(r.headers().get(CloudEventHeaders.ID)))
            .count(),
        "the record given up on is on the dead-letter topic");
    TestKafka.awaitConsumed(TestEffects.CONSUMER, Topics.ISSUANCE_EVENTS, Duration.ofSeconds(60));
    assertEquals(0, effects(event));
  }

  /**
   * Read on a connection of its own: the pool may still hand out connections the outage terminated.
   */
  private static long effects(UUID event) throws SQLException {
    try (Connection c = otherConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT count(*) FROM test_effect WHERE event_id = ?")) {
      s.setObject(1, event);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static List<TestKafka.Received> deadLetters(UUID event) {
    try {
      return TestKafka.readToEnd(DLQ).stream()
          .filter(r -> event.toString().equals(r.headers().get(CloudEventHeaders.ID)))
          .toList();
    } catch (IllegalStateException noSuchTopicYet) {
      return List.of();
    }
  }

  private static void takeDatabaseAway() throws SQLException {
    try (Connection admin = adminConnection();
        Statement s = admin.createStatement()) {
      s.execute("ALTER DATABASE " + databaseName() + " ALLOW_CONNECTIONS false");
      try (PreparedStatement kill =
          admin.prepareStatement(
              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
        kill.setString(1, databaseName());
        kill.execute();
      }
    }
  }

  private static void giveDatabaseBack() throws SQLException {
    try (Connection admin = adminConnection();
        Statement s = admin.createStatement()) {
      s.execute("ALTER DATABASE " + databaseName() + " ALLOW_CONNECTIONS true");
    }
  }
}
