package org.tanso.local;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tanso.events.Topics;

/**
 * Two instances of each service on one database each, as deploy/README.md describes several
 * replicas: traffic goes through both instances of every service. Each event is published exactly
 * once (one relay leader per database), the records of one key are in the order of their changes,
 * and the audit log, appended by both audit-service instances, holds every event once in a chain
 * without gap or fork.
 */
class TwoInstancesIT {

  private static final int ACCOUNTS = 4;

  private static StackRunner stack;
  private static StackClient first;
  private static StackClient second;

  @BeforeAll
  static void up() throws Exception {
    stack = new StackRunner("two-instances-it");
    StackRunner.Result up =
        stack.up(
            "--registry-instances", "2", "--issuance-instances", "2", "--audit-instances", "2");
    assertEquals(0, up.exitCode(), up.output());
    first = new StackClient(stack);
    second =
        new StackClient(
            stack, stack.registryPort + 100, stack.issuancePort + 100, stack.auditPort + 100);
  }

  @AfterAll
  static void down() throws Exception {
    stack.tearDown();
  }

  @Test
  void twoInstancesOfEachServicePublishOnceInOrderAndAuditWithoutGapOrFork() throws Exception {
    List<StackState.Component> components =
        StackState.load(stack.state.resolve("stack.properties")).components();
    for (String instance : List.of("registry-service.2", "issuance-service.2", "audit-service.2")) {
      assertTrue(
          components.stream()
              .anyMatch(c -> c.name().equals(instance) && StackState.live(c).isPresent()),
          instance + " runs");
    }
    // one project funds four accounts: requested through one issuance-service, approved through the
    // other
    String dev = first.participant("VN");
    List<String> from = new ArrayList<>();
    for (int i = 0; i < ACCOUNTS; i++) {
      from.add((i % 2 == 0 ? first : second).account(dev, "VN"));
    }
    String to = second.account(second.participant("JP"), "JP");
    String project = second.project("JCM", dev, from, List.of(25, 25, 25, 25));
    String request =
        submit(
            first,
            dev,
            project,
            4_000,
            java.time.LocalDate.of(2025, 1, 1),
            java.time.LocalDate.of(2025, 12, 31));
    given()
        .auth()
        .oauth2(second.admin())
        .post(second.issuance("/issuance-requests/" + request + "/approval"))
        .then()
        .statusCode(200);
    // a second project, the other way round, while the transfers run
    String otherProject = first.project("JCM", dev, List.of(to), List.of(100));

    String token = first.tokens.mint("project-developer", dev, Duration.ofMinutes(30));
    awaitIssued(first, request);
    AtomicBoolean sending = new AtomicBoolean(true);
    AtomicInteger[] acceptedBy = {new AtomicInteger(), new AtomicInteger()};
    AtomicInteger refused = new AtomicInteger();
    // a thread that dies on an exception or a failed assertion must fail the test, not just stop
    // sending
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Thread> senders = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread sender =
          new Thread(
              () -> {
                try {
                  int n = 0;
                  while (sending.get()) {
                    int instance = n++ % 2;
                    String account = from.get(ThreadLocalRandom.current().nextInt(ACCOUNTS));
                    var response =
                        given()
                            .auth()
                            .oauth2(token)
                            .header("Idempotency-Key", UUID.randomUUID().toString())
                            .contentType(ContentType.JSON)
                            .body(Map.of("from", account, "to", to, "quantity", 1))
                            .post((instance == 0 ? first : second).registry("/transfers"));
                    if (response.statusCode() == 201) {
                      acceptedBy[instance].incrementAndGet();
                    } else {
                      refused.incrementAndGet();
                    }
                  }
                } catch (Throwable e) {
                  failures.add(e);
                }
              },
              "transfers-" + t);
      sender.start();
      senders.add(sender);
    }
    // meanwhile issuance requests for the other project, requested through one issuance-service and
    // approved through the
    // other, so that both topics carry events while the transfers run and both audit-service
    // instances append at once
    List<String> otherRequests = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread issuer =
        new Thread(
            () -> {
              try {
                int n = 0;
                // at most 300 one-day periods: they stay inside the vintage year 2025
                while (sending.get() && n < 300) {
                  StackClient submitTo = n % 2 == 0 ? second : first;
                  StackClient approveAt = n++ % 2 == 0 ? first : second;
                  // one day of monitoring each: the periods of one project's requests must not
                  // overlap
                  java.time.LocalDate day = java.time.LocalDate.of(2025, 1, 1).plusDays(n);
                  String other = submit(submitTo, dev, otherProject, 50, day, day);
                  given()
                      .auth()
                      .oauth2(approveAt.admin())
                      .post(approveAt.issuance("/issuance-requests/" + other + "/approval"))
                      .then()
                      .statusCode(200);
                  otherRequests.add(other);
                }
              } catch (Throwable e) {
                failures.add(e);
              }
            },
            "issuer");
    issuer.start();
    Thread.sleep(8_000);
    sending.set(false);
    issuer.join();
    for (Thread sender : senders) {
      sender.join();
    }
    assertEquals(List.of(), failures, "failures in the sending threads");
    for (String other : otherRequests) {
      awaitIssued(second, other);
    }
    System.out.printf(
        "two instances: %d further issuance requests issued through both issuance-service instances%n",
        otherRequests.size());
    assertTrue(
        otherRequests.size() >= 2,
        "issuance requests went through both issuance-service instances");
    System.out.printf(
        "two instances: %d transfers through registry-service, %d through registry-service.2, %d refused%n",
        acceptedBy[0].get(), acceptedBy[1].get(), refused.get());
    assertEquals(0, refused.get(), "no transfer refused");
    assertTrue(
        acceptedBy[0].get() > 0 && acceptedBy[1].get() > 0,
        "both registry-service instances made transfers");

    first.awaitAllPublished();
    ObjectMapper json = new ObjectMapper();
    Map<String, List<String>> outOfOrder = new HashMap<>();
    for (String[] source :
        List.of(
            new String[] {"registry", Topics.REGISTRY_EVENTS},
            new String[] {"issuance", Topics.ISSUANCE_EVENTS})) {
      Map<String, Long> outboxIds = new HashMap<>();
      long relayed = 0;
      try (Connection c = first.database(source[0]);
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT CAST(event_id AS text), id FROM outbox_event")) {
        while (rs.next()) {
          outboxIds.put(rs.getString(1), rs.getLong(2));
        }
      }
      List<StackTopics.Received> records = StackTopics.readToEnd(stack, source[1]);
      // exactly once: one record per outbox row, no other
      Map<String, Integer> copies = new HashMap<>();
      records.forEach(r -> copies.merge(r.ceId(), 1, Integer::sum));
      List<String> repeated =
          copies.entrySet().stream()
              .filter(e -> e.getValue() > 1)
              .map(e -> e.getKey() + " x" + e.getValue())
              .toList();
      System.out.printf(
          "two instances: %d records on %s for %d outbox rows, %d published twice or more%n",
          records.size(), source[1], outboxIds.size(), repeated.size());
      assertEquals(List.of(), repeated, "events published more than once on " + source[1]);
      assertEquals(
          outboxIds.keySet(),
          copies.keySet(),
          "the records on " + source[1] + " are the outbox's events");
      // one relay at a time: the instances' published counters add up to the rows, not more
      StackClient[] instances = {first, second};
      for (StackClient instance : instances) {
        relayed +=
            Math.round(
                instance.metric(
                    source[0].equals("registry") ? instance.registry("") : instance.issuance(""),
                    "tanso_outbox_published_total"));
      }
      assertEquals(
          outboxIds.size(),
          relayed,
          "events the relays of both " + source[0] + "-service instances published, together");
      // per key, the records come in the order of the changes (their outbox rows)
      Map<String, Long> lastOfKey = new HashMap<>();
      for (StackTopics.Received r : records) {
        long id = outboxIds.get(r.ceId());
        Long last = lastOfKey.put(r.partition() + "/" + r.key(), id);
        if (last != null && last >= id) {
          outOfOrder
              .computeIfAbsent(source[1], k -> new ArrayList<>())
              .add(r.key() + ": row " + id + " after row " + last);
        }
      }
      if (source[0].equals("registry")) {
        // and per account, the transfers in the order they took place: each moved the serial number
        // next to the
        // previous one's (an account's one block is used up from one end, one unit per transfer)
        Map<String, Long> lastSerial = new HashMap<>();
        Map<String, Long> step = new HashMap<>();
        int transfers = 0;
        for (StackTopics.Received r : records) {
          if ("tanso.registry.CreditsTransferred.v1".equals(r.ceType())) {
            JsonNode payload = json.readTree(r.value());
            String account = payload.get("from").asText();
            long serial = payload.get("blocks").get(0).get("start").asLong();
            Long last = lastSerial.put(account, serial);
            transfers++;
            if (last != null) {
              long direction = step.computeIfAbsent(account, a -> serial - last);
              if (Math.abs(direction) != 1 || serial - last != direction) {
                outOfOrder
                    .computeIfAbsent("transfers", k -> new ArrayList<>())
                    .add(account + ": serial " + serial + " after " + last);
              }
            }
          }
        }
        assertEquals(
            acceptedBy[0].get() + acceptedBy[1].get(),
            transfers,
            "one transfer event per accepted transfer");
      }
    }
    assertEquals(Map.of(), outOfOrder, "records of one key out of the order of their changes");

    // both audit-service instances appended, one log: every event once, sequence numbers without a
    // gap, a chain without a fork
    long entries = first.assertAuditLogHoldsEveryEventOnce();
    double byFirst = first.metric(first.audit(""), "tanso_audit_appended_total");
    double bySecond = second.metric(second.audit(""), "tanso_audit_appended_total");
    System.out.printf(
        "two instances: %d audit entries, %.0f appended by audit-service, %.0f by audit-service.2%n",
        entries, byFirst, bySecond);
    assertTrue(byFirst > 0 && bySecond > 0, "both audit-service instances appended to the log");
    assertEquals(
        entries,
        Math.round(byFirst + bySecond),
        "the entries are the ones the two instances appended, each once");
    for (StackClient instance : List.of(first, second)) {
      instance.auditOk("/audit/verification");
      instance.auditOk("/audit/reconciliation");
    }
    long held = second.balance(to);
    for (String account : from) {
      held += first.balance(account);
    }
    long issued = 4_000 + 50L * otherRequests.size();
    assertEquals(issued, held, "no unit created or lost");
    assertEquals(
        50L * otherRequests.size() + acceptedBy[0].get() + acceptedBy[1].get(),
        second.balance(to),
        "every accepted transfer arrived");
  }

  private static String submit(
      StackClient client,
      String dev,
      String project,
      long quantity,
      java.time.LocalDate start,
      java.time.LocalDate end) {
    Map<String, Object> body = new HashMap<>();
    body.put("project", project);
    body.put("monitoringPeriod", Map.of("start", start.toString(), "end", end.toString()));
    body.put("vintage", 2025);
    body.put("quantity", quantity);
    body.put("verificationReport", Map.of("reference", "VR-" + project, "sha256", "ab".repeat(32)));
    return given()
        .auth()
        .oauth2(client.tokens.mint("project-developer", dev, Duration.ofMinutes(10)))
        .contentType(ContentType.JSON)
        .body(body)
        .post(client.issuance("/issuance-requests"))
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  private static void awaitIssued(StackClient client, String request) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      String status =
          given()
              .auth()
              .oauth2(client.admin())
              .get(client.issuance("/issuance-requests/" + request))
              .then()
              .statusCode(200)
              .extract()
              .path("status");
      if (status.equals("ISSUED")) {
        return;
      }
      StackClient.sleep(100);
    }
    throw new AssertionError("request " + request + " not ISSUED within 30 s");
  }
}
