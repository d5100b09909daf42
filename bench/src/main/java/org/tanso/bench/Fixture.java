package org.tanso.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the scenarios work on, created through the public API as a registry office would: funded
 * holding accounts (one participant each), a hot account, and issuance requests waiting for
 * approval. Written to JSON so that the Gatling simulations can read it.
 */
public record Fixture(
    String runId,
    List<String> registryUrls,
    String issuanceUrl,
    String auditUrl,
    List<Holder> holders,
    Holder hot,
    List<String> adminTokens,
    String regulatorToken,
    List<String> pendingRequests,
    long unitsIssued) {

  /** A participant, its one holding account and a token acting for it. */
  public record Holder(String participant, String account, String token) {}

  public static Fixture load(Path file) {
    try {
      return Http.JSON.readValue(file.toFile(), Fixture.class);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the fixture " + file + ": " + e.getMessage(), e);
    }
  }

  void save(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Http.JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), this);
  }

  /**
   * Creates {@code accounts} funded accounts with {@code unitsPerAccount} each, a hot account and
   * {@code pending} submitted issuance requests of 10 units, through the services' REST APIs.
   */
  static Fixture create(LocalStack stack, int accounts, long unitsPerAccount, int pending)
      throws Exception {
    String runId = UUID.randomUUID().toString().substring(0, 6).toUpperCase(Locale.ROOT);
    Http http = new Http();
    String registry = stack.registryUrls().get(0);
    String admin = stack.token("registry-admin", null, "bench-admin");
    List<String> adminTokens = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      adminTokens.add(stack.token("registry-admin", null, "bench-admin-" + i));
    }
    String developer = "B" + runId + "-DEV";
    http.post(
        registry + "/participants",
        admin,
        Map.of("id", developer, "name", "Bench developer " + runId, "party", "VN"),
        201);
    String developerToken = stack.token("project-developer", developer, developer);

    List<Holder> holders = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Holder>> created = new ArrayList<>();
      for (int i = 0; i <= accounts; i++) {
        String participant = String.format(Locale.ROOT, "B%s-%04d", runId, i);
        created.add(
            pool.submit(
                () -> {
                  http.post(
                      registry + "/participants",
                      admin,
                      Map.of(
                          "id", participant, "name", "Bench holder " + participant, "party", "JP"),
                      201);
                  String number =
                      http.post(
                              registry + "/accounts",
                              admin,
                              Map.of("holder", participant, "party", "JP", "type", "HOLDING"),
                              201)
                          .get("number")
                          .asText();
                  return new Holder(
                      participant,
                      number,
                      stack.token("project-developer", participant, participant));
                }));
      }
      for (Future<Holder> f : created) {
        holders.add(f.get());
      }
      Holder hot = holders.remove(holders.size() - 1);

      // units come the way they always do: a project, an approved issuance, then transfers out of
      // the treasury
      String treasury =
          http.post(
                  registry + "/accounts",
                  admin,
                  Map.of("holder", "REGISTRY", "party", "JP", "type", "HOLDING"),
                  201)
              .get("number")
              .asText();
      String project = project(http, stack.issuanceUrl(), admin, "BF" + runId, developer, treasury);
      long total = unitsPerAccount * accounts;
      String funding =
          submit(
              http,
              stack.issuanceUrl(),
              developerToken,
              project,
              LocalDate.of(2024, 1, 1),
              LocalDate.of(2024, 12, 31),
              total);
      http.post(
          stack.issuanceUrl() + "/issuance-requests/" + funding + "/approval", admin, null, 200);
      awaitIssued(http, stack.issuanceUrl(), admin, funding);
      List<Future<?>> transfers = new ArrayList<>();
      for (Holder h : holders) {
        transfers.add(
            pool.submit(
                () ->
                    http.post(
                        registry + "/transfers",
                        admin,
                        Map.of("from", treasury, "to", h.account(), "quantity", unitsPerAccount),
                        201)));
      }
      for (Future<?> f : transfers) {
        f.get();
      }

      // requests for the issuance burst: one day each, so that no two overlap
      String burstProject =
          project(http, stack.issuanceUrl(), admin, "BB" + runId, developer, treasury);
      List<Future<String>> submitted = new ArrayList<>();
      LocalDate first = LocalDate.of(2000, 1, 1);
      for (int i = 0; i < pending; i++) {
        LocalDate day = first.plusDays(i);
        submitted.add(
            pool.submit(
                () ->
                    submit(http, stack.issuanceUrl(), developerToken, burstProject, day, day, 10)));
      }
      List<String> pendingRequests = new ArrayList<>();
      for (Future<String> f : submitted) {
        pendingRequests.add(f.get());
      }
      return new Fixture(
          runId,
          stack.registryUrls(),
          stack.issuanceUrl(),
          stack.auditUrl(),
          holders,
          hot,
          adminTokens,
          stack.token("regulator", null, "bench-regulator"),
          pendingRequests,
          total);
    } finally {
      pool.shutdownNow();
    }
  }

  private static String project(
      Http http, String issuance, String admin, String id, String developer, String account) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("title", "Benchmark project " + id);
    body.put("mechanism", "JCM");
    body.put("hostParty", "VN");
    body.put("partnerParty", "JP");
    body.put("methodology", "VN_AM007");
    body.put("sectoralScope", "1 Energy industries");
    body.put("participants", List.of(developer));
    body.put("authorisation", null);
    body.put("allocation", List.of(Map.of("account", account, "percent", 100)));
    http.post(issuance + "/projects", admin, body, 201);
    return id;
  }

  private static String submit(
      Http http,
      String issuance,
      String token,
      String project,
      LocalDate start,
      LocalDate end,
      long quantity) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("project", project);
    body.put("monitoringPeriod", Map.of("start", start.toString(), "end", end.toString()));
    body.put("vintage", end.getYear());
    body.put("quantity", quantity);
    body.put(
        "verificationReport",
        Map.of("reference", "VR-" + project + "-" + start, "sha256", "ab".repeat(32)));
    return http.post(issuance + "/issuance-requests", token, body, 201).get("id").asText();
  }

  static void awaitIssued(Http http, String issuance, String admin, String request)
      throws InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      JsonNode r = http.get(issuance + "/issuance-requests/" + request, admin);
      String status = r.get("status").asText();
      if (status.equals("ISSUED")) {
        return;
      }
      if (!status.equals("APPROVED")) {
        throw new IllegalStateException(
            "issuance request " + request + " ended " + status + ": " + r);
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("issuance request " + request + " not ISSUED within 120 s");
  }
}
