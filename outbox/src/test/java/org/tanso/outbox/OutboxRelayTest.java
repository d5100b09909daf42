package org.tanso.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.outbox.OutboxFixture.TOPIC;
import static org.tanso.outbox.OutboxFixture.append;
import static org.tanso.outbox.OutboxFixture.count;
import static org.tanso.outbox.OutboxFixture.drain;
import static org.tanso.outbox.OutboxFixture.id;
import static org.tanso.outbox.OutboxFixture.otherConnection;
import static org.tanso.outbox.OutboxFixture.payload;
import static org.tanso.outbox.OutboxFixture.recordsOf;
import static org.tanso.outbox.OutboxFixture.unpublished;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionalException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tanso.events.CloudEventHeaders;
import org.tanso.testing.TestKafka;

/**
 * The relay against the real broker and database, driven batch by batch (its background loop is off
 * in this application): order, CloudEvents headers, marking only after the broker's ack, one leader
 * per database, late commits of lower ids, and the outbox's transaction rule.
 */
@QuarkusTest
class OutboxRelayTest {

  /** The relay's advisory lock key: "outbox" in ASCII. */
  private static final long LEADER_LOCK = 0x6f7574626f78L;

  @Inject Outbox outbox;
  @Inject OutboxRelay relay;
  @Inject DataSource dataSource;

  @BeforeEach
  void nothingLeftOver() {
    drain(relay);
  }

  @Test
  void publishesEveryCommittedEventOnceInIdOrderAsACloudEventKeyedByAggregate() throws Exception {
    List<String> keys =
        List.of(
            "acct-a-" + UUID.randomUUID(),
            "acct-b-" + UUID.randomUUID(),
            "acct-c-" + UUID.randomUUID());
    Map<String, List<String>> appendedPerKey = new LinkedHashMap<>();
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String key = keys.get(i % 3);
      UUID id = append(outbox, key, payload(i));
      ids.add(id);
      appendedPerKey.computeIfAbsent(key, k -> new ArrayList<>()).add(id.toString());
    }
    assertEquals(30, unpublished(dataSource, ids), "nothing is published before the relay runs");
    TestKafka.EndOffsets before = TestKafka.endOffsets(TOPIC);

    assertEquals(30, drain(relay));

    TestKafka.EndOffsets after = TestKafka.endOffsets(TOPIC);
    assertEquals(30, after.total() - before.total(), "records the relay added to the topic");
    List<TestKafka.Received> records = recordsOf(after, ids);
    assertEquals(30, records.size());
    assertEquals(
        30, records.stream().map(OutboxFixture::id).distinct().count(), "every event exactly once");
    for (String key : keys) {
      List<String> onTopic =
          records.stream()
              .filter(r -> r.key().equals(key))
              .sorted(Comparator.comparingLong(TestKafka.Received::offset))
              .map(OutboxFixture::id)
              .toList();
      assertEquals(
          appendedPerKey.get(key),
          onTopic,
          "events of " + key + " in the order they were appended");
      assertEquals(
          1,
          records.stream()
              .filter(r -> r.key().equals(key))
              .map(TestKafka.Received::partition)
              .distinct()
              .count(),
          "one key, one partition");
    }
    TestKafka.Received first =
        records.stream().filter(r -> id(r).equals(ids.get(0).toString())).findFirst().orElseThrow();
    assertEquals("{\"n\":0}", first.value());
    assertEquals(keys.get(0), first.key());
    assertEquals("1.0", first.headers().get(CloudEventHeaders.SPEC_VERSION));
    assertEquals(OutboxFixture.TYPE.toString(), first.headers().get(CloudEventHeaders.TYPE));
    assertEquals("/tanso/outbox-test", first.headers().get(CloudEventHeaders.SOURCE));
    assertEquals("tests/" + keys.get(0), first.headers().get(CloudEventHeaders.SUBJECT));
    assertEquals(CloudEventHeaders.JSON, first.headers().get(CloudEventHeaders.CONTENT_TYPE));
    assertNotNull(Instant.parse(first.headers().get(CloudEventHeaders.TIME)));
    assertEquals(0, unpublished(dataSource, ids), "every event is marked published");
  }

  @Test
  void aBatchWithARecordTheBrokerRefusesStaysUnpublished() throws Exception {
    UUID small = append(outbox, "acct-ok-" + UUID.randomUUID(), payload(1));
    // beyond the producer's max.request.size (1 MiB): the send is refused, the message nacked
    UUID huge =
        append(outbox, "acct-huge-" + UUID.randomUUID(), Map.of("blob", "x".repeat(1_200_000)));
    try {
      assertThrows(RuntimeException.class, relay::relayBatch, "a batch without every ack fails");
      assertEquals(
          2,
          unpublished(dataSource, List.of(small, huge)),
          "no row of the failed batch is marked published");
      assertTrue(
          recordsOf(TestKafka.endOffsets(TOPIC), List.of(huge)).isEmpty(),
          "the refused record is not on the topic");
    } finally {
      try (Connection c = otherConnection();
          PreparedStatement s = c.prepareStatement("DELETE FROM outbox_event WHERE event_id = ?")) {
        s.setObject(1, huge);
        s.executeUpdate();
      }
    }
    // once the refused row is out of the way, the batch goes out again: at least once, consumers
    // deduplicate
    assertTrue(drain(relay) >= 1);
    assertEquals(0, unpublished(dataSource, List.of(small)));
    List<TestKafka.Received> copies = recordsOf(TestKafka.endOffsets(TOPIC), List.of(small));
    assertTrue(
        copies.size() >= 1 && copies.size() <= 2,
        "sent in the failed batch and again: " + copies.size());
  }

  @Test
  void aRelayThatIsNotTheLeaderPublishesNothing() throws Exception {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(append(outbox, "acct-leader-" + UUID.randomUUID(), payload(i)));
    }
    try (Connection other = otherConnection()) {
      other.setAutoCommit(false);
      // another instance's relay in the middle of its batch holds the leader lock
      try (Statement s = other.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_try_advisory_xact_lock(" + LEADER_LOCK + ")")) {
        rs.next();
        assertTrue(rs.getBoolean(1));
      }
      TestKafka.EndOffsets before = TestKafka.endOffsets(TOPIC);
      assertEquals(0, relay.relayBatch(), "events published by a relay that is not the leader");
      assertEquals(5, unpublished(dataSource, ids));
      assertEquals(
          before.total(),
          TestKafka.endOffsets(TOPIC).total(),
          "records added while another relay leads");
      other.commit();
    }
    TestKafka.EndOffsets before = TestKafka.endOffsets(TOPIC);
    assertEquals(5, drain(relay), "the lock released, this relay leads");
    TestKafka.EndOffsets after = TestKafka.endOffsets(TOPIC);
    assertEquals(5, after.total() - before.total());
    assertEquals(5, recordsOf(after, ids).size());
  }

  @Test
  void concurrentRelaysOnOneDatabasePublishEachEventOnceAndInOrder() throws Exception {
    TestKafka.EndOffsets before = TestKafka.endOffsets(TOPIC);
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService relays = Executors.newFixedThreadPool(4);
    List<Future<Integer>> published = new ArrayList<>();
    for (int r = 0; r < 4; r++) {
      published.add(
          relays.submit(
              () -> {
                int total = 0;
                while (!stop.get()) {
                  total += relay.relayBatch();
                }
                return total;
              }));
    }
    List<String> keys =
        List.of(
            "k1-" + UUID.randomUUID(),
            "k2-" + UUID.randomUUID(),
            "k3-" + UUID.randomUUID(),
            "k4-" + UUID.randomUUID());
    Map<String, List<String>> appendedPerKey = new LinkedHashMap<>();
    List<UUID> ids = Collections.synchronizedList(new ArrayList<>());
    try {
      for (int i = 0; i < 200; i++) {
        String key = keys.get(i % keys.size());
        UUID id = append(outbox, key, payload(i));
        ids.add(id);
        appendedPerKey.computeIfAbsent(key, k -> new ArrayList<>()).add(id.toString());
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> unpublished(dataSource, ids) == 0);
    } finally {
      stop.set(true);
      relays.shutdown();
      assertTrue(relays.awaitTermination(60, TimeUnit.SECONDS));
    }
    int total = 0;
    for (Future<Integer> f : published) {
      total += f.get();
    }
    assertEquals(200, total, "events the four relays say they published");
    TestKafka.EndOffsets after = TestKafka.endOffsets(TOPIC);
    List<TestKafka.Received> records = recordsOf(after, ids);
    Map<String, Long> copies =
        records.stream().collect(Collectors.groupingBy(OutboxFixture::id, Collectors.counting()));
    assertEquals(
        Map.of(),
        copies.entrySet().stream()
            .filter(e -> e.getValue() > 1)
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
        "events published more than once");
    assertEquals(200, records.size());
    assertEquals(200, after.total() - before.total());
    for (String key : keys) {
      List<String> onTopic =
          records.stream()
              .filter(r -> r.key().equals(key))
              .sorted(Comparator.comparingLong(TestKafka.Received::offset))
              .map(OutboxFixture::id)
              .toList();
      assertEquals(appendedPerKey.get(key), onTopic, "order of " + key);
    }
  }

  @Test
  void anEventWithALowerIdCommittedLaterIsStillPublished() throws Exception {
    CountDownLatch appended = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<UUID> early =
        CompletableFuture.supplyAsync(
            () ->
                QuarkusTransaction.requiringNew()
                    .call(
                        () -> {
                          UUID id =
                              outbox.append(
                                  "test",
                                  "acct-slow-" + UUID.randomUUID(),
                                  OutboxFixture.TYPE,
                                  "tests/slow",
                                  payload("slow"));
                          appended.countDown();
                          assertTrue(release.await(60, TimeUnit.SECONDS));
                          return id;
                        }));
    assertTrue(appended.await(30, TimeUnit.SECONDS));
    // took its id after the slow transaction, commits before it
    UUID late = append(outbox, "acct-fast-" + UUID.randomUUID(), payload("fast"));
    assertEquals(1, drain(relay), "only the committed event can go out");

    release.countDown();
    UUID slow = early.get(60, TimeUnit.SECONDS);
    assertTrue(
        count(
                dataSource,
                "SELECT (SELECT id FROM outbox_event WHERE event_id = ?) - (SELECT id FROM outbox_event WHERE event_id = ?)",
                slow,
                late)
            < 0,
        "the slow transaction's event has the lower id");
    assertEquals(1, drain(relay), "the lower id committed after a higher one was published");
    assertEquals(0, unpublished(dataSource, List.of(slow, late)));
    List<TestKafka.Received> records = recordsOf(TestKafka.endOffsets(TOPIC), List.of(slow, late));
    assertEquals(
        Set.of(slow.toString(), late.toString()),
        records.stream().map(OutboxFixture::id).collect(Collectors.toSet()));
    assertEquals(2, records.size());
  }

  @Test
  void appendingOutsideATransactionIsRefused() throws Exception {
    String key = "acct-no-tx-" + UUID.randomUUID();
    assertThrows(
        TransactionalException.class,
        () -> outbox.append("test", key, OutboxFixture.TYPE, "tests/no-tx", payload(1)));
    assertEquals(
        0, count(dataSource, "SELECT count(*) FROM outbox_event WHERE aggregateid = ?", key));
  }

  @Test
  void aRolledBackChangeLeavesNoEvent() throws Exception {
    String key = "acct-rollback-" + UUID.randomUUID();
    UUID doomed;
    QuarkusTransaction.begin();
    try {
      doomed = outbox.append("test", key, OutboxFixture.TYPE, "tests/rollback", payload(1));
    } finally {
      QuarkusTransaction.rollback();
    }
    UUID kept = append(outbox, "acct-kept-" + UUID.randomUUID(), payload(2));
    assertEquals(1, drain(relay));
    assertEquals(
        0, count(dataSource, "SELECT count(*) FROM outbox_event WHERE aggregateid = ?", key));
    List<TestKafka.Received> records =
        recordsOf(TestKafka.endOffsets(TOPIC), List.of(doomed, kept));
    assertEquals(List.of(kept.toString()), records.stream().map(OutboxFixture::id).toList());
    assertFalse(records.stream().anyMatch(r -> r.key().equals(key)));
  }
}
