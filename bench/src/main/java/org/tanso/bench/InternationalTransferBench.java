package org.tanso.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Latency of one international transfer from the main registry (VN-JCM) to the peer registry of a
 * running {@code tanso up --peer-registry JP} stack: N transfers one after the other, each polled
 * every 20 ms until COMPLETED. Prints p50, p99 and max of proposed to completed, as the client saw
 * it (POST sent to the first GET answering COMPLETED) and as the sending registry recorded it
 * (proposedAt to completedAt). Sets up its own participants, accounts and NDC-authorised units.
 *
 * <p>{@code bench/international [N] [--state-dir DIR]}; N defaults to 100.
 */
public final class InternationalTransferBench {

  private static final Duration POLL = Duration.ofMillis(20);

  private InternationalTransferBench() {}

  public static void main(String[] args) throws Exception {
    int n = 100;
    Path stateDir = Path.of("deploy/local/.run");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--state-dir")) {
        stateDir = Path.of(args[++i]);
      } else {
        n = Integer.parseInt(args[i]);
      }
    }
    LocalStack stack = LocalStack.load(stateDir.toAbsolutePath());
    String peerId = stack.setting("peer.registry.id");
    if (peerId == null) {
      throw new IllegalStateException(
          "the stack in "
              + stateDir
              + " runs no peer registry; start it with tanso up --peer-registry JP");
    }
    String peerParty = stack.setting("peer.party");
    String peerComponent = "registry-service." + peerId.toLowerCase(Locale.ROOT);
    String registry =
        "http://127.0.0.1:" + stack.component("registry-service").orElseThrow().port();
    String peer = "http://127.0.0.1:" + stack.component(peerComponent).orElseThrow().port();
    Http http = new Http();
    String run = UUID.randomUUID().toString().substring(0, 6).toUpperCase(Locale.ROOT);
    String admin = stack.token("registry-admin", null, "bench-admin");
    String approver = stack.token("registry-admin", null, "bench-approver");

    // the sender: a developer with NDC-authorised units, enough for N transfers of 1 unit
    String developer = "BI" + run + "-DEV";
    http.post(
        registry + "/participants",
        admin,
        Map.of("id", developer, "name", "Bench developer " + run, "party", "VN"),
        201);
    String from =
        http.post(
                registry + "/accounts",
                admin,
                Map.of("holder", developer, "party", "VN", "type", "HOLDING"),
                201)
            .get("number")
            .asText();
    String developerToken = stack.token("project-developer", developer, developer);
    String project = "BI" + run;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", project);
    body.put("title", "Benchmark NDC project " + project);
    body.put("mechanism", "JCM");
    body.put("hostParty", "VN");
    body.put("partnerParty", peerParty);
    body.put("methodology", "VN_AM007");
    body.put("sectoralScope", "1 Energy industries");
    body.put("participants", List.of(developer));
    body.put(
        "authorisation",
        Map.of(
            "id",
            "AUTH-" + project,
            "date",
            "2025-01-10",
            "purpose",
            "NDC",
            "purposes",
            List.of("NDC"),
            "quantity",
            1_000_000));
    body.put("allocation", List.of(Map.of("account", from, "percent", 100)));
    http.post(stack.issuanceUrl() + "/projects", admin, body, 201);
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("project", project);
    request.put(
        "monitoringPeriod",
        Map.of(
            "start",
            LocalDate.of(2025, 1, 1).toString(),
            "end",
            LocalDate.of(2025, 12, 31).toString()));
    request.put("vintage", 2025);
    request.put("quantity", n);
    request.put(
        "verificationReport", Map.of("reference", "VR-" + project, "sha256", "ab".repeat(32)));
    String requestId =
        http.post(stack.issuanceUrl() + "/issuance-requests", developerToken, request, 201)
            .get("id")
            .asText();
    http.post(
        stack.issuanceUrl() + "/issuance-requests/" + requestId + "/approval", approver, null, 200);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!http.get(stack.issuanceUrl() + "/issuance-requests/" + requestId, admin)
        .path("status")
        .asText()
        .equals("ISSUED")) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "issuance request " + requestId + " not ISSUED within 60 s");
      }
      Thread.sleep(100);
    }
    // the receiver: one account in the peer registry
    String buyer = "BI" + run + "-BUYER";
    http.post(
        peer + "/participants",
        admin,
        Map.of("id", buyer, "name", "Bench buyer " + run, "party", peerParty),
        201);
    String to =
        http.post(
                peer + "/accounts",
                admin,
                Map.of("holder", buyer, "party", peerParty, "type", "HOLDING"),
                201)
            .get("number")
            .asText();

    System.out.printf(
        "%d international transfers of 1 unit %s %s -> %s %s, one after the other, polled every %d ms%n",
        n, registry, from, peer, to, POLL.toMillis());
    long[] client = new long[n];
    long[] recorded = new long[n];
    int terminated = 0;
    for (int i = 0; i < n; i++) {
      long sent = System.nanoTime();
      JsonNode proposed =
          http.post(
              registry + "/international-transfers",
              developerToken,
              Map.of("from", from, "toRegistry", peerId, "toAccount", to, "quantity", 1),
              202);
      String id = proposed.get("id").asText();
      JsonNode t;
      while (true) {
        t = http.get(registry + "/international-transfers/" + id, developerToken);
        String status = t.path("status").asText();
        if (status.equals("COMPLETED") || status.equals("TERMINATED")) {
          break;
        }
        if (System.nanoTime() - sent > Duration.ofMinutes(15).toNanos()) {
          throw new IllegalStateException(
              "transfer " + id + " still " + status + " after 15 minutes");
        }
        Thread.sleep(POLL.toMillis());
      }
      client[i] = System.nanoTime() - sent;
      if (t.path("status").asText().equals("TERMINATED")) {
        terminated++;
        System.out.println("transfer " + id + " TERMINATED: " + t);
        recorded[i] = -1;
      } else {
        recorded[i] =
            Duration.between(
                    Instant.parse(t.get("proposedAt").asText()),
                    Instant.parse(t.get("completedAt").asText()))
                .toNanos();
      }
    }
    print("client-observed, POST to COMPLETED", client);
    print(
        "registry's proposedAt to completedAt",
        Arrays.stream(recorded).filter(v -> v >= 0).toArray());
    System.out.printf("%d completed, %d terminated%n", n - terminated, terminated);
    if (terminated > 0) {
      System.exit(1);
    }
  }

  private static void print(String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "  %-38s n=%d  p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms%n",
        what,
        sorted.length,
        at(sorted, 0.50) / 1e6,
        at(sorted, 0.99) / 1e6,
        sorted[sorted.length - 1] / 1e6);
  }

  /** Nearest-rank percentile. */
  private static long at(long[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
