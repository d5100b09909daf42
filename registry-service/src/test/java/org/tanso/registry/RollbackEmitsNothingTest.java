package org.tanso.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.registry.RegistryFixture.balance;
import static org.tanso.registry.RegistryFixture.developer;
import static org.tanso.registry.RegistryFixture.fund;
import static org.tanso.registry.RegistryFixture.holdingAccount;
import static org.tanso.registry.RegistryFixture.participant;
import static org.tanso.registry.RegistryFixture.transfer;
import static org.tanso.registry.RegistryFixture.transferBody;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tanso.events.Topics;
import org.tanso.identity.Caller;
import org.tanso.registry.unit.MovementService;
import org.tanso.registry.unit.MovementViews;
import org.tanso.testing.TestKafka;

/** A transfer that ran to the end, outbox row included, and was then rolled back leaves no trace and no event. */
@QuarkusTest
class RollbackEmitsNothingTest {

  @Inject MovementService movements;
  @Inject AgroalDataSource dataSource;

  @Test
  void rolledBackTransferEmitsNoEvent() throws Exception {
    String alice = participant("VN");
    String from = holdingAccount(alice);
    String to = holdingAccount(participant("JP"));
    fund(from, 10);
    Caller caller = new Caller(alice, Set.of("project-developer"), alice);

    QuarkusTransaction.begin();
    MovementViews.Transaction doomed;
    try {
      doomed = movements.transfer(caller, new MovementViews.TransferRequest(from, to, 6L, null));
      // inside the transaction the outbox row exists
      assertEquals(6, doomed.quantity());
    } finally {
      QuarkusTransaction.rollback();
    }

    // a committed transfer afterwards: once its event is on the topic, the relay has passed the doomed one's place
    String committed = transfer(developer(alice), transferBody(from, to, 1)).then().statusCode(201).extract().path("id");
    List<TestKafka.Received> events = TestKafka.readUntil(Topics.REGISTRY_EVENTS, got -> got.stream().anyMatch(r -> r.value().contains(committed)), Duration.ofSeconds(30));
    assertTrue(events.stream().anyMatch(r -> r.value().contains(committed)), "committed transfer's event arrived");
    assertTrue(events.stream().noneMatch(r -> r.value().contains(doomed.id())), "no event for the rolled-back transfer");
    assertEquals(0, RegistryInvariants.count(dataSource, "SELECT count(*) FROM outbox_event WHERE payload::text LIKE '%" + doomed.id() + "%'"));
    assertEquals(0, RegistryInvariants.count(dataSource, "SELECT count(*) FROM registry_transaction WHERE id = '" + doomed.id() + "'"));
    assertEquals(9, balance(from));
    assertEquals(1, balance(to));
    RegistryInvariants.assertAllHold(dataSource);
  }
}
