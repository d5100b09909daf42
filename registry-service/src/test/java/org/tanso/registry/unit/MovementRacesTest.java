package org.tanso.registry.unit;

import static io.restassured.RestAssured.given;
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
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tanso.registry.RegistryInvariants;

/**
 * Retirements and cancellations racing transfers out of one account that cannot cover all of them:
 * whatever the interleaving, the account never goes below zero, what the successful requests took
 * is exactly what left the account, every unit is in one place only and issued = held + retired +
 * cancelled for every unit identifier. A refused request is refused because the balance really was
 * short at that moment.
 */
@QuarkusTest
class MovementRacesTest {

  private static final int ROUNDS = 3;
  private static final int REQUESTS = 36;

  @Inject AgroalDataSource dataSource;

  @Test
  void retirementsRacingTransfersNeverTakeMoreThanTheAccountHolds() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      race("RETIREMENT", round);
    }
  }

  @Test
  void cancellationsRacingTransfersNeverTakeMoreThanTheAccountHolds() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      race("CANCELLATION", round);
    }
  }

  private record Attempt(
      String kind, long quantity, int status, String code, Long answeredQuantity) {}

  private void race(String otherKind, int round) throws Exception {
    String alice = participant("VN");
    String from = holdingAccount(alice);
    String to = holdingAccount(participant("JP"));
    // two unit identifiers, so that requests take from both and split blocks
    List<String> projects = List.of(fund(from, 30), fund(from, 27));
    long funded = 57;
    String token = developer(alice);

    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(REQUESTS);
    List<Future<Attempt>> futures = new ArrayList<>();
    long asked = 0;
    for (int i = 0; i < REQUESTS; i++) {
      String kind = i % 2 == 0 ? "TRANSFER" : otherKind;
      long quantity = 2 + (i % 4);
      asked += quantity;
      futures.add(
          pool.submit(
              () -> {
                start.await();
                Response r =
                    switch (kind) {
                      case "TRANSFER" -> transfer(token, transferBody(from, to, quantity));
                      case "RETIREMENT" -> post(token, "/retirements", retirement(from, quantity));
                      default -> post(token, "/cancellations", cancellation(from, quantity));
                    };
                Number answered = r.statusCode() == 201 ? r.path("quantity") : null;
                return new Attempt(
                    kind,
                    quantity,
                    r.statusCode(),
                    r.statusCode() == 201 ? null : r.path("code"),
                    answered == null ? null : answered.longValue());
              }));
    }
    assertTrue(asked > funded, "the requests ask for more than the account holds");
    start.countDown();
    List<Attempt> attempts = new ArrayList<>();
    for (Future<Attempt> f : futures) {
      attempts.add(f.get(120, TimeUnit.SECONDS));
    }
    pool.shutdown();
    String where = otherKind + " round " + round + ": " + attempts;

    long transferred = 0;
    long taken = 0;
    int transfers = 0;
    int others = 0;
    long smallestRefused = Long.MAX_VALUE;
    for (Attempt a : attempts) {
      if (a.status() == 201) {
        assertEquals(a.quantity(), a.answeredQuantity(), where);
        if (a.kind().equals("TRANSFER")) {
          transferred += a.quantity();
          transfers++;
        } else {
          taken += a.quantity();
          others++;
        }
      } else {
        assertEquals("409 INSUFFICIENT_BALANCE", a.status() + " " + a.code(), where);
        smallestRefused = Math.min(smallestRefused, a.quantity());
      }
    }
    long left = balance(from);
    assertTrue(left >= 0, "balance " + left + ": " + where);
    assertEquals(
        funded - left,
        transferred + taken,
        "what the successful requests took is what left the account: " + where);
    assertEquals(transferred, balance(to), where);
    // a refusal was real: the balance that remained at the end was below every refused quantity
    assertTrue(
        smallestRefused != Long.MAX_VALUE && left < smallestRefused,
        "left " + left + ", smallest refused " + smallestRefused + ": " + where);

    String state = otherKind.equals("RETIREMENT") ? "RETIRED" : "CANCELLED";
    assertEquals(
        taken,
        sum(
            "SELECT coalesce(sum(b.serial_end - b.serial_start + 1), 0) FROM credit_block b JOIN unit_issuance u ON u.unit_id = b.unit_id"
                + " WHERE u.project = ANY (?) AND b.state = '"
                + state
                + "'",
            projects),
        where);
    assertEquals(
        left,
        sum(
            "SELECT coalesce(sum(b.serial_end - b.serial_start + 1), 0) FROM credit_block b JOIN unit_issuance u ON u.unit_id = b.unit_id"
                + " WHERE u.project = ANY (?) AND b.state = 'ACTIVE' AND b.account = '"
                + from
                + "'",
            projects),
        where);
    assertEquals(
        transferred,
        sum(
            "SELECT coalesce(sum(b.serial_end - b.serial_start + 1), 0) FROM credit_block b JOIN unit_issuance u ON u.unit_id = b.unit_id"
                + " WHERE u.project = ANY (?) AND b.state = 'ACTIVE' AND b.account = '"
                + to
                + "'",
            projects),
        where);
    // per unit identifier: issued = held + retired + cancelled
    assertEquals(
        0,
        sum(
            "SELECT count(*) FROM unit_issuance u WHERE u.project = ANY (?) AND u.quantity <>"
                + " (SELECT coalesce(sum(b.serial_end - b.serial_start + 1), 0) FROM credit_block b WHERE b.unit_id = u.unit_id)",
            projects),
        where);
    // one recorded transaction and one event per success, none for a refusal
    assertEquals(
        transfers,
        RegistryInvariants.count(
            dataSource,
            "SELECT count(*) FROM registry_transaction WHERE kind = 'TRANSFER' AND from_account = '"
                + from
                + "'"),
        where);
    assertEquals(
        others,
        RegistryInvariants.count(
            dataSource,
            "SELECT count(*) FROM registry_transaction WHERE kind = '"
                + otherKind
                + "' AND from_account = '"
                + from
                + "'"),
        where);
    assertEquals(
        transfers,
        RegistryInvariants.count(
            dataSource,
            "SELECT count(*) FROM outbox_event WHERE type = 'tanso.registry.CreditsTransferred.v1' AND aggregateid = '"
                + from
                + "'"),
        where);
    String event = otherKind.equals("RETIREMENT") ? "CreditsRetired" : "CreditsCancelled";
    assertEquals(
        others,
        RegistryInvariants.count(
            dataSource,
            "SELECT count(*) FROM outbox_event WHERE type = 'tanso.registry."
                + event
                + ".v1' AND aggregateid = '"
                + from
                + "'"),
        where);
    // no serial in two places, balances equal the active units held, conservation across the whole
    // registry
    RegistryInvariants.assertAllHold(dataSource);
  }

  private static Response post(String token, String path, Object body) {
    return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post(path);
  }

  static Map<String, Object> retirement(String account, long quantity) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("account", account);
    body.put("quantity", quantity);
    body.put("beneficiary", "Hanoi Metro Line 3");
    body.put("purpose", "NDC");
    body.put("usingParty", "JP");
    return body;
  }

  static Map<String, Object> cancellation(String account, long quantity) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("account", account);
    body.put("quantity", quantity);
    body.put("reason", "voluntary cancellation");
    return body;
  }

  private long sum(String sql, List<String> projects) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setArray(1, c.createArrayOf("varchar", projects.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
