package org.tanso.local;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stack's own PostgreSQL is stopped under a stream of transfers and started again. The
 * services recover without a restart of their own, and every transfer that got a 201 is in the
 * database afterwards.
 */
class PostgresRestartIT {

  private static StackRunner stack;
  private static StackClient client;
  private static int pgPort;

  @BeforeAll
  static void up() throws Exception {
    stack = new StackRunner("postgres-restart-it");
    pgPort = StackRunner.freePort();
    StackRunner.Result up = stack.upWithEmbeddedPostgres(pgPort);
    assertEquals(0, up.exitCode(), up.output());
    client = new StackClient(stack);
  }

  @AfterAll
  static void down() throws Exception {
    stack.tanso("down");
  }

  @Test
  void servicesRecoverAndNoAcceptedTransferIsLost() throws Exception {
    String dev = client.participant("VN");
    String from = client.account(dev, "VN");
    String to = client.account(client.participant("JP"), "JP");
    client.submitApproveAndAwaitIssued(dev, client.project("JCM", dev, List.of(from), List.of(100)), 10_000);
    String token = client.tokens.mint("project-developer", dev, Duration.ofMinutes(30));
    String body = "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"quantity\":1}";
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    List<StackState.Component> before = StackState.load(stack.state.resolve("stack.properties")).components();

    Set<String> accepted = ConcurrentHashMap.newKeySet();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger acceptedAfterRestart = new AtomicInteger();
    AtomicBoolean restarted = new AtomicBoolean(false);
    AtomicBoolean sending = new AtomicBoolean(true);
    List<Thread> senders = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread sender = new Thread(() -> {
        while (sending.get()) {
          try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(client.registry("/transfers"))).timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 201) {
              int at = response.body().indexOf("\"id\":\"");
              accepted.add(response.body().substring(at + 6, response.body().indexOf('"', at + 6)));
              if (restarted.get()) {
                acceptedAfterRestart.incrementAndGet();
              }
            } else {
              refused.incrementAndGet();
              Thread.sleep(100);
            }
          } catch (Exception e) {
            refused.incrementAndGet();
          }
        }
      });
      sender.start();
      senders.add(sender);
    }
    Thread.sleep(3_000);

    StackLayout layout = new StackLayout(StackRunner.HOME, stack.state);
    StackState.Component postgres = before.stream().filter(c -> c.name().equals("postgres")).findFirst().orElseThrow();
    ProcessHandle holder = ProcessHandle.of(postgres.pid()).orElseThrow();
    holder.destroy();
    holder.onExit().get();
    int beforeOutage = accepted.size();
    Thread.sleep(4_000);
    StackState.Component again = EmbeddedPostgresMain.launch(layout, pgPort);
    restarted.set(true);
    StackState state = StackState.load(stack.state.resolve("stack.properties"));
    state.put(again);
    state.save(stack.state.resolve("stack.properties"));

    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (acceptedAfterRestart.get() < 20 && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    sending.set(false);
    for (Thread sender : senders) {
      sender.join();
    }
    System.out.printf("postgres restart: %d transfers accepted (%d before the stop, %d after the restart), %d refused while it was away%n",
        accepted.size(), beforeOutage, acceptedAfterRestart.get(), refused.get());
    assertTrue(acceptedAfterRestart.get() >= 20, "the services work again without being restarted");
    for (String service : List.of("registry-service", "issuance-service", "audit-service")) {
      StackState.Component c = before.stream().filter(x -> x.name().equals(service)).findFirst().orElseThrow();
      assertTrue(StackState.live(c).isPresent(), service + " was not restarted and still runs");
    }
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/" + stack.dbPrefix + "_registry", "postgres", "");
        Statement st = c.createStatement()) {
      List<String> missing = new ArrayList<>();
      for (String id : accepted) {
        try (ResultSet rs = st.executeQuery("SELECT 1 FROM registry_transaction WHERE id = '" + id + "'")) {
          if (!rs.next()) {
            missing.add(id);
          }
        }
      }
      assertEquals(List.of(), missing, "every transfer that got a 201 is stored");
      try (ResultSet rs = st.executeQuery("SELECT balance FROM account WHERE number = '" + to + "'")) {
        rs.next();
        assertEquals(accepted.size(), rs.getLong(1));
      }
    }
    String regulator = client.tokens.mint("regulator", null, Duration.ofMinutes(10));
    Thread.sleep(3_000);
    assertTrue(given().auth().oauth2(regulator).get(client.audit("/audit/verification")).then().statusCode(200).extract().jsonPath().getBoolean("ok"));
  }
}
