package org.tanso.registry.unit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tanso.registry.RegistryFixture.balance;
import static org.tanso.registry.RegistryFixture.developer;
import static org.tanso.registry.RegistryFixture.fund;
import static org.tanso.registry.RegistryFixture.holdingAccount;
import static org.tanso.registry.RegistryFixture.participant;
import static org.tanso.registry.RegistryFixture.transferBody;
import static org.tanso.registry.RegistryFixture.unique;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tanso.registry.RegistryInvariants;
import org.tanso.testing.RowLock;
import org.tanso.testing.ShortLockTimeout;

/**
 * A movement that cannot get its account's row lock within the lock timeout is answered 503
 * TRY_AGAIN with Retry-After, changes nothing, and succeeds when retried after the lock is gone.
 * The lock timeout is 1 s here (10 s in the service's configuration) to keep the test short.
 */
@QuarkusTest
@TestProfile(ShortLockTimeout.class)
class LockTimeoutTest {

  @Inject AgroalDataSource dataSource;

  @Test
  void aTransferBlockedByARowLockPastTheTimeoutIsToldToTryAgainAndChangesNothing()
      throws Exception {
    String alice = participant("VN");
    String from = holdingAccount(alice);
    String to = holdingAccount(participant("JP"));
    fund(from, 10);
    String key = unique("lock-");
    Map<String, Object> body = transferBody(from, to, 4);

    RowLock.Refused refused =
        RowLock.whileHeld(
            dataSource,
            "SELECT balance FROM account WHERE number = ? FOR UPDATE",
            from,
            () -> post(developer(alice), key, body));
    RowLock.assertTryAgain(refused, 9_000);
    assertEquals(10, balance(from));
    assertEquals(0, balance(to));

    // the lock is gone: the same request, same key, now goes through, once
    Response retried = post(developer(alice), key, body);
    assertEquals(201, retried.statusCode(), retried.asString());
    String id = retried.path("id");
    assertEquals(id, post(developer(alice), key, body).then().statusCode(201).extract().path("id"));
    assertEquals(6, balance(from));
    assertEquals(4, balance(to));
    assertEquals(
        1,
        RegistryInvariants.count(
            dataSource,
            "SELECT count(*) FROM registry_transaction WHERE from_account = '" + from + "'"));
    RegistryInvariants.assertAllHold(dataSource);
  }

  private static Response post(String token, String key, Object body) {
    return given()
        .auth()
        .oauth2(token)
        .header("Idempotency-Key", key)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/transfers");
  }
}
