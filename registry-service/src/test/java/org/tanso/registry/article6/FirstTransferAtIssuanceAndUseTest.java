package org.tanso.registry.article6;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.registry.RegistryFixture.authorisation;
import static org.tanso.registry.RegistryFixture.cancel;
import static org.tanso.registry.RegistryFixture.developer;
import static org.tanso.registry.RegistryFixture.holdingAccount;
import static org.tanso.registry.RegistryFixture.holdings;
import static org.tanso.registry.RegistryFixture.issue;
import static org.tanso.registry.RegistryFixture.ndc;
import static org.tanso.registry.RegistryFixture.participant;
import static org.tanso.registry.RegistryFixture.retire;
import static org.tanso.registry.RegistryFixture.transaction;
import static org.tanso.registry.RegistryFixture.transfer;
import static org.tanso.registry.RegistryFixture.transferBody;
import static org.tanso.registry.RegistryFixture.unit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tanso.events.CloudEventHeaders;
import org.tanso.events.Topics;
import org.tanso.registry.RegistryInvariants;
import org.tanso.testing.Rows;
import org.tanso.testing.TestKafka;

/**
 * First transfers that happen inside this registry: at mint (OIMP at authorisation or issuance) and
 * at use or cancellation.
 */
@QuarkusTest
class FirstTransferAtIssuanceAndUseTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RECORDED = "tanso.registry.FirstTransferRecorded.v1";

  @Inject AgroalDataSource dataSource;

  @AfterEach
  void invariants() throws Exception {
    RegistryInvariants.assertAllHold(dataSource);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> ca(Map<String, Object> block) {
    return (Map<String, Object>) block.get("correspondingAdjustment");
  }

  private static Map<String, Object> inState(List<Map<String, Object>> holdings, String state) {
    List<Map<String, Object>> found =
        holdings.stream().filter(h -> state.equals(h.get("state"))).toList();
    assertEquals(1, found.size(), state + " blocks in " + holdings);
    return found.get(0);
  }

  /** The FirstTransferRecorded event of FIRST_TRANSFER transaction {@code transactionId}. */
  private static JsonNode recorded(String transactionId) {
    List<TestKafka.Received> read =
        TestKafka.readUntil(
            Topics.REGISTRY_EVENTS,
            r -> r.stream().anyMatch(m -> isRecorded(m, transactionId)),
            Duration.ofSeconds(30));
    return read.stream()
        .filter(m -> isRecorded(m, transactionId))
        .findFirst()
        .map(m -> tree(m.value()))
        .orElseThrow(() -> new AssertionError("no FirstTransferRecorded for " + transactionId));
  }

  private static boolean isRecorded(TestKafka.Received m, String transactionId) {
    return RECORDED.equals(m.headers().get(CloudEventHeaders.TYPE))
        && transactionId.equals(tree(m.value()).path("transactionId").asText());
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private long firstTransfersTriggeredBy(String id) {
    return Rows.number(
        dataSource,
        "SELECT count(*) FROM registry_transaction WHERE kind = 'FIRST_TRANSFER' AND triggered_by = ?",
        id);
  }

  @Test
  void oimpUnitsFirstTransferredAtIssuanceOrAuthorisationAreAppliedWhenMinted() {
    for (String definition : List.of("ISSUANCE", "AUTHORISATION")) {
      String account = holdingAccount(participant("JP"));
      String unitId = issue(account, 40, authorisation(List.of("OIMP"), definition));
      String requestId = requestOf(unitId);

      Map<String, Object> minted = inState(holdings(account), "ACTIVE");
      assertEquals("APPLIED", ca(minted).get("status"), definition);
      assertEquals("VN", ca(minted).get("appliedBy"));
      assertNotNull(ca(minted).get("appliedAt"));
      String firstTransfer = (String) ca(minted).get("firstTransfer");
      JsonPath t = transaction(firstTransfer);
      assertEquals("FIRST_TRANSFER", t.getString("kind"));
      assertEquals(definition, t.getString("trigger"));
      assertEquals(requestId, t.getString("triggeredBy"));
      assertEquals(40, t.getLong("quantity"));
      JsonNode event = recorded(firstTransfer);
      assertEquals(definition, event.path("trigger").asText());
      assertEquals(requestId, event.path("triggeredBy").asText());
      assertEquals("VN", event.path("firstTransferringParty").asText());
      assertEquals(40, event.path("quantity").asLong());
      assertEquals(1, firstTransfersTriggeredBy(requestId));
    }
  }

  @Test
  void oimpUnitsFirstTransferredAtUseOrCancellationAreAppliedOnlyForWhatIsRetiredOrCancelled() {
    String alice = participant("JP");
    String account = holdingAccount(alice);
    String unitId = issue(account, 100, authorisation(List.of("OIMP"), "USE_OR_CANCELLATION"));
    Map<String, Object> minted = inState(holdings(account), "ACTIVE");
    assertEquals("PENDING", ca(minted).get("status"));
    assertNull(ca(minted).get("firstTransfer"));
    assertEquals(0, firstTransfersTriggeredBy(requestOf(unitId)));

    String retirement =
        retire(developer(alice), account, 30).then().statusCode(201).extract().path("id");

    List<Map<String, Object>> held = holdings(account);
    Map<String, Object> retired = inState(held, "RETIRED");
    assertEquals(30, ((Number) retired.get("quantity")).intValue());
    assertEquals("APPLIED", ca(retired).get("status"));
    assertEquals("VN", ca(retired).get("appliedBy"));
    JsonPath byRetirement = transaction((String) ca(retired).get("firstTransfer"));
    assertEquals("USE_OR_CANCELLATION", byRetirement.getString("trigger"));
    assertEquals(retirement, byRetirement.getString("triggeredBy"));
    assertEquals(30, byRetirement.getLong("quantity"));
    assertEquals(
        retirement,
        recorded((String) ca(retired).get("firstTransfer")).path("triggeredBy").asText());
    Map<String, Object> rest = inState(held, "ACTIVE");
    assertEquals(70, ((Number) rest.get("quantity")).intValue());
    assertEquals("PENDING", ca(rest).get("status"));

    JsonPath cancellation =
        cancel(developer(alice), account, 20).then().statusCode(201).extract().jsonPath();
    long cancelledSerial = cancellation.getLong("blocks[0].start");
    JsonPath cancelled = unit(unitId, cancelledSerial);
    assertEquals("CANCELLED", cancelled.getString("state"));
    assertEquals("APPLIED", cancelled.getString("correspondingAdjustment.status"));
    JsonPath byCancellation =
        transaction(cancelled.getString("correspondingAdjustment.firstTransfer"));
    assertEquals("USE_OR_CANCELLATION", byCancellation.getString("trigger"));
    assertEquals(cancellation.getString("id"), byCancellation.getString("triggeredBy"));
    assertEquals(20, byCancellation.getLong("quantity"));

    Map<String, Object> left = inState(holdings(account), "ACTIVE");
    assertEquals(50, ((Number) left.get("quantity")).intValue());
    assertEquals("PENDING", ca(left).get("status"));
    assertEquals(
        50,
        Rows.number(
            dataSource,
            "SELECT coalesce(sum(serial_end - serial_start + 1), 0) FROM credit_block WHERE unit_id = ? AND ca_status = 'APPLIED'",
            unitId));
  }

  @Test
  void ndcUnitsStayPendingThroughDomesticTransfersRetirementsAndCancellations() {
    String alice = participant("JP");
    String account = holdingAccount(alice);
    String other = holdingAccount(participant("JP"));
    String unitId = issue(account, 10, ndc());

    String retirement =
        retire(developer(alice), account, 4).then().statusCode(201).extract().path("id");
    String domestic =
        transfer(developer(alice), transferBody(account, other, 3))
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    String cancellation =
        cancel(developer(alice), account, 1).then().statusCode(201).extract().path("id");

    assertEquals(
        0,
        Rows.number(
            dataSource,
            "SELECT count(*) FROM credit_block WHERE unit_id = ? AND ca_status <> 'PENDING'",
            unitId));
    assertEquals("PENDING", ca(inState(holdings(account), "RETIRED")).get("status"));
    for (String id : List.of(retirement, domestic, cancellation, requestOf(unitId))) {
      assertEquals(0, firstTransfersTriggeredBy(id), id);
    }
  }

  @Test
  void mitigationContributionUnitsAreNeverAdjusted() {
    String alice = participant("JP");
    String account = holdingAccount(alice);
    String other = holdingAccount(participant("JP"));
    String unitId = issue(account, 10, null);
    assertEquals("NOT_APPLICABLE", ca(inState(holdings(account), "ACTIVE")).get("status"));

    String retirement =
        retire(developer(alice), account, 4).then().statusCode(201).extract().path("id");
    transfer(developer(alice), transferBody(account, other, 3)).then().statusCode(201);
    String cancellation =
        cancel(developer(alice), account, 1).then().statusCode(201).extract().path("id");

    assertTrue(
        holdings(account).stream().allMatch(h -> "NOT_APPLICABLE".equals(ca(h).get("status"))),
        holdings(account).toString());
    assertEquals(
        0,
        Rows.number(
            dataSource,
            "SELECT count(*) FROM credit_block WHERE unit_id = ? AND ca_status <> 'NOT_APPLICABLE'",
            unitId));
    assertEquals(0, firstTransfersTriggeredBy(retirement));
    assertEquals(0, firstTransfersTriggeredBy(cancellation));
  }

  @Test
  void theDatabaseRefusesToRevertAnAppliedAdjustment() throws SQLException {
    String account = holdingAccount(participant("JP"));
    String unitId = issue(account, 5, authorisation(List.of("OIMP"), "ISSUANCE"));

    for (String change :
        List.of(
            "ca_status = 'PENDING', ca_applied_at = NULL, ca_applied_by = NULL, ca_first_transfer = NULL",
            "ca_applied_by = 'JP'",
            "ca_applied_at = ca_applied_at - interval '1 day'",
            "ca_first_transfer = gen_random_uuid()")) {
      SQLException refused =
          assertThrows(
              SQLException.class,
              () -> {
                try (Connection c = dataSource.getConnection();
                    Statement s = c.createStatement()) {
                  s.executeUpdate(
                      "UPDATE credit_block SET " + change + " WHERE unit_id = '" + unitId + "'");
                }
              },
              change);
      assertEquals("23514", refused.getSQLState(), change + ": " + refused.getMessage());
    }
    assertEquals(
        1,
        Rows.number(
            dataSource,
            "SELECT count(*) FROM credit_block WHERE unit_id = ? AND ca_status = 'APPLIED' AND ca_applied_by = 'VN'",
            unitId));
    // moving the units is still an update of the row: allowed while the adjustment stays as it is
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      assertEquals(
          1,
          s.executeUpdate(
              "UPDATE credit_block SET vintage = vintage WHERE unit_id = '" + unitId + "'"));
    }
  }

  private String requestOf(String unitId) {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        var rs =
            s.executeQuery(
                "SELECT request_id FROM unit_issuance WHERE unit_id = '" + unitId + "'")) {
      assertTrue(rs.next(), "no issuance " + unitId);
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
