package org.tanso.registry.international;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.tanso.registry.RegistryFixture.accountView;
import static org.tanso.registry.RegistryFixture.balance;
import static org.tanso.registry.RegistryFixture.developer;
import static org.tanso.registry.RegistryFixture.holdingAccount;
import static org.tanso.registry.RegistryFixture.holdings;
import static org.tanso.registry.RegistryFixture.issue;
import static org.tanso.registry.RegistryFixture.ndc;
import static org.tanso.registry.RegistryFixture.participant;
import static org.tanso.registry.international.OutgoingTransfersTest.awaitStatus;
import static org.tanso.registry.international.OutgoingTransfersTest.byQuantity;
import static org.tanso.registry.international.OutgoingTransfersTest.ca;
import static org.tanso.registry.international.OutgoingTransfersTest.international;
import static org.tanso.registry.international.PeerRegistry.COMPLETED;
import static org.tanso.registry.international.PeerRegistry.PROPOSED;
import static org.tanso.registry.international.PeerRegistry.TERMINATED;
import static org.tanso.registry.international.PeerRegistry.TO_VN;
import static org.tanso.registry.international.PeerRegistry.VN;
import static org.tanso.registry.international.PeerRegistry.accept;
import static org.tanso.registry.international.PeerRegistry.awaitHandled;
import static org.tanso.registry.international.PeerRegistry.awaitSent;
import static org.tanso.registry.international.PeerRegistry.foreignAccount;
import static org.tanso.registry.international.PeerRegistry.registryEvents;
import static org.tanso.registry.international.PeerRegistry.sent;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tanso.registry.RegistryInvariants;

/** A proposal VN-JCM never answers in time is terminated; an answer after that changes nothing. */
@QuarkusTest
@TestProfile(TransferTimeoutTest.ShortTimeout.class)
class TransferTimeoutTest {

  /**
   * Two seconds instead of ten minutes, so the sweep (every second in tests) terminates within the
   * test.
   */
  public static class ShortTimeout implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("tanso.international-transfer.timeout", "PT2S");
    }
  }

  @Inject AgroalDataSource dataSource;

  @AfterEach
  void invariants() throws Exception {
    RegistryInvariants.assertAllHold(dataSource);
  }

  @Test
  void anUnansweredProposalTimesOutAndALateAcceptanceChangesNothing() {
    String alice = participant("JP");
    String account = holdingAccount(alice);
    issue(account, 25, ndc());

    String id =
        OutgoingTransfersTest.propose(
                developer(alice), byQuantity(account, VN, foreignAccount("VN"), 25))
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    awaitSent(PROPOSED, id);
    awaitStatus(id, "TERMINATED");

    JsonPath t = international(id);
    assertEquals("TIMEOUT", t.getString("code"));
    assertEquals(25, balance(account));
    assertEquals(0L, accountView(account).getLong("reserved"));
    assertEquals("TIMEOUT", awaitSent(TERMINATED, id).path("code").asText());

    accept(id);
    awaitHandled();

    JsonPath late = international(id);
    assertEquals("TERMINATED", late.getString("status"));
    assertEquals("TIMEOUT", late.getString("code"));
    assertNotNull(late.getString("lateAnswerAt"));
    assertEquals(25, balance(account));
    List<Map<String, Object>> held = holdings(account);
    assertEquals(1, held.size());
    assertEquals("ACTIVE", held.get(0).get("state"));
    assertEquals("PENDING", ca(held.get(0)).get("status"));
    assertEquals(0, sent(TO_VN, COMPLETED, id).size());
    assertEquals(1, sent(TO_VN, TERMINATED, id).size());
    assertEquals(0, registryEvents("FirstTransferRecorded", "triggeredBy", id).size());
  }
}
