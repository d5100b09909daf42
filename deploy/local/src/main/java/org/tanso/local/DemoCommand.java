package org.tanso.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.erdtman.jcs.JsonCanonicalizer;
import org.tanso.devtokens.DevKeys;
import org.tanso.devtokens.DevTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * A guided tour on the running local stack, as its users would take it: a registry office registers
 * a JCM project between Viet Nam and Japan and an Article 6.4 project, developers request issuance
 * and administrators approve it, units are transferred, retired for a beneficiary and cancelled,
 * the events stream past, and a regulator checks an inclusion proof against the signed checkpoint
 * with nothing but the public key, then reconciles the log with the registry. When {@code tanso up
 * --peer-registry} started a second registry, NDC-authorised units then cross to it as an
 * international transfer and the regulator's AEF report counts them.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Walks through issuance, transfer, retirement, cancellation, the event streams, an audit proof and reconciliation on the running local stack; with a peer registry running, an international transfer to it and the AEF report.")
final class DemoCommand implements Callable<Integer> {

  @ParentCommand TansoCommand parent;

  @Option(
      names = "--timeout",
      defaultValue = "60",
      description = "Seconds the whole demo may take (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(3))
          .build();
  private final boolean tty = System.console() != null;

  private String registry;
  private String issuance;
  private String audit;
  private Registries.Registry peer;

  /** registry-service of the peer registry, null when none runs. */
  private String peerRegistry;

  private DevTokens tokens;
  private long deadline;
  private int step;

  /** A step that did not give the expected result. */
  static final class StepFailed extends RuntimeException {
    StepFailed(String message) {
      super(message);
    }
  }

  @Override
  public Integer call() throws Exception {
    StackLayout layout = parent.layout();
    Map<String, StackState.Component> running = new LinkedHashMap<>();
    for (StackState.Component c : StackState.load(layout.stateFile()).components()) {
      if (StackState.live(c).isPresent()) {
        running.put(c.name(), c);
      }
    }
    for (String needed :
        List.of("kafka", "registry-service", "issuance-service", "audit-service")) {
      if (!running.containsKey(needed)) {
        System.err.println(
            "Tanso is not running (" + needed + " is not up); start it with deploy/local/tanso up");
        return 1;
      }
    }
    registry = "http://127.0.0.1:" + running.get("registry-service").port();
    issuance = "http://127.0.0.1:" + running.get("issuance-service").port();
    audit = "http://127.0.0.1:" + running.get("audit-service").port();
    // the peer registry's steps run when up started one and its registry-service runs
    StackState state = StackState.load(layout.stateFile());
    peer = state.setting("peer.party").map(Registries::peer).orElse(null);
    if (peer != null && running.containsKey(peer.component("registry-service"))) {
      peerRegistry = "http://127.0.0.1:" + running.get(peer.component("registry-service")).port();
    }
    tokens =
        new DevTokens(DevKeys.loadOrCreate(layout.keys()).privateKey(), DevTokens.DEFAULT_ISSUER);
    long started = System.nanoTime();
    deadline =
        started + Duration.ofSeconds(timeoutSeconds + (peerRegistry != null ? 60 : 0)).toNanos();

    System.out.println(
        "Tanso demo on "
            + registry
            + ", "
            + issuance
            + ", "
            + audit
            + (peerRegistry != null ? "; peer registry " + peer.id() + " on " + peerRegistry : ""));
    try (EventTap tap = EventTap.start("127.0.0.1:" + running.get("kafka").port(), System.out)) {
      System.out.printf("%n %-3s %-44s %-70s %8s%n", "#", "step", "result", "ms");
      System.out.println(" " + "-".repeat(128));
      run(tap);
    } catch (StepFailed e) {
      System.out.println();
      System.err.println("FAILED at step " + step + ": " + e.getMessage());
      return 1;
    }
    System.out.printf(
        "%nDemo finished in %.1f s: every step as expected.%n",
        (System.nanoTime() - started) / 1e9);
    return 0;
  }

  private void run(EventTap tap) throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 6).toUpperCase(Locale.ROOT);
    String admin =
        tokens.mint(
            List.of("registry-admin"), null, "demo-registry-office", Duration.ofMinutes(10));
    String secondAdmin =
        tokens.mint(
            List.of("registry-admin"), null, "demo-joint-committee", Duration.ofMinutes(10));
    String regulator =
        tokens.mint(List.of("regulator"), null, "demo-regulator", Duration.ofMinutes(10));
    String developer = "DEMO-" + id + "-SOLAR";
    String buyer = "DEMO-" + id + "-AIRLINE";
    String government = "DEMO-" + id + "-VN-GOV";

    row(
        "register participants",
        () -> {
          post(
              registry + "/participants",
              admin,
              Map.of(
                  "id", developer, "name", "Mekong Solar JSC (project developer)", "party", "VN"),
              201);
          post(
              registry + "/participants",
              admin,
              Map.of("id", buyer, "name", "Sakura Airlines (buyer)", "party", "JP"),
              201);
          post(
              registry + "/participants",
              admin,
              Map.of("id", government, "name", "Government of Viet Nam", "party", "VN"),
              201);
          return developer + ", " + buyer + ", " + government;
        });
    String[] accounts = new String[3];
    row(
        "open accounts",
        () -> {
          accounts[0] =
              post(
                      registry + "/accounts",
                      admin,
                      Map.of("holder", developer, "party", "VN", "type", "HOLDING"),
                      201)
                  .get("number")
                  .asText();
          accounts[1] =
              post(
                      registry + "/accounts",
                      admin,
                      Map.of("holder", buyer, "party", "JP", "type", "HOLDING"),
                      201)
                  .get("number")
                  .asText();
          accounts[2] =
              post(
                      registry + "/accounts",
                      admin,
                      Map.of("holder", government, "party", "VN", "type", "GOVERNMENT_HOLDING"),
                      201)
                  .get("number")
                  .asText();
          return String.join(", ", accounts);
        });
    String devAccount = accounts[0];
    String buyerAccount = accounts[1];
    String govAccount = accounts[2];

    String jcm = "VN" + id + "J";
    String a64 = "VN" + id + "A";
    row(
        "register JCM project VN-JP, allocation 70/30",
        () -> {
          post(
              issuance + "/projects",
              admin,
              project(
                  jcm,
                  "JCM",
                  developer,
                  List.of(
                      Map.of("account", devAccount, "percent", 70),
                      Map.of("account", govAccount, "percent", 30))),
              201);
          return jcm + ": host VN, partner JP, VN_AM007, NDC authorisation of 5,000";
        });
    row(
        "register Article 6.4 project",
        () -> {
          post(
              issuance + "/projects",
              admin,
              project(
                  a64, "A6_4", developer, List.of(Map.of("account", devAccount, "percent", 100))),
              201);
          return a64 + ": A6_4, allocation 100 % to the developer";
        });

    String developerToken =
        tokens.mint(List.of("project-developer"), developer, developer, Duration.ofMinutes(10));
    String buyerToken =
        tokens.mint(List.of("project-developer"), buyer, buyer, Duration.ofMinutes(10));
    String[] jcmUnit = new String[1];
    row(
        "JCM: request 1,000, approve, await ISSUED",
        () -> {
          JsonNode issued = issue(jcm, developerToken, secondAdmin, 1_000);
          jcmUnit[0] = issued.path("issued").path("unitId").asText();
          return jcmUnit[0]
              + ": developer "
              + balance(devAccount, admin)
              + ", government "
              + balance(govAccount, admin);
        });
    row(
        "A6.4: request 1,000, approve, await ISSUED",
        () -> {
          long before = balance(devAccount, admin);
          JsonNode issued = issue(a64, developerToken, admin, 1_000);
          long received = balance(devAccount, admin) - before;
          require(
              received == 930,
              "the developer should receive 930 of 1,000 A6.4 units (5 % share of proceeds, 2 % OMGE), got "
                  + received);
          return issued.path("issued").path("unitId").asText()
              + ": 50 share of proceeds, 20 OMGE cancelled, 930 to developer";
        });
    String[] transferId = new String[1];
    row(
        "transfer 100 to the buyer",
        () -> {
          JsonNode tx =
              post(
                  registry + "/transfers",
                  developerToken,
                  Map.of("from", devAccount, "to", buyerAccount, "quantity", 100),
                  201);
          transferId[0] = tx.get("id").asText();
          return "transaction "
              + transferId[0].substring(0, 8)
              + "..., buyer balance "
              + balance(buyerAccount, admin);
        });
    String[] retirementId = new String[1];
    row(
        "retire 40 for a beneficiary",
        () -> {
          Map<String, Object> body =
              Map.of(
                  "account",
                  buyerAccount,
                  "quantity",
                  40,
                  "beneficiary",
                  "Sakura Airlines flights HND-SGN 2026",
                  "purpose",
                  "OIMP",
                  "usingParty",
                  "JP");
          JsonNode r = post(registry + "/retirements", buyerToken, body, 201);
          retirementId[0] = r.path("retirementId").asText(r.path("id").asText());
          return retirementId[0]
              + " (OIMP, using party JP), buyer balance "
              + balance(buyerAccount, admin);
        });
    row(
        "cancel 10 voluntarily",
        () -> {
          post(
              registry + "/cancellations",
              developerToken,
              Map.of(
                  "account", devAccount, "quantity", 10, "reason", "voluntary cancellation (demo)"),
              201);
          return "developer balance " + balance(devAccount, admin);
        });

    long[] seq = new long[1];
    row(
        "audit log records the retirement",
        () -> {
          JsonNode entries =
              await(
                  "the retirement in the audit log",
                  () -> {
                    JsonNode page =
                        get(
                            audit
                                + "/audit/entries?subject="
                                + buyerAccount
                                + "&type=tanso.registry.CreditsRetired.v1",
                            regulator);
                    return page.path("items").isEmpty() ? null : page;
                  });
          seq[0] = entries.path("items").get(0).get("seq").asLong();
          return "entry " + seq[0] + ", " + tap.count() + " events streamed so far";
        });
    JsonNode[] checkpoint = new JsonNode[1];
    row(
        "signed checkpoint covering it",
        () -> {
          // checkpoints are published every few seconds: on a fresh stack there may be none yet
          // (404)
          checkpoint[0] =
              await(
                  "a checkpoint covering entry " + seq[0],
                  () -> {
                    JsonNode c = getUnlessAbsent(audit + "/audit/checkpoints/latest", regulator);
                    return c != null && c.path("treeSize").asLong() >= seq[0] ? c : null;
                  });
          return "tree size "
              + checkpoint[0].get("treeSize").asLong()
              + ", root "
              + checkpoint[0].get("rootHash").asText().substring(0, 16)
              + "..., key "
              + checkpoint[0].get("keyId").asText();
        });
    row(
        "verify the inclusion proof (public key only)",
        () -> verifyProof(seq[0], checkpoint[0], regulator));
    row(
        "reconcile the log with the registry",
        () -> {
          // right after the cancellation: audit-service repeats a comparison that differs while
          // changes are still in flight
          JsonNode r = get(audit + "/audit/reconciliation", regulator);
          require(
              r.path("ok").asBoolean(),
              "reconciliation found discrepancies: " + r.path("discrepancies"));
          return "ok: "
              + r.path("accountsChecked").asInt()
              + " accounts, "
              + r.path("entriesReplayed").asLong()
              + " credit events replayed";
        });
    if (peerRegistry != null) {
      internationalTransfer(id, admin, regulator, developer, developerToken, devAccount);
    }
  }

  /**
   * Article 6.2 between two registries: NDC-authorised units go from the main registry to an
   * account in the peer registry, the peer applies the corresponding adjustment, and the
   * regulator's AEF report counts the result.
   */
  private void internationalTransfer(
      String id,
      String admin,
      String regulator,
      String developer,
      String developerToken,
      String devAccount)
      throws Exception {
    row(
        "both registries know each other",
        () -> {
          JsonNode here = get(registry + "/registry", regulator);
          JsonNode there = get(peerRegistry + "/registry", regulator);
          require(
              peers(here).contains(peer.id()),
              here.path("id").asText()
                  + " does not list "
                  + peer.id()
                  + " among its peers: "
                  + here.path("peers"));
          require(
              peers(there).contains(Registries.MAIN.id()),
              there.path("id").asText()
                  + " does not list "
                  + Registries.MAIN.id()
                  + " among its peers: "
                  + there.path("peers"));
          return here.path("id").asText()
              + " ("
              + here.path("party").asText()
              + ") <-> "
              + there.path("id").asText()
              + " ("
              + there.path("party").asText()
              + ")";
        });
    String holder = "DEMO-" + id + "-" + peer.party() + "-BUYER";
    String[] peerAccount = new String[1];
    row(
        "open an account in " + peer.id(),
        () -> {
          post(
              peerRegistry + "/participants",
              admin,
              Map.of(
                  "id",
                  holder,
                  "name",
                  "Kansai Power (buyer in " + peer.id() + ")",
                  "party",
                  peer.party()),
              201);
          peerAccount[0] =
              post(
                      peerRegistry + "/accounts",
                      admin,
                      Map.of("holder", holder, "party", peer.party(), "type", "HOLDING"),
                      201)
                  .get("number")
                  .asText();
          return holder + ": account " + peerAccount[0];
        });
    String ndc = "VN" + id + "I";
    row(
        "NDC-authorised project: issue 1,000",
        () -> {
          Map<String, Object> body =
              project(
                  ndc, "JCM", developer, List.of(Map.of("account", devAccount, "percent", 100)));
          body.put(
              "authorisation",
              Map.of(
                  "id",
                  "VN-AUTH-" + ndc,
                  "date",
                  "2025-01-10",
                  "purpose",
                  "NDC",
                  "purposes",
                  List.of("NDC"),
                  "quantity",
                  5_000));
          post(issuance + "/projects", admin, body, 201);
          return issue(ndc, developerToken, admin, 1_000).path("issued").path("unitId").asText()
              + ": purposes NDC";
        });
    long quantity = 200;
    row(
        "transfer " + quantity + " to " + peer.id(),
        () -> {
          Map<String, Object> body =
              Map.of(
                  "from",
                  devAccount,
                  "toRegistry",
                  peer.id(),
                  "toAccount",
                  peerAccount[0],
                  "quantity",
                  quantity);
          JsonNode proposed =
              post(registry + "/international-transfers", developerToken, body, 202);
          require(
              proposed.path("status").asText().equals("PROPOSED"),
              "a new international transfer should be PROPOSED: " + proposed);
          String transfer = proposed.path("id").asText();
          JsonNode done =
              await(
                  "international transfer " + transfer + " to complete",
                  () -> {
                    JsonNode t =
                        get(registry + "/international-transfers/" + transfer, developerToken);
                    String status = t.path("status").asText();
                    require(
                        !status.equals("TERMINATED"),
                        "international transfer "
                            + transfer
                            + " TERMINATED: "
                            + t.path("reason").asText(t.toString()));
                    return status.equals("COMPLETED") ? t : null;
                  });
          return transfer.substring(0, Math.min(8, transfer.length()))
              + "...: "
              + done.path("status").asText();
        });
    row(
        "units in " + peer.id() + ", adjustment applied",
        () -> {
          JsonNode holdings =
              await(
                  quantity + " units in " + peer.id() + " account " + peerAccount[0],
                  () -> {
                    JsonNode h =
                        items(
                            get(peerRegistry + "/accounts/" + peerAccount[0] + "/holdings", admin),
                            "holdings");
                    long held = 0;
                    for (JsonNode holding : h) {
                      held += holding.path("quantity").asLong();
                    }
                    return held == quantity ? h : null;
                  });
          for (JsonNode holding : holdings) {
            require(
                holding.path("correspondingAdjustment").path("status").asText().equals("APPLIED"),
                "holding without an applied corresponding adjustment: " + holding);
          }
          return quantity
              + " units in "
              + holdings.size()
              + " holding(s), correspondingAdjustment APPLIED";
        });
    int year = java.time.Year.now().getValue();
    row(
        "AEF report " + year,
        () -> {
          JsonNode aef = get(registry + "/reports/aef?year=" + year, regulator);
          return "rows: "
              + aef.path("authorisations").size()
              + " authorisations, "
              + aef.path("actions").size()
              + " actions, "
              + aef.path("holdings").size()
              + " holdings";
        });
  }

  private static List<String> peers(JsonNode registryView) {
    List<String> ids = new java.util.ArrayList<>();
    registryView.path("peers").forEach(p -> ids.add(p.path("id").asText()));
    return ids;
  }

  /** A list answer, bare or wrapped under {@code field} or {@code items}. */
  private static JsonNode items(JsonNode answer, String field) {
    return answer.isArray() ? answer : answer.has(field) ? answer.get(field) : answer.path("items");
  }

  /**
   * RFC 9162 inclusion of the entry's leaf in the signed checkpoint's tree, and the checkpoint's
   * Ed25519 signature.
   */
  private String verifyProof(long seq, JsonNode checkpoint, String regulator) throws Exception {
    long treeSize = checkpoint.get("treeSize").asLong();
    ObjectNode entry = (ObjectNode) get(audit + "/audit/entries/" + seq, regulator);
    entry.remove(List.of("prevHash", "hash"));
    byte[] leafHash =
        sha256(
            new byte[] {0}, new JsonCanonicalizer(JSON.writeValueAsString(entry)).getEncodedUTF8());
    JsonNode proof =
        get(audit + "/audit/proofs/inclusion?seq=" + seq + "&treeSize=" + treeSize, regulator);
    require(
        HexFormat.of().formatHex(leafHash).equals(proof.get("leafHash").asText()),
        "the entry's own leaf hash differs from the proof's");
    long fn = proof.get("leafIndex").asLong();
    long sn = treeSize - 1;
    byte[] r = leafHash;
    for (JsonNode p : proof.get("auditPath")) {
      byte[] sibling = HexFormat.of().parseHex(p.asText());
      require(sn != 0, "audit path longer than the tree allows");
      if ((fn & 1) == 1 || fn == sn) {
        r = sha256(new byte[] {1}, sibling, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        r = sha256(new byte[] {1}, r, sibling);
      }
      fn >>= 1;
      sn >>= 1;
    }
    require(
        sn == 0 && HexFormat.of().formatHex(r).equals(checkpoint.get("rootHash").asText()),
        "the audit path does not lead to the checkpoint's root");
    String pem =
        send(HttpRequest.newBuilder(URI.create(audit + "/audit/public-key")).GET(), null, 200)
            .body();
    PublicKey key =
        KeyFactory.getInstance("Ed25519")
            .generatePublic(
                new X509EncodedKeySpec(
                    Base64.getMimeDecoder()
                        .decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""))));
    Signature verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(key);
    verifier.update(
        ("tanso-audit\n"
                + treeSize
                + "\n"
                + checkpoint.get("rootHash").asText()
                + "\n"
                + checkpoint.get("timestamp").asText()
                + "\n")
            .getBytes(StandardCharsets.UTF_8));
    require(
        verifier.verify(Base64.getDecoder().decode(checkpoint.get("signature").asText())),
        "the checkpoint's signature does not verify");
    return "leaf "
        + (seq - 1)
        + " of "
        + treeSize
        + ": "
        + proof.get("auditPath").size()
        + " hashes to the signed root; signature valid";
  }

  private JsonNode issue(String project, String developerToken, String admin, long quantity)
      throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("project", project);
    body.put("monitoringPeriod", Map.of("start", "2025-01-01", "end", "2025-06-30"));
    body.put("vintage", 2025);
    body.put("quantity", quantity);
    body.put(
        "verificationReport",
        Map.of("reference", "VR-" + project + "-2025H1", "sha256", "3a".repeat(32)));
    String request =
        post(issuance + "/issuance-requests", developerToken, body, 201).get("id").asText();
    post(issuance + "/issuance-requests/" + request + "/approval", admin, null, 200);
    return await(
        "issuance request " + request + " to be ISSUED",
        () -> {
          JsonNode r = get(issuance + "/issuance-requests/" + request, admin);
          String status = r.path("status").asText();
          require(
              !status.equals("FAILED") && !status.equals("REJECTED"),
              "request " + request + " ended " + status + ": " + r.path("failure"));
          return status.equals("ISSUED") ? r : null;
        });
  }

  private static Map<String, Object> project(
      String id, String mechanism, String participant, List<Map<String, Object>> allocation) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("title", "Rooftop solar for Mekong Delta schools (" + id + ")");
    body.put("mechanism", mechanism);
    body.put("hostParty", "VN");
    body.put("partnerParty", "JP");
    body.put("methodology", "VN_AM007");
    body.put("sectoralScope", "1 Energy industries");
    body.put("participants", List.of(participant));
    body.put(
        "authorisation",
        Map.of("id", "VN-AUTH-" + id, "date", "2025-01-10", "purpose", "NDC", "quantity", 5_000));
    body.put("allocation", allocation);
    return body;
  }

  private long balance(String account, String token) throws Exception {
    return get(registry + "/accounts/" + account, token).get("balance").asLong();
  }

  // ---------------------------------------------------------------------------------------------

  interface StepBody {
    String run() throws Exception;
  }

  private void row(String what, StepBody body) {
    step++;
    long t0 = System.nanoTime();
    String result;
    try {
      result = body.run();
    } catch (StepFailed e) {
      throw e;
    } catch (Exception e) {
      throw new StepFailed(what + ": " + e.getMessage());
    }
    if (tty) {
      System.out.print("\r");
    }
    System.out.printf(
        " %-3d %-44s %-70s %8d%n",
        step,
        what,
        result.length() > 70 ? result.substring(0, 67) + "..." : result,
        (System.nanoTime() - t0) / 1_000_000);
  }

  private <T> T await(String what, Supplier<T> poll) {
    String spinner = "|/-\\";
    int turn = 0;
    while (System.nanoTime() < deadline) {
      T value = poll.get();
      if (value != null) {
        return value;
      }
      if (tty) {
        System.out.print("\r     waiting for " + what + " " + spinner.charAt(turn++ % 4) + "   ");
        System.out.flush();
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StepFailed("interrupted");
      }
    }
    throw new StepFailed("timed out waiting for " + what);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new StepFailed(message);
    }
  }

  private JsonNode get(String url, String token) {
    return parse(send(HttpRequest.newBuilder(URI.create(url)).GET(), token, 200).body());
  }

  /** The resource, or null while it does not exist yet (404). */
  private JsonNode getUnlessAbsent(String url, String token) {
    HttpResponse<String> response =
        send(HttpRequest.newBuilder(URI.create(url)).GET(), token, 200, 404);
    return response.statusCode() == 404 ? null : parse(response.body());
  }

  private JsonNode post(String url, String token, Object body, int expected) {
    try {
      return parse(
          send(
                  HttpRequest.newBuilder(URI.create(url))
                      .header("Content-Type", "application/json")
                      .header("Idempotency-Key", UUID.randomUUID().toString())
                      .POST(
                          body == null
                              ? HttpRequest.BodyPublishers.noBody()
                              : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))),
                  token,
                  expected)
              .body());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new StepFailed(e.getMessage());
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder builder, String token, int... expected) {
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    HttpRequest request = builder.timeout(Duration.ofSeconds(30)).build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (Arrays.stream(expected).noneMatch(code -> code == response.statusCode())) {
        throw new StepFailed(
            request.method()
                + " "
                + request.uri().getPath()
                + " answered "
                + response.statusCode()
                + ": "
                + response.body());
      }
      return response;
    } catch (java.io.IOException e) {
      throw new StepFailed(request.method() + " " + request.uri() + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailed("interrupted");
    }
  }

  private static JsonNode parse(String body) {
    try {
      return body.isEmpty() ? JSON.nullNode() : JSON.readTree(body);
    } catch (java.io.IOException e) {
      throw new StepFailed("not JSON: " + body);
    }
  }

  private static byte[] sha256(byte[]... parts) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    for (byte[] part : parts) {
      digest.update(part);
    }
    return digest.digest();
  }
}
