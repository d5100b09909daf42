package org.tanso.registry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.registry.RegistryFixture.balance;
import static org.tanso.registry.RegistryFixture.developer;
import static org.tanso.registry.RegistryFixture.fund;
import static org.tanso.registry.RegistryFixture.holdingAccount;
import static org.tanso.registry.RegistryFixture.participant;
import static org.tanso.registry.RegistryFixture.transfer;
import static org.tanso.registry.RegistryFixture.transferBody;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tanso.events.CloudEventHeaders;
import org.tanso.events.Topics;
import org.tanso.identity.Caller;
import org.tanso.registry.unit.MovementService;
import org.tanso.registry.unit.MovementViews;
import org.tanso.testing.TestKafka;

/**
 * A transfer that ran to the end, outbox row included, and was then rolled back leaves no trace and
 * no event.
 */
@QuarkusTest
class RollbackEmitsNothingTest {

  private static final String TRANSFERRED = "tanso.registry.CreditsTransferred.v1";

  @Inject MovementService movements;
  @Inject AgroalDataSource dataSource;

  @Test
  void rolledBackTransferEmitsNoEvent() throws Exception {
    String alice = participant("VN");
    String from = holdingAccount(alice);
    String to = holdingAccount(participant("JP"));
    String project = fund(from, 10);
    String unitId = "JCM-VN-" + project + "-2025-0001";
    Caller caller = new Caller(alice, Set.of("project-developer"), alice);

    QuarkusTransaction.begin();
    MovementViews.Transaction doomed;
    try {
      doomed = movements.transfer(caller, new MovementViews.TransferRequest(from, to, 6L, null));
      // inside the transaction (same connection): the outbox row exists, unpublished, and describes
      // this transfer
      try (Connection c = dataSource.getConnection();
          PreparedStatement s =
              c.prepareStatement(
                  "SELECT aggregatetype, aggregateid, type, subject, CAST(payload AS text), published_at IS NULL"
                      + " FROM outbox_event WHERE payload->>'transactionId' = ?")) {
        s.setString(1, doomed.id());
        try (ResultSet r = s.executeQuery()) {
          assertTrue(
              r.next(),
              "inside the transaction the outbox holds the event of transaction " + doomed.id());
          assertEquals("account", r.getString(1), "aggregatetype");
          assertEquals(from, r.getString(2), "aggregateid: the sender's account, the record key");
          assertEquals(TRANSFERRED, r.getString(3), "type");
          assertEquals(from, r.getString(4), "subject");
          assertTrue(r.getBoolean(6), "not published yet");
          JsonNode payload = RegistryFixture.JSON.readTree(r.getString(5));
          assertEquals(doomed.id(), payload.get("transactionId").asText());
          assertEquals(from, payload.get("from").asText());
          assertEquals(to, payload.get("to").asText());
          assertEquals(6, payload.get("quantity").asLong());
          JsonNode blocks = payload.get("blocks");
          assertEquals(1, blocks.size(), "one block moved: " + blocks);
          JsonNode block = blocks.get(0);
          assertEquals(unitId, block.get("unitId").asText());
          assertEquals(5, block.get("start").asLong(), "the sender keeps the low end 1..4");
          assertEquals(10, block.get("end").asLong());
          assertEquals(6, block.get("quantity").asLong());
          assertEquals(to, block.get("account").asText());
          assertEquals("ACTIVE", block.get("state").asText());
          assertTrue(!r.next(), "exactly one outbox row for the transaction");
        }
      }
    } finally {
      QuarkusTransaction.rollback();
    }

    assertEquals(
        0,
        RegistryInvariants.count(
            dataSource,
            "SELECT count(*) FROM outbox_event WHERE payload->>'transactionId' = '"
                + doomed.id()
                + "'"),
        "after the rollback no outbox row of the transfer");
    assertEquals(
        0,
        RegistryInvariants.count(
            dataSource,
            "SELECT count(*) FROM registry_transaction WHERE id = '" + doomed.id() + "'"));
    assertEquals(10, balance(from));
    assertEquals(0, balance(to));

    String committed =
        transfer(developer(alice), transferBody(from, to, 1))
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    // everything committed is on the topic once the outbox has nothing left to publish; read up to
    // the end offsets of then
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                RegistryInvariants.count(
                        dataSource, "SELECT count(*) FROM outbox_event WHERE published_at IS NULL")
                    == 0);
    List<TestKafka.Received> all = TestKafka.readTo(TestKafka.endOffsets(Topics.REGISTRY_EVENTS));
    assertTrue(
        all.stream().noneMatch(r -> r.value() != null && r.value().contains(doomed.id())),
        "no record of the rolled-back transfer on the topic");
    List<TestKafka.Received> fromSender =
        all.stream()
            .filter(
                r ->
                    from.equals(r.key())
                        && TRANSFERRED.equals(r.headers().get(CloudEventHeaders.TYPE)))
            .toList();
    assertEquals(
        1,
        fromSender.size(),
        "exactly one transfer event keyed by the sender: the committed one " + fromSender);
    assertEquals(
        committed,
        RegistryFixture.JSON.readTree(fromSender.get(0).value()).get("transactionId").asText());
    assertEquals(9, balance(from));
    assertEquals(1, balance(to));
    RegistryInvariants.assertAllHold(dataSource);
  }
}
