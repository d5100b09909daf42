package org.tanso.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stack's own PostgreSQL is stopped under a stream of transfers and started again. While it is
 * away every request is refused with 503 {@code TRY_AGAIN}; the services recover without a restart
 * of their own, every transfer that got a 201 is stored, and the audit log holds every event the
 * services produced exactly once, although audit-service had events to append while the database
 * was away (its ingest retried them until they were in).
 */
class PostgresRestartIT {

  private static final Pattern APPEND_RETRY =
      Pattern.compile("appending (\\d+) records failed, retrying in (\\d+) ms");

  private static StackRunner stack;
  private static StackClient client;
  private static int pgPort;

  /** A response that was not 201; {@code outage}: received while the database was away. */
  record Refusal(boolean outage, int status, String contentType, String retryAfter, String body) {}

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
  void servicesRefuseWith503RecoverAndTheAuditLogHasNoGap() throws Exception {
    String dev = client.participant("VN");
    String from = client.account(dev, "VN");
    String to = client.account(client.participant("JP"), "JP");
    client.submitApproveAndAwaitIssued(
        dev, client.project("JCM", dev, List.of(from), List.of(100)), 10_000);
    String token = client.tokens.mint("project-developer", dev, Duration.ofMinutes(30));
    String body = "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"quantity\":1}";
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    List<StackState.Component> before =
        StackState.load(stack.state.resolve("stack.properties")).components();
    StackState.Component audit = component(before, "audit-service");

    Set<String> accepted = ConcurrentHashMap.newKeySet();
    List<Refusal> refusals = new CopyOnWriteArrayList<>();
    List<String> failedDuringOutage = new CopyOnWriteArrayList<>();
    AtomicInteger failedOtherwise = new AtomicInteger();
    AtomicInteger acceptedAfterRestart = new AtomicInteger();
    AtomicBoolean outage = new AtomicBoolean(false);
    AtomicBoolean restarted = new AtomicBoolean(false);
    AtomicBoolean sending = new AtomicBoolean(true);
    List<Thread> senders = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread sender =
          new Thread(
              () -> {
                while (sending.get()) {
                  try {
                    HttpResponse<String> response =
                        http.send(
                            HttpRequest.newBuilder(URI.create(client.registry("/transfers")))
                                .timeout(Duration.ofSeconds(15))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .header("Idempotency-Key", UUID.randomUUID().toString())
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 201) {
                      int at = response.body().indexOf("\"id\":\"");
                      accepted.add(
                          response.body().substring(at + 6, response.body().indexOf('"', at + 6)));
                      if (restarted.get()) {
                        acceptedAfterRestart.incrementAndGet();
                      }
                    } else {
                      refusals.add(
                          new Refusal(
                              outage.get(),
                              response.statusCode(),
                              response.headers().firstValue("Content-Type").orElse(""),
                              response.headers().firstValue("Retry-After").orElse(null),
                              response.body()));
                      Thread.sleep(100);
                    }
                  } catch (Exception e) {
                    if (outage.get()) {
                      failedDuringOutage.add(e.toString());
                    } else {
                      failedOtherwise.incrementAndGet();
                    }
                  }
                }
              });
      sender.start();
      senders.add(sender);
    }
    Thread.sleep(3_000);

    // audit-service is paused while the transfers go on, so the topic holds events it has not
    // appended yet when the database stops: it must append them while the database is away
    long auditedBeforeOutage;
    long publishedBeforeOutage;
    Path auditLog = stack.state.resolve("logs/audit-service.log");
    long auditLogOffset;
    long stoppedAt;
    signal("STOP", audit.pid());
    try {
      auditedBeforeOutage = auditEntries();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      do {
        Thread.sleep(200);
        publishedBeforeOutage = published();
      } while (publishedBeforeOutage < auditedBeforeOutage + 50 && System.nanoTime() < deadline);
      auditLogOffset = Files.size(auditLog);
      StackState.Component postgres = component(before, "postgres");
      ProcessHandle holder = ProcessHandle.of(postgres.pid()).orElseThrow();
      holder.destroy();
      holder.onExit().get();
      outage.set(true);
      stoppedAt = System.nanoTime();
    } finally {
      // whatever happened, audit-service runs again (a stopped process would also ignore tanso
      // down)
      signal("CONT", audit.pid());
    }
    int beforeOutage = accepted.size();
    Thread.sleep(6_000);
    StackLayout layout = new StackLayout(StackRunner.HOME, stack.state);
    StackState.Component again = EmbeddedPostgresMain.launch(layout, pgPort);
    outage.set(false);
    long restartedAfterMs = (System.nanoTime() - stoppedAt) / 1_000_000;
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
    long duringOutage = refusals.stream().filter(Refusal::outage).count();
    System.out.printf(
        "postgres restart: %d transfers accepted (%d before the stop, %d after the restart), %d refused while it was away"
            + " and %d while it stopped or the services reconnected; %d requests without an answer (%d while it was away);"
            + " %d events published but not audited when it stopped; it was back after %d ms%n",
        accepted.size(),
        beforeOutage,
        acceptedAfterRestart.get(),
        duringOutage,
        refusals.size() - duringOutage,
        failedDuringOutage.size() + failedOtherwise.get(),
        failedDuringOutage.size(),
        publishedBeforeOutage - auditedBeforeOutage,
        restartedAfterMs);

    // every request got an answer (no hang, no reset connection), and those refused because the
    // database
    // was away or coming back got 503 problems, nothing else
    assertEquals(
        List.of(), failedDuringOutage, "requests without an answer while the database was away");
    assertEquals(
        0, failedOtherwise.get(), "requests without an answer while the database was there");
    assertTrue(duringOutage > 0, "requests were answered while the database was away");
    for (Refusal refusal : refusals) {
      assertEquals(
          503,
          refusal.status(),
          "a request refused while the database stops, is away or comes back: " + refusal);
      assertTrue(
          refusal.contentType().startsWith("application/problem+json"),
          "a problem body: " + refusal);
      assertTrue(refusal.body().contains("\"code\":\"TRY_AGAIN\""), "code TRY_AGAIN: " + refusal);
      assertEquals("1", refusal.retryAfter(), "Retry-After: " + refusal);
    }

    assertTrue(acceptedAfterRestart.get() >= 20, "the services work again without being restarted");
    for (String service : List.of("registry-service", "issuance-service", "audit-service")) {
      assertTrue(
          StackState.live(component(before, service)).isPresent(),
          service + " was not restarted and still runs");
    }
    try (Connection c = client.database("registry");
        Statement st = c.createStatement()) {
      List<String> missing = new ArrayList<>();
      for (String id : accepted) {
        try (ResultSet rs =
            st.executeQuery("SELECT 1 FROM registry_transaction WHERE id = '" + id + "'")) {
          if (!rs.next()) {
            missing.add(id);
          }
        }
      }
      assertEquals(List.of(), missing, "every transfer that got a 201 is stored");
      try (ResultSet rs =
          st.executeQuery("SELECT balance FROM account WHERE number = '" + to + "'")) {
        rs.next();
        assertEquals(accepted.size(), rs.getLong(1));
      }
    }

    // the audit log: audit-service had events to append while the database was away ...
    assertTrue(
        publishedBeforeOutage > auditedBeforeOutage,
        "events were published but not yet audited when the database stopped ("
            + publishedBeforeOutage
            + " published, "
            + auditedBeforeOutage
            + " audited)");
    long entries = client.assertAuditLogHoldsEveryEventOnce();
    // ... its ingest failed on them and retried ...
    byte[] log = Files.readAllBytes(auditLog);
    String logged =
        new String(
            log, (int) auditLogOffset, log.length - (int) auditLogOffset, StandardCharsets.UTF_8);
    Matcher retry = APPEND_RETRY.matcher(logged);
    List<String> retries = new ArrayList<>();
    while (retry.find()) {
      retries.add(retry.group());
    }
    System.out.printf(
        "postgres restart: audit-service retried appending %d times (%s); %d entries in the log%n",
        retries.size(),
        retries.isEmpty() ? "" : retries.get(0) + " ... " + retries.get(retries.size() - 1),
        entries);
    assertTrue(
        !retries.isEmpty(),
        "audit-service's ingest failed to append while the database was away and retried");
    // ... and every event is in the log once, in a chain that verifies, matching the registry
    client.auditOk("/audit/verification");
    client.auditOk("/audit/reconciliation");
  }

  private static long auditEntries() throws Exception {
    try (Connection c = client.database("audit");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM audit_entry")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Events the registry's and issuance's relays have published (the broker acknowledged them). */
  private static long published() throws Exception {
    long total = 0;
    for (String db : List.of("registry", "issuance")) {
      try (Connection c = client.database(db);
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery("SELECT count(*) FROM outbox_event WHERE published_at IS NOT NULL")) {
        rs.next();
        total += rs.getLong(1);
      }
    }
    return total;
  }

  private static StackState.Component component(
      List<StackState.Component> components, String name) {
    return components.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  /** Sends SIGSTOP or SIGCONT to a process of the stack this test started. */
  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    assertEquals(0, kill.waitFor(), "kill -" + signal + " " + pid);
  }
}
