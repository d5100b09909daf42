package org.tanso.local;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.tanso.events.Topics;

/**
 * Two registries on one real broker ({@code tanso up --peer-registry JP}): international transfers
 * from VN-JCM to JP-JCM complete, are rejected, time out with a late answer, survive duplicated
 * messages and a peer killed mid-protocol; afterwards every unit is counted once over both
 * registries and both audit-services reconcile, and {@code down} stops both. One stack for the
 * whole class (starting a stack with a peer is the slow part), with a transfer timeout of 15 s
 * swept every second, so that a timeout happens within the test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InternationalTransfersIT {

  private static final String PEER = "JP-JCM";
  private static final String PEER_COMPONENT = "registry-service.jp-jcm";
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private static StackRunner stack;
  private static String[] peerOptions;
  private static int peerRegistryPort;
  private static int peerAuditPort;
  private static StackClient vn;
  private static StackClient jp;
  private static String developer;
  private static String devAccount;
  private static String devToken;
  private static String unitId;
  private static long issued;

  /** Every international transfer the tests started, for the final checks. */
  private static final Map<String, String> transfers = new ConcurrentHashMap<>();

  /** A serial range of one unit identifier. */
  record Range(String unitId, long start, long end) {
    long quantity() {
      return end - start + 1;
    }

    boolean overlaps(Range o) {
      return unitId.equals(o.unitId) && start <= o.end && o.start <= end;
    }
  }

  /** One block of GET /holdings. */
  record Held(String account, Range range, String state, String adjustment, String appliedBy) {}

  @BeforeAll
  static void up() throws Exception {
    long t0 = System.nanoTime();
    stack = new StackRunner("international-transfers-it");
    stack.environment.put("TANSO_INTERNATIONAL_TRANSFER_TIMEOUT", TIMEOUT.toString());
    stack.environment.put("TANSO_INTERNATIONAL_TRANSFER_SWEEP", "1s");
    peerRegistryPort = StackRunner.freePort();
    peerAuditPort = StackRunner.freePort();
    peerOptions =
        new String[] {
          "--peer-registry",
          "JP",
          "--peer-registry-port",
          Integer.toString(peerRegistryPort),
          "--peer-audit-port",
          Integer.toString(peerAuditPort)
        };
    StackRunner.Result up = stack.up(peerOptions);
    assertEquals(0, up.exitCode(), up.output());
    vn = new StackClient(stack);
    jp = new StackClient(stack, peerRegistryPort, stack.issuancePort, peerAuditPort);

    developer = vn.participant("VN");
    devAccount = vn.account(developer, "VN");
    devToken = vn.tokens.mint("project-developer", developer, Duration.ofMinutes(30));
    issued = 3_000;
    JsonPath request =
        vn.submitApproveAndAwaitIssued(developer, ndcProject(developer, devAccount), issued);
    unitId = request.getString("issued.unitId");
    assertNotNull(unitId, request.prettify());
    assertEquals(issued, vn.balance(devAccount));
    System.out.printf(
        "international transfers IT: stack with peer up and %d NDC units issued in %d ms%n",
        issued, (System.nanoTime() - t0) / 1_000_000);
  }

  @AfterAll
  static void down() throws Exception {
    if (stack != null) {
      // never leave the peer stopped: 'tanso down' could not stop it
      peerPid().ifPresent(pid -> signal("CONT", pid));
      stack.tearDown();
    }
  }

  @Test
  @Order(0)
  void aPeerRegistryRunsBesideTheMainOneWithItsOwnServicesAndTopics() throws Exception {
    // refused before anything starts: a fresh state folder, nothing running there
    StackRunner other = new StackRunner("peer-registry-refused");
    StackRunner.Result refused = other.up("--peer-registry", "VN");
    assertEquals(2, refused.exitCode(), refused.output());
    assertTrue(refused.output().contains("main registry"), refused.output());
    assertFalse(
        java.nio.file.Files.exists(other.state.resolve("stack.properties")), refused.output());

    assertTrue(
        components()
            .containsAll(
                List.of(
                    "kafka",
                    "registry-service",
                    "issuance-service",
                    "audit-service",
                    PEER_COMPONENT,
                    "audit-service.jp-jcm")),
        components().toString());
    HttpClient http = HttpClient.newHttpClient();
    for (int port : new int[] {stack.registryPort, peerRegistryPort, peerAuditPort}) {
      HttpResponse<String> ready =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ready.statusCode(), port + ": " + ready.body());
    }
    // the same development key: one token of the command for both registries
    String token = stack.tanso("token", "regulator").output().trim();
    HttpResponse<String> reconciliation =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + peerAuditPort + "/audit/reconciliation"))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(
        200,
        reconciliation.statusCode(),
        "the peer's audit-service reconciles against the peer's registry-service: "
            + reconciliation.body());
    assertTrue(
        topics("tanso.")
            .containsAll(
                List.of(
                    "tanso.interregistry.VN-JCM",
                    "tanso.interregistry.JP-JCM",
                    "tanso.jp-jcm.registry.events",
                    "tanso.jp-jcm.issuance.events")),
        topics("tanso.").toString());
    StackRunner.Result status = stack.tanso("status");
    assertEquals(0, status.exitCode(), status.output());
    assertTrue(
        status.output().contains(PEER_COMPONENT)
            && status.output().contains("JP-JCM (Japan JCM registry)"),
        status.output());
  }

  @Test
  @Order(1)
  void aTransferCompletesInBothRegistries() throws Exception {
    String to = peerAccount();
    String id = propose(to, 200);
    JsonPath sent =
        awaitTransfer(vn, id, t -> final_(t.getString("status")), Duration.ofSeconds(30));
    assertEquals("COMPLETED", sent.getString("status"), sent.prettify());
    JsonPath received =
        awaitTransfer(
            jp, id, t -> "COMPLETED".equals(t.getString("status")), Duration.ofSeconds(30));
    assertEquals("INCOMING", received.getString("direction"), received.prettify());
    assertEquals("OUTGOING", sent.getString("direction"), sent.prettify());
    assertNotNull(sent.getString("completedAt"));
    System.out.printf(
        "completion: registry's own proposedAt -> completedAt %s%n",
        Duration.between(
            java.time.Instant.parse(sent.getString("proposedAt")),
            java.time.Instant.parse(sent.getString("completedAt"))));

    List<Range> ranges = ranges(sent);
    assertEquals(200, ranges.stream().mapToLong(Range::quantity).sum());
    assertEquals(ranges, ranges(received), "both registries record the same serials");
    List<Held> there = holdings(jp).stream().filter(h -> h.account().equals(to)).toList();
    assertEquals(
        merge(ranges),
        merge(there.stream().map(Held::range).toList()),
        "the JP account holds exactly the transferred serials: " + there);
    for (Held h : there) {
      assertEquals("ACTIVE", h.state(), h.toString());
      assertEquals(
          "APPLIED",
          h.adjustment(),
          "the corresponding adjustment applied at the first transfer travels with the units: "
              + h);
      assertEquals("VN", h.appliedBy(), h.toString());
    }
    assertEquals(200, jp.balance(to));
    List<Held> here = covering(holdings(vn), ranges);
    assertEquals(merge(ranges), merge(here.stream().map(Held::range).toList()));
    here.forEach(h -> assertEquals("TRANSFERRED_OUT", h.state(), "in VN: " + h));
    assertEquals(issued - 200, vn.balance(devAccount));
  }

  @Test
  @Order(2)
  void aProposalToAClosedAccountIsRejectedAndTheUnitsComeBack() throws Exception {
    String to = peerAccount();
    given()
        .auth()
        .oauth2(jp.admin())
        .contentType(ContentType.JSON)
        .body(Map.of("status", "CLOSED", "reason", "holder left the scheme"))
        .put(jp.registry("/accounts/" + to + "/status"))
        .then()
        .statusCode(200);
    long before = vn.balance(devAccount);
    String id = propose(to, 50);
    JsonPath sent =
        awaitTransfer(vn, id, t -> final_(t.getString("status")), Duration.ofSeconds(30));
    assertEquals("TERMINATED", sent.getString("status"), sent.prettify());
    assertEquals("ACCOUNT_NOT_OPEN", sent.getString("code"), sent.prettify());
    assertEquals("REJECTED", sent.getString("answer"), sent.prettify());
    JsonPath received =
        awaitTransfer(
            jp, id, t -> "TERMINATED".equals(t.getString("status")), Duration.ofSeconds(30));
    assertEquals("REJECTED", received.getString("answer"), received.prettify());

    List<Range> ranges = ranges(sent);
    covering(holdings(vn), ranges)
        .forEach(h -> assertEquals("ACTIVE", h.state(), "back in VN: " + h));
    assertEquals(
        merge(ranges), merge(covering(holdings(vn), ranges).stream().map(Held::range).toList()));
    assertEquals(before, vn.balance(devAccount));
    assertEquals(List.of(), covering(holdings(jp), ranges), "nothing of a rejected transfer in JP");
    assertEquals(0, jp.balance(to));
  }

  @Test
  @Order(3)
  void withoutAnAnswerTheSenderTerminatesAndALateAcceptanceChangesNothing() throws Exception {
    String to = peerAccount();
    long before = vn.balance(devAccount);
    long pid = peerPid().orElseThrow();
    signal("STOP", pid);
    String id;
    JsonPath sent;
    try {
      id = propose(to, 30);
      sent = awaitTransfer(vn, id, t -> final_(t.getString("status")), TIMEOUT.plusSeconds(20));
      assertEquals("TERMINATED", sent.getString("status"), sent.prettify());
      assertEquals("TIMEOUT", sent.getString("code"), sent.prettify());
      assertNull(sent.getString("lateAnswerAt"));
      assertEquals(
          before,
          vn.balance(devAccount),
          "the reserved units are spendable again once the transfer timed out");
    } finally {
      signal("CONT", pid);
    }
    // the peer wakes up, reads the proposal and accepts it, then reads the termination
    JsonPath late =
        awaitTransfer(vn, id, t -> t.getString("lateAnswerAt") != null, Duration.ofSeconds(60));
    assertEquals("TERMINATED", late.getString("status"), late.prettify());
    assertEquals("TIMEOUT", late.getString("code"), late.prettify());
    JsonPath received =
        awaitTransfer(
            jp, id, t -> "TERMINATED".equals(t.getString("status")), Duration.ofSeconds(30));
    assertEquals(
        "ACCEPTED", received.getString("answer"), "JP accepted, too late: " + received.prettify());

    List<Range> ranges = ranges(sent);
    covering(holdings(vn), ranges)
        .forEach(h -> assertEquals("ACTIVE", h.state(), "back in VN: " + h));
    assertEquals(
        List.of(), covering(holdings(jp), ranges), "a late acceptance creates nothing in JP");
    assertEquals(0, jp.balance(to));
    assertEquals(before, vn.balance(devAccount));
  }

  @Test
  @Order(4)
  void duplicatedMessagesTakeEffectOnce() throws Exception {
    String to = peerAccount();
    String id = propose(to, 40);
    awaitTransfer(vn, id, t -> "COMPLETED".equals(t.getString("status")), Duration.ofSeconds(30));
    awaitTransfer(jp, id, t -> "COMPLETED".equals(t.getString("status")), Duration.ofSeconds(30));
    long vnBalance = vn.balance(devAccount);

    List<StackTopics.Received> toJp =
        StackTopics.readToEnd(stack, Topics.interRegistry(PEER)).stream()
            .filter(r -> id.equals(r.key()))
            .toList();
    List<StackTopics.Received> toVn =
        StackTopics.readToEnd(stack, Topics.interRegistry(Registries.MAIN.id())).stream()
            .filter(r -> id.equals(r.key()))
            .toList();
    assertEquals(
        List.of("TransferProposed", "TransferCompleted"),
        toJp.stream().map(r -> shortType(r.ceType())).toList(),
        toJp.toString());
    assertEquals(
        List.of("TransferAnswered"),
        toVn.stream().map(r -> shortType(r.ceType())).toList(),
        toVn.toString());

    List<StackTopics.Received> copies = new ArrayList<>();
    copies.addAll(toJp);
    copies.addAll(toVn);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + stack.kafkaPort),
            new StringSerializer(),
            new StringSerializer())) {
      for (StackTopics.Received r : copies) {
        // the very same message twice more, then once as if the sender had produced it anew
        producer.send(copy(r, r.headers())).get();
        producer.send(copy(r, r.headers())).get();
        Map<String, String> renamed = new HashMap<>(r.headers());
        renamed.put("ce_id", UUID.randomUUID().toString());
        producer.send(copy(r, renamed)).get();
      }
    }
    awaitConsumed(Topics.interRegistry(PEER));
    awaitConsumed(Topics.interRegistry(Registries.MAIN.id()));

    assertEquals("COMPLETED", transfer(vn, id).getString("status"));
    assertEquals("COMPLETED", transfer(jp, id).getString("status"));
    assertEquals(40, jp.balance(to), "the JP account is credited once");
    assertEquals(
        40,
        holdings(jp).stream()
            .filter(h -> h.account().equals(to))
            .mapToLong(h -> h.range().quantity())
            .sum());
    assertEquals(vnBalance, vn.balance(devAccount));
    assertEquals(
        1,
        events(Topics.REGISTRY_EVENTS, "InternationalTransferCompleted", id),
        "one completion in VN");
    assertEquals(
        1, events("tanso.jp-jcm.registry.events", "UnitsAcquired", id), "one acquisition in JP");
    for (String dlq : topics("tanso.interregistry.")) {
      if (dlq.contains(".dlq.")) {
        assertEquals(
            List.of(),
            StackTopics.readToEnd(stack, dlq).stream().filter(r -> id.equals(r.key())).toList(),
            "duplicates are ignored, not dead-lettered: " + dlq);
      }
    }
  }

  @Test
  @Order(5)
  void aPeerKilledMidProtocolEndsEveryTransferConsistently() throws Exception {
    String to = peerAccount();
    long before = vn.balance(devAccount);
    List<String> ids = new ArrayList<>();
    long pid = peerPid().orElseThrow();
    for (int i = 0; i < 10; i++) {
      ids.add(propose(to, 10 + i));
      if (i == 3) {
        ProcessHandle peer = ProcessHandle.of(pid).orElseThrow();
        peer.destroyForcibly();
        peer.onExit().get();
      }
    }
    long t0 = System.nanoTime();
    StackRunner.Result up = stack.up(peerOptions);
    assertEquals(0, up.exitCode(), up.output());
    assertTrue(up.output().contains("starting " + PEER_COMPONENT), up.output());
    System.out.printf(
        "peer kill: JP registry-service back in %d ms%n", (System.nanoTime() - t0) / 1_000_000);

    Map<String, String> outcome = new TreeMap<>();
    long completed = 0;
    List<Range> arrived = new ArrayList<>();
    List<Range> returned = new ArrayList<>();
    for (String id : ids) {
      JsonPath sent =
          awaitTransfer(vn, id, t -> final_(t.getString("status")), TIMEOUT.plusSeconds(60));
      String status = sent.getString("status");
      JsonPath received =
          awaitTransfer(jp, id, t -> status.equals(t.getString("status")), Duration.ofSeconds(60));
      assertEquals(
          status,
          received.getString("status"),
          "both registries agree on " + id + ": " + sent.prettify() + received.prettify());
      outcome.merge(
          status + (sent.getString("code") == null ? "" : " " + sent.getString("code")),
          "1",
          (a, b) -> Integer.toString(Integer.parseInt(a) + 1));
      if (status.equals("COMPLETED")) {
        completed += sent.getLong("quantity");
        arrived.addAll(ranges(sent));
      } else {
        returned.addAll(ranges(sent));
      }
    }
    System.out.println("peer kill: outcomes " + outcome);
    assertEquals(completed, jp.balance(to));
    assertEquals(before - completed, vn.balance(devAccount));
    List<Held> there = holdings(jp).stream().filter(h -> h.account().equals(to)).toList();
    assertEquals(
        merge(arrived),
        merge(there.stream().map(Held::range).toList()),
        "JP holds exactly the completed transfers' serials");
    there.forEach(h -> assertEquals("ACTIVE", h.state(), h.toString()));
    List<Held> vnHoldings = holdings(vn);
    covering(vnHoldings, arrived)
        .forEach(h -> assertEquals("TRANSFERRED_OUT", h.state(), h.toString()));
    covering(vnHoldings, returned).forEach(h -> assertEquals("ACTIVE", h.state(), h.toString()));
    assertEquals(List.of(), covering(holdings(jp), returned));
  }

  @Test
  @Order(6)
  void everyUnitIsCountedOnceOverBothRegistriesAndBothLogsReconcile() throws Exception {
    List<Held> here = holdings(vn).stream().filter(h -> h.range().unitId().equals(unitId)).toList();
    List<Held> there =
        holdings(jp).stream().filter(h -> h.range().unitId().equals(unitId)).toList();
    Map<String, Long> byState = new TreeMap<>();
    long counted = 0;
    for (Held h : concat(here, there)) {
      byState.merge(
          (here.contains(h) ? "VN " : "JP ") + h.state(), h.range().quantity(), Long::sum);
      if (Set.of("ACTIVE", "RESERVED", "RETIRED", "CANCELLED").contains(h.state())) {
        counted += h.range().quantity();
      }
    }
    System.out.println("conservation of " + unitId + ": issued " + issued + ", " + byState);
    assertEquals(
        issued,
        counted,
        "issued = ACTIVE + RESERVED + RETIRED + CANCELLED over both registries: " + byState);
    assertFalse(
        byState.containsKey("VN RESERVED") || byState.containsKey("JP RESERVED"),
        "no reservation outlives its transfer: " + byState);
    // VN's blocks, in whatever state, are the issued serials 1..N exactly once
    assertEquals(
        List.of(new Range(unitId, 1, issued)), merge(here.stream().map(Held::range).toList()));
    assertEquals(
        issued, here.stream().mapToLong(h -> h.range().quantity()).sum(), "no serial twice in VN");
    assertEquals(
        merge(there.stream().map(Held::range).toList()).stream().mapToLong(Range::quantity).sum(),
        there.stream().mapToLong(h -> h.range().quantity()).sum(),
        "no serial twice in JP");
    List<Range> activeHere =
        here.stream().filter(h -> h.state().equals("ACTIVE")).map(Held::range).toList();
    for (Held h : there) {
      if (h.state().equals("ACTIVE")) {
        assertTrue(
            activeHere.stream().noneMatch(h.range()::overlaps), "ACTIVE in both registries: " + h);
        assertTrue(
            here.stream()
                .filter(v -> v.range().overlaps(h.range()))
                .allMatch(v -> v.state().equals("TRANSFERRED_OUT")),
            "what JP holds left VN: " + h);
      }
    }
    JsonPath vnAudit = awaitReconciled(vn);
    JsonPath jpAudit = awaitReconciled(jp);
    System.out.println("reconciliation VN units: " + vnAudit.getList("units"));
    System.out.println("reconciliation JP units: " + jpAudit.getList("units"));
    System.out.println("international transfers started by this test: " + transfers.size());
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  @Order(7)
  void downStopsBothRegistries() throws Exception {
    List<StackState.Component> started =
        StackState.load(stack.state.resolve("stack.properties")).components();
    StackRunner.Result down = stack.tanso("down");
    assertEquals(0, down.exitCode(), down.output());
    for (StackState.Component component : started) {
      assertFalse(
          ProcessHandle.of(component.pid()).map(ProcessHandle::isAlive).orElse(false),
          component + " still alive");
    }
  }

  private static List<String> components() throws Exception {
    return StackState.load(stack.state.resolve("stack.properties")).components().stream()
        .map(StackState.Component::name)
        .toList();
  }

  private static String ndcProject(String participant, String account) {
    String id =
        "VN"
            + UUID.randomUUID()
                .toString()
                .replace("-", "")
                .substring(0, 8)
                .toUpperCase(Locale.ROOT);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("title", "Rooftop solar " + id);
    body.put("mechanism", "JCM");
    body.put("hostParty", "VN");
    body.put("partnerParty", "JP");
    body.put("methodology", "VN_AM007");
    body.put("sectoralScope", "1 Energy industries");
    body.put("participants", List.of(participant));
    body.put(
        "authorisation",
        Map.of(
            "id",
            "AUTH-" + id,
            "date",
            "2025-01-10",
            "purpose",
            "NDC",
            "purposes",
            List.of("NDC"),
            "quantity",
            100_000));
    body.put("allocation", List.of(Map.of("account", account, "percent", 100)));
    given()
        .auth()
        .oauth2(vn.admin())
        .contentType(ContentType.JSON)
        .body(body)
        .post(vn.issuance("/projects"))
        .then()
        .statusCode(201);
    return id;
  }

  /** A new open holding account in JP-JCM. */
  private static String peerAccount() {
    return jp.account(jp.participant("JP"), "JP");
  }

  /**
   * Proposes {@code quantity} units from the developer's account to {@code to} in JP-JCM; returns
   * the transfer id.
   */
  private static String propose(String to, long quantity) {
    JsonPath proposed =
        given()
            .auth()
            .oauth2(devToken)
            .contentType(ContentType.JSON)
            .header("Idempotency-Key", UUID.randomUUID().toString())
            .body(
                Map.of(
                    "from", devAccount, "toRegistry", PEER, "toAccount", to, "quantity", quantity))
            .post(vn.registry("/international-transfers"))
            .then()
            .statusCode(202)
            .extract()
            .jsonPath();
    assertEquals("PROPOSED", proposed.getString("status"), proposed.prettify());
    transfers.put(proposed.getString("id"), to);
    return proposed.getString("id");
  }

  private static boolean final_(String status) {
    return "COMPLETED".equals(status) || "TERMINATED".equals(status);
  }

  private static JsonPath transfer(StackClient registry, String id) {
    return given()
        .auth()
        .oauth2(regulator(registry))
        .get(registry.registry("/international-transfers/" + id))
        .then()
        .extract()
        .jsonPath();
  }

  /**
   * Polls the transfer in one registry until {@code done} holds; a 404 (not there yet) counts as
   * not done.
   */
  private static JsonPath awaitTransfer(
      StackClient registry, String id, Predicate<JsonPath> done, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    String last = "nothing";
    while (true) {
      var response =
          given()
              .auth()
              .oauth2(regulator(registry))
              .get(registry.registry("/international-transfers/" + id));
      if (response.statusCode() == 200) {
        JsonPath t = response.jsonPath();
        if (done.test(t)) {
          return t;
        }
      } else if (response.statusCode() != 404) {
        throw new AssertionError(
            "GET /international-transfers/"
                + id
                + " answered "
                + response.statusCode()
                + ": "
                + response.asString());
      }
      last = response.statusCode() + " " + response.asString();
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "transfer "
                + id
                + " on "
                + registry.registry("")
                + " not as expected within "
                + within
                + "; last seen: "
                + last);
      }
      StackClient.sleep(100);
    }
  }

  private static String regulator(StackClient registry) {
    return registry.tokens.mint("regulator", null, Duration.ofMinutes(10));
  }

  private static List<Range> ranges(JsonPath transfer) {
    List<Range> ranges = new ArrayList<>();
    for (Map<String, Object> b : transfer.<Map<String, Object>>getList("blocks")) {
      ranges.add(
          new Range(
              (String) b.get("unitId"),
              ((Number) b.get("start")).longValue(),
              ((Number) b.get("end")).longValue()));
    }
    ranges.sort(java.util.Comparator.comparing(Range::unitId).thenComparingLong(Range::start));
    return ranges;
  }

  /**
   * Sorted ranges with adjacent and overlapping ones joined: two lists cover the same serials if
   * their merges are equal.
   */
  private static List<Range> merge(List<Range> ranges) {
    List<Range> sorted = new ArrayList<>(ranges);
    sorted.sort(java.util.Comparator.comparing(Range::unitId).thenComparingLong(Range::start));
    List<Range> merged = new ArrayList<>();
    for (Range r : sorted) {
      Range last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && last.unitId().equals(r.unitId()) && r.start() <= last.end() + 1) {
        merged.set(
            merged.size() - 1, new Range(r.unitId(), last.start(), Math.max(last.end(), r.end())));
      } else {
        merged.add(r);
      }
    }
    return merged;
  }

  /** Every block of a registry, in every state, through GET /holdings page by page. */
  private static List<Held> holdings(StackClient registry) {
    List<Held> all = new ArrayList<>();
    String after = null;
    do {
      var request = given().auth().oauth2(regulator(registry)).queryParam("limit", 1000);
      if (after != null) {
        request = request.queryParam("after", after);
      }
      JsonPath page =
          request.get(registry.registry("/holdings")).then().statusCode(200).extract().jsonPath();
      for (Map<String, Object> h : page.<Map<String, Object>>getList("items")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> ca = (Map<String, Object>) h.get("correspondingAdjustment");
        all.add(
            new Held(
                (String) h.get("account"),
                new Range(
                    (String) h.get("unitId"),
                    ((Number) h.get("start")).longValue(),
                    ((Number) h.get("end")).longValue()),
                (String) h.get("state"),
                ca == null ? null : (String) ca.get("status"),
                ca == null ? null : (String) ca.get("appliedBy")));
      }
      after = page.getString("next");
    } while (after != null);
    return all;
  }

  /** The blocks that hold any of {@code ranges}' serials. */
  private static List<Held> covering(List<Held> holdings, List<Range> ranges) {
    return holdings.stream().filter(h -> ranges.stream().anyMatch(h.range()::overlaps)).toList();
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static ProducerRecord<String, String> copy(
      StackTopics.Received r, Map<String, String> headers) {
    ProducerRecord<String, String> record = new ProducerRecord<>(r.topic(), r.key(), r.value());
    headers.forEach(
        (k, v) -> record.headers().add(k, v == null ? null : v.getBytes(StandardCharsets.UTF_8)));
    return record;
  }

  private static String shortType(String ceType) {
    String[] parts = ceType.split("\\.");
    return parts.length >= 2 ? parts[parts.length - 2] : ceType;
  }

  /** How many events of {@code type} about transfer {@code id} a registry's event topic holds. */
  private static long events(String topic, String type, String id) {
    return StackTopics.readToEnd(stack, topic).stream()
        .filter(
            r ->
                r.ceType() != null
                    && r.ceType().contains("." + type + ".")
                    && r.value().contains(id))
        .count();
  }

  private static Set<String> topics(String prefix) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.<String, Object>of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + stack.kafkaPort))) {
      Set<String> names = new java.util.TreeSet<>(admin.listTopics().names().get());
      names.removeIf(n -> !n.startsWith(prefix));
      return names;
    }
  }

  /** Waits until the consumer groups reading {@code topic} have committed offsets up to its end. */
  private static void awaitConsumed(String topic) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.<String, Object>of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + stack.kafkaPort))) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (var p :
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()) {
        latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
      }
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (true) {
        boolean behind = false;
        boolean anyReader = false;
        for (ConsumerGroupListing group : admin.listConsumerGroups().all().get()) {
          Map<TopicPartition, OffsetAndMetadata> committed =
              admin.listConsumerGroupOffsets(group.groupId()).partitionsToOffsetAndMetadata().get();
          if (committed.keySet().stream().noneMatch(tp -> tp.topic().equals(topic))) {
            continue;
          }
          anyReader = true;
          for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            OffsetAndMetadata at = committed.get(end.getKey());
            if (end.getValue() > 0 && (at == null || at.offset() < end.getValue())) {
              behind = true;
            }
          }
        }
        if (anyReader && !behind) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "the readers of " + topic + " did not reach its end " + ends + " within 60 s");
        }
        StackClient.sleep(250);
      }
    }
  }

  /** The registry's audit-service reconciliation, polled until ok (it catches up with the log). */
  private static JsonPath awaitReconciled(StackClient registry) {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      JsonPath r =
          given()
              .auth()
              .oauth2(regulator(registry))
              .get(registry.audit("/audit/reconciliation"))
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      if (r.getBoolean("ok")) {
        return r;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "reconciliation of " + registry.audit("") + " not ok within 90 s: " + r.prettify());
      }
      StackClient.sleep(1_000);
    }
  }

  private static java.util.Optional<Long> peerPid() throws Exception {
    return StackState.load(stack.state.resolve("stack.properties")).components().stream()
        .filter(c -> c.name().equals(PEER_COMPONENT))
        .map(StackState.Component::pid)
        .findFirst()
        .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
  }

  private static void signal(String signal, long pid) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
      assertEquals(0, kill.waitFor(), "kill -" + signal + " " + pid);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
