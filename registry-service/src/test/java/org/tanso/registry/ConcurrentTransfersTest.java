package org.tanso.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tanso.registry.RegistryFixture.balance;
import static org.tanso.registry.RegistryFixture.developer;
import static org.tanso.registry.RegistryFixture.fund;
import static org.tanso.registry.RegistryFixture.holdingAccount;
import static org.tanso.registry.RegistryFixture.participant;
import static org.tanso.registry.RegistryFixture.transfer;
import static org.tanso.registry.RegistryFixture.transferBody;

import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Many threads racing on one account: no double spend, no deadlock, balances and serials add up.
 */
@QuarkusTest
class ConcurrentTransfersTest {

  @Inject AgroalDataSource dataSource;

  @Test
  void sixtyTransfersFromAnAccountThatCoversTenOfThem() throws Exception {
    String alice = participant("VN");
    String from = holdingAccount(alice);
    List<String> receivers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      receivers.add(holdingAccount(participant("JP")));
    }
    fund(from, 100);
    String token = developer(alice);
    int attempts = 60;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(attempts);
    Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < attempts; i++) {
      String to = receivers.get(i % receivers.size());
      futures.add(
          pool.submit(
              () -> {
                start.await();
                Response response = transfer(token, transferBody(from, to, 10));
                String outcome =
                    response.statusCode() == 201
                        ? "201"
                        : response.statusCode() + " " + response.path("code");
                outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                return null;
              }));
    }
    long began = System.nanoTime();
    start.countDown();
    for (Future<?> f : futures) {
      f.get(120, TimeUnit.SECONDS);
    }
    double seconds = (System.nanoTime() - began) / 1e9;
    pool.shutdown();
    Log.infof(
        "race: %d transfer requests in %.2f s (%.0f/s): %s",
        attempts, seconds, attempts / seconds, outcomes);

    assertEquals(10, outcomes.getOrDefault("201", new AtomicInteger()).get(), outcomes.toString());
    assertEquals(
        50,
        outcomes.getOrDefault("409 INSUFFICIENT_BALANCE", new AtomicInteger()).get(),
        outcomes.toString());
    assertEquals(0, balance(from));
    long received = 0;
    for (String to : receivers) {
      received += balance(to);
    }
    assertEquals(100, received);
    RegistryInvariants.assertAllHold(dataSource);
    // every one of the 10 transfers left exactly one event in the outbox
    assertEquals(
        10,
        RegistryInvariants.count(
            dataSource,
            "SELECT count(*) FROM outbox_event WHERE type = 'tanso.registry.CreditsTransferred.v1' AND aggregateid = '"
                + from
                + "'"));
  }

  @Test
  void oppositeTransfersBetweenTwoAccountsNeverDeadlock() throws Exception {
    String alice = participant("VN");
    String bob = participant("JP");
    String a = holdingAccount(alice);
    String b = holdingAccount(bob);
    fund(a, 50);
    fund(b, 50);
    ExecutorService pool = Executors.newFixedThreadPool(20);
    List<Future<Integer>> results = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      boolean ab = i % 2 == 0;
      results.add(
          pool.submit(
              () ->
                  ab
                      ? transfer(developer(alice), transferBody(a, b, 1)).statusCode()
                      : transfer(developer(bob), transferBody(b, a, 1)).statusCode()));
    }
    for (Future<Integer> r : results) {
      assertEquals(201, r.get(60, TimeUnit.SECONDS));
    }
    pool.shutdown();
    assertEquals(100, balance(a) + balance(b));
    assertEquals(50, balance(a));
    RegistryInvariants.assertAllHold(dataSource);
  }
}
