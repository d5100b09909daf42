package org.tanso.local;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tanso.kraft.BrokerProcess;

/**
 * The Kafka broker is killed (SIGKILL) in the middle of a stream of transfers and restarted on the
 * same data. Transfers keep succeeding meanwhile; afterwards every transfer that got a 201 has its
 * event on the topic and exactly one audit entry, and reconciliation is ok.
 */
class BrokerDownIT {

  private static StackRunner stack;
  private static StackClient client;

  @BeforeAll
  static void up() throws Exception {
    stack = new StackRunner("broker-down-it");
    StackRunner.Result up = stack.up();
    assertEquals(0, up.exitCode(), up.output());
    client = new StackClient(stack);
  }

  @AfterAll
  static void down() throws Exception {
    stack.tearDown();
  }

  @Test
  void transfersDuringABrokerOutageAreAllPublishedAndAuditedOnce() throws Exception {
    String dev = client.participant("VN");
    String from = client.account(dev, "VN");
    String to = client.account(client.participant("JP"), "JP");
    client.submitApproveAndAwaitIssued(
        dev, client.project("JCM", dev, List.of(from), List.of(100)), 10_000);
    String token = client.tokens.mint("project-developer", dev, Duration.ofMinutes(30));

    Set<String> accepted = ConcurrentHashMap.newKeySet();
    AtomicInteger failed = new AtomicInteger();
    AtomicBoolean sending = new AtomicBoolean(true);
    Thread sender =
        new Thread(
            () -> {
              while (sending.get()) {
                var response =
                    given()
                        .auth()
                        .oauth2(token)
                        .header("Idempotency-Key", UUID.randomUUID().toString())
                        .contentType(ContentType.JSON)
                        .body(Map.of("from", from, "to", to, "quantity", 1))
                        .post(client.registry("/transfers"));
                if (response.statusCode() == 201) {
                  accepted.add(response.path("id"));
                } else {
                  failed.incrementAndGet();
                }
              }
            },
            "transfer-stream");
    sender.start();
    Thread.sleep(3_000);

    StackState state = StackState.load(stack.state.resolve("stack.properties"));
    StackState.Component kafka =
        state.components().stream().filter(c -> c.name().equals("kafka")).findFirst().orElseThrow();
    ProcessHandle brokerHandle = ProcessHandle.of(kafka.pid()).orElseThrow();
    brokerHandle.destroyForcibly();
    brokerHandle.onExit().get();
    int beforeOutage = accepted.size();
    Thread.sleep(6_000);
    int duringOutage = accepted.size() - beforeOutage;

    BrokerProcess broker =
        BrokerProcess.start(
            new BrokerProcess.Settings(
                stack.state.resolve("kafka"),
                stack.kafkaPort,
                stack.controllerPort,
                Map.of(),
                stack.state.resolve("logs/kafka.log"),
                false,
                "384m",
                Duration.ofSeconds(120)));
    state.put(
        new StackState.Component(
            "kafka",
            broker.pid(),
            stack.kafkaPort,
            StackState.startedAt(ProcessHandle.of(broker.pid()).orElseThrow())));
    state.save(stack.state.resolve("stack.properties"));
    Thread.sleep(3_000);
    sending.set(false);
    sender.join();
    System.out.printf(
        "broker down: %d transfers accepted (%d while the broker was down), %d refused%n",
        accepted.size(), duringOutage, failed.get());
    assertEquals(0, failed.get(), "no transfer failed because the broker was away");
    assertTrue(duringOutage > 0, "transfers went on while the broker was down");

    client.awaitAllPublished();
    Map<String, Integer> onTopic = transferEventsOnTopic(accepted.size());
    List<String> missing = new ArrayList<>();
    int duplicates = 0;
    for (String id : accepted) {
      int copies = onTopic.getOrDefault(id, 0);
      if (copies == 0) {
        missing.add(id);
      }
      duplicates += Math.max(0, copies - 1);
    }
    System.out.printf(
        "broker down: %d transfer events on the topic for %d accepted transfers, %d duplicate records%n",
        onTopic.values().stream().mapToInt(Integer::intValue).sum(), accepted.size(), duplicates);
    assertEquals(List.of(), missing, "every accepted transfer has its event on the topic");
    assertEquals(0, duplicates, "exactly one event per transfer on the topic");

    String regulator = client.tokens.mint("regulator", null, Duration.ofMinutes(10));
    Set<String> audited = new java.util.HashSet<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (audited.size() < accepted.size() && System.nanoTime() < deadline) {
      audited.clear();
      String after = null;
      int entries = 0;
      do {
        var request =
            given()
                .auth()
                .oauth2(regulator)
                .queryParam("subject", from)
                .queryParam("type", "tanso.registry.CreditsTransferred.v1")
                .queryParam("limit", 1000);
        if (after != null) {
          request = request.queryParam("after", after);
        }
        JsonPath page =
            request.get(client.audit("/audit/entries")).then().statusCode(200).extract().jsonPath();
        for (Object id : page.getList("items.payload.transactionId")) {
          assertTrue(audited.add((String) id), "one audit entry per transfer: " + id);
          entries++;
        }
        after = page.getString("next");
      } while (after != null);
      if (audited.size() < accepted.size()) {
        Thread.sleep(500);
      }
    }
    assertEquals(accepted, audited, "exactly one audit entry for every accepted transfer");
    JsonPath reconciliation =
        given()
            .auth()
            .oauth2(regulator)
            .get(client.audit("/audit/reconciliation"))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertTrue(reconciliation.getBoolean("ok"), reconciliation.prettify());
    JsonPath verification =
        given()
            .auth()
            .oauth2(regulator)
            .get(client.audit("/audit/verification"))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertTrue(verification.getBoolean("ok"), verification.prettify());
  }

  private Map<String, Integer> transferEventsOnTopic(int expected) throws Exception {
    ObjectMapper json = new ObjectMapper();
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", "127.0.0.1:" + stack.kafkaPort);
    config.put("group.id", "broker-down-check-" + UUID.randomUUID());
    config.put("auto.offset.reset", "earliest");
    Map<String, Integer> counts = new HashMap<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of("tanso.registry.events"));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      int idle = 0;
      while (System.nanoTime() < deadline && idle < 10) {
        var records = consumer.poll(Duration.ofMillis(500));
        idle = records.isEmpty() ? idle + 1 : 0;
        for (ConsumerRecord<String, String> record : records) {
          var type = record.headers().lastHeader("ce_type");
          if (type != null
              && new String(type.value()).equals("tanso.registry.CreditsTransferred.v1")) {
            JsonNode payload = json.readTree(record.value());
            counts.merge(payload.get("transactionId").asText(), 1, Integer::sum);
          }
        }
        if (counts.size() >= expected && idle > 2) {
          break;
        }
      }
    }
    return counts;
  }
}
