package org.tanso.local;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * registry-service is killed with SIGKILL in the middle of a stream of transfers and started again
 * exactly as before. No transaction is half done, and retrying every request that got no answer
 * with its Idempotency-Key gives one transfer per key: the original result where it had committed.
 * Some senders give up on their requests after a few milliseconds, so that there are keys the
 * database committed but whose client never saw the answer; the test requires at least one such
 * key, whose retry must be the replay of the stored answer.
 */
class ServiceCrashIT {

  /** Senders that give up on their request after a few milliseconds, until the kill. */
  private static final int IMPATIENT_SENDERS = 2;

  private static StackRunner stack;
  private static StackClient client;

  @BeforeAll
  static void up() throws Exception {
    stack = new StackRunner("service-crash-it");
    StackRunner.Result up = stack.up();
    assertEquals(0, up.exitCode(), up.output());
    client = new StackClient(stack);
  }

  @AfterAll
  static void down() throws Exception {
    stack.tearDown();
  }

  @Test
  void aKilledServiceLosesNothingAndRetriesAreIdempotent() throws Exception {
    String dev = client.participant("VN");
    String from = client.account(dev, "VN");
    String to = client.account(client.participant("JP"), "JP");
    long funded = 10_000;
    client.submitApproveAndAwaitIssued(
        dev, client.project("JCM", dev, List.of(from), List.of(100)), funded);
    String token = client.tokens.mint("project-developer", dev, Duration.ofMinutes(30));
    String body = "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"quantity\":1}";
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    Map<String, String> answered = new ConcurrentHashMap<>();
    Set<String> unanswered = ConcurrentHashMap.newKeySet();
    AtomicBoolean sending = new AtomicBoolean(true);
    AtomicBoolean impatient = new AtomicBoolean(true);
    List<Thread> senders = new ArrayList<>();
    for (int t = 0; t < 6 + IMPATIENT_SENDERS; t++) {
      // impatient senders give up after a few milliseconds, while the service may still be
      // committing:
      // so some keys are committed for sure without the client having seen the answer
      boolean isImpatient = t >= 6;
      Thread sender =
          new Thread(
              () -> {
                java.util.concurrent.ThreadLocalRandom random =
                    java.util.concurrent.ThreadLocalRandom.current();
                while (sending.get() && (!isImpatient || impatient.get())) {
                  String key = UUID.randomUUID().toString();
                  try {
                    HttpRequest request =
                        isImpatient
                            ? transfer(token, key, body, Duration.ofMillis(random.nextInt(3, 60)))
                            : transfer(token, key, body);
                    HttpResponse<String> response =
                        http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 201) {
                      answered.put(key, idOf(response.body()));
                    } else {
                      unanswered.add(key);
                    }
                  } catch (Exception e) {
                    unanswered.add(key);
                    pause(50);
                  }
                }
              });
      sender.start();
      senders.add(sender);
    }
    Thread.sleep(3_000);

    StackState.Component registry =
        StackState.load(stack.state.resolve("stack.properties")).components().stream()
            .filter(c -> c.name().equals("registry-service"))
            .findFirst()
            .orElseThrow();
    List<String> command =
        List.of(
            new String(
                    Files.readAllBytes(Path.of("/proc/" + registry.pid() + "/cmdline")),
                    StandardCharsets.UTF_8)
                .split("\0"));
    Map<String, String> environment = new HashMap<>();
    for (String pair :
        new String(
                Files.readAllBytes(Path.of("/proc/" + registry.pid() + "/environ")),
                StandardCharsets.UTF_8)
            .split("\0")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        environment.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    ProcessHandle handle = ProcessHandle.of(registry.pid()).orElseThrow();
    handle.destroyForcibly();
    handle.onExit().get();
    impatient.set(false);
    int beforeCrash = answered.size();
    // the keys the database holds a committed answer for although the client never got it
    Map<String, String> committedUnanswered = new HashMap<>();
    try (Connection c = client.database("registry");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT idem_key, response_status, response_body FROM idempotency_record")) {
      while (rs.next()) {
        if (unanswered.contains(rs.getString(1))) {
          assertEquals(201, rs.getInt(2), "stored answer of " + rs.getString(1));
          committedUnanswered.put(rs.getString(1), idOf(rs.getString(3)));
        }
      }
    }
    Thread.sleep(2_000);

    ProcessBuilder restart =
        new ProcessBuilder(command)
            .directory(stack.state.toFile())
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(
                    stack.state.resolve("logs/registry-service.log").toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    restart.environment().clear();
    restart.environment().putAll(environment);
    Process restarted = restart.start();
    // recorded at once, so that 'tanso down' stops it whatever the test finds
    StackState state = StackState.load(stack.state.resolve("stack.properties"));
    state.put(
        new StackState.Component(
            "registry-service",
            restarted.pid(),
            registry.port(),
            StackState.startedAt(restarted.toHandle())));
    state.save(stack.state.resolve("stack.properties"));
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!ready(http)) {
      assertTrue(
          System.nanoTime() < deadline && restarted.isAlive(),
          "registry-service did not come back");
      pause(250);
    }
    Thread.sleep(1_000);
    sending.set(false);
    for (Thread sender : senders) {
      sender.join();
    }
    int lost = unanswered.size();

    // retry everything that got no answer, with the same key and body
    for (String key : unanswered) {
      HttpResponse<String> retry =
          http.send(transfer(token, key, body), HttpResponse.BodyHandlers.ofString());
      assertEquals(201, retry.statusCode(), retry.body());
      answered.put(key, idOf(retry.body()));
    }
    // where the first attempt had committed, the retry is its replay: the original transfer, not a
    // new one
    System.out.printf(
        "service crash: %d of the unanswered keys had committed before the client gave up or the service died%n",
        committedUnanswered.size());
    assertTrue(
        committedUnanswered.size() >= 1,
        "at least one key committed but unanswered, so the replay path is taken");
    for (Map.Entry<String, String> committed : committedUnanswered.entrySet()) {
      assertEquals(
          committed.getValue(),
          answered.get(committed.getKey()),
          "the retry of committed key " + committed.getKey() + " returns the original transfer");
    }
    // and a replay of answered ones gives the very same transaction
    int replayed = 0;
    for (Map.Entry<String, String> e : answered.entrySet()) {
      if (replayed++ == 20) {
        break;
      }
      HttpResponse<String> again =
          http.send(transfer(token, e.getKey(), body), HttpResponse.BodyHandlers.ofString());
      assertEquals(e.getValue(), idOf(again.body()), "replay of " + e.getKey());
    }
    System.out.printf(
        "service crash: %d transfers answered before the kill, %d requests unanswered and retried, %d keys in all%n",
        beforeCrash, lost, answered.size());

    long keys = answered.size();
    assertEquals(keys, answered.values().stream().distinct().count(), "one transaction per key");
    try (Connection c = client.database("registry");
        Statement st = c.createStatement()) {
      assertEquals(
          keys,
          single(
              st, "SELECT count(*) FROM registry_transaction WHERE from_account = '" + from + "'"),
          "transactions in the database");
      assertEquals(
          funded - keys, single(st, "SELECT balance FROM account WHERE number = '" + from + "'"));
      assertEquals(keys, single(st, "SELECT balance FROM account WHERE number = '" + to + "'"));
      // no half-done transaction: every balance equals the ACTIVE units its account holds, every
      // transfer has its event
      assertEquals(
          0,
          single(
              st,
              "SELECT count(*) FROM account a WHERE a.balance <> (SELECT coalesce(sum(serial_end - serial_start + 1), 0) FROM credit_block b"
                  + " WHERE b.account = a.number AND b.state = 'ACTIVE')"));
      assertEquals(
          keys,
          single(
              st,
              "SELECT count(*) FROM outbox_event WHERE type = 'tanso.registry.CreditsTransferred.v1' AND aggregateid = '"
                  + from
                  + "'"));
    }
    String regulator = client.tokens.mint("regulator", null, Duration.ofMinutes(10));
    client.awaitAllPublished();
    // every event the registry committed, before and after the kill, is in the audit log once
    client.assertAuditLogHoldsEveryEventOnce();
    assertTrue(
        given()
            .auth()
            .oauth2(regulator)
            .get(client.audit("/audit/reconciliation"))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getBoolean("ok"));
  }

  private static HttpRequest transfer(String token, String key, String body) {
    return transfer(token, key, body, Duration.ofSeconds(10));
  }

  private static HttpRequest transfer(String token, String key, String body, Duration timeout) {
    return HttpRequest.newBuilder(URI.create(client.registry("/transfers")))
        .timeout(timeout)
        .header("Authorization", "Bearer " + token)
        .header("Idempotency-Key", key)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static boolean ready(HttpClient http) {
    try {
      return http.send(
                  HttpRequest.newBuilder(URI.create(client.registry("/q/health/ready")))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (Exception notYet) {
      return false;
    }
  }

  private static String idOf(String json) {
    int at = json.indexOf("\"id\":\"");
    return json.substring(at + 6, json.indexOf('"', at + 6));
  }

  private static long single(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
