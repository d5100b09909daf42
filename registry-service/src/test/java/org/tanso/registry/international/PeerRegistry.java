package org.tanso.registry.international;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.tanso.events.CloudEventHeaders;
import org.tanso.events.Topics;
import org.tanso.events.interregistry.TransferAnswered;
import org.tanso.events.interregistry.TransferCompleted;
import org.tanso.events.interregistry.TransferProposed;
import org.tanso.events.interregistry.TransferTerminated;
import org.tanso.events.interregistry.TransferredUnits;
import org.tanso.registry.account.domain.AccountNumber;
import org.tanso.registry.account.domain.AccountType;
import org.tanso.testing.TestKafka;
import org.tanso.testing.TestKafka.Received;

/**
 * The test as a peer registry (VN-JCM by default): it writes CloudEvents messages onto the
 * registry's own topic as a peer would, and reads what the registry sends to the peer.
 */
public final class PeerRegistry {

  static final String HERE = "JP-JCM";
  public static final String VN = "VN-JCM";
  static final String INBOX = Topics.interRegistry(HERE);
  static final String TO_VN = Topics.interRegistry(VN);
  static final String DLQ = Topics.deadLetter(INBOX, "registry-service");
  static final String GROUP = "registry-service";
  static final Duration WAIT = Duration.ofSeconds(30);

  static final String PROPOSED = "tanso.interregistry.TransferProposed.v1";
  static final String ANSWERED = "tanso.interregistry.TransferAnswered.v1";
  static final String COMPLETED = "tanso.interregistry.TransferCompleted.v1";
  static final String TERMINATED = "tanso.interregistry.TransferTerminated.v1";

  static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private static int sequence = 500_000;

  private PeerRegistry() {}

  /** A well-formed account number of {@code party} that this registry does not hold. */
  public static synchronized String foreignAccount(String party) {
    return new AccountNumber(party, AccountType.HOLDING, sequence++).toString();
  }

  /**
   * Sends {@code message} of {@code type} to this registry with a fresh message id; returns the id.
   */
  static String send(String type, String transferId, Object message) {
    String id = UUID.randomUUID().toString();
    send(type, transferId, message, id, "/tanso/registry/" + VN);
    return id;
  }

  static void send(String type, String transferId, Object message, String ceId, String source) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(CloudEventHeaders.SPEC_VERSION, "1.0");
    headers.put(CloudEventHeaders.ID, ceId);
    headers.put(CloudEventHeaders.TYPE, type);
    headers.put(CloudEventHeaders.SOURCE, source);
    headers.put(CloudEventHeaders.TIME, Instant.now().toString());
    headers.put(CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
    try {
      TestKafka.send(INBOX, transferId, JSON.writeValueAsString(message), headers);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String accept(String transferId) {
    return send(
        ANSWERED,
        transferId,
        new TransferAnswered(transferId, VN, HERE, "ACCEPTED", null, null, Instant.now()));
  }

  public static String reject(String transferId, String code) {
    return send(
        ANSWERED,
        transferId,
        new TransferAnswered(
            transferId, VN, HERE, "REJECTED", code, "refused by " + VN, Instant.now()));
  }

  /** Waits until the registry has processed (committed) everything on its inbox topic so far. */
  public static void awaitHandled() {
    TestKafka.awaitConsumed(GROUP, INBOX, WAIT);
  }

  /**
   * Units of {@code unitId} as VN-JCM issued them (quantity = the whole issuance), authorised for
   * NDC use.
   */
  static TransferredUnits units(String unitId, long start, long end, long issued, String caStatus) {
    return units(unitId, start, end, issued, caStatus, "VN-AUTH-" + unitId, List.of("NDC"));
  }

  static TransferredUnits units(
      String unitId,
      long start,
      long end,
      long issued,
      String caStatus,
      String authorisationId,
      List<String> purposes) {
    TransferredUnits.Origin origin =
        new TransferredUnits.Origin(
            unitId.split("-")[2],
            "JCM",
            "VN",
            2025,
            LocalDate.of(2025, 1, 1),
            LocalDate.of(2025, 12, 31),
            issued,
            authorisationId,
            authorisationId == null ? null : LocalDate.of(2025, 3, 1),
            purposes,
            null,
            "JCM-VN-JP",
            VN,
            "VN",
            "Energy",
            "JCM_VN_AM001");
    TransferredUnits.CorrespondingAdjustment ca =
        "APPLIED".equals(caStatus)
            ? new TransferredUnits.CorrespondingAdjustment(
                "APPLIED", Instant.parse("2026-01-15T10:00:00Z"), "VN")
            : new TransferredUnits.CorrespondingAdjustment(caStatus, null, null);
    return new TransferredUnits(unitId, start, end, origin, ca);
  }

  static String propose(String transferId, String toAccount, List<TransferredUnits> units) {
    long quantity = units.stream().mapToLong(TransferredUnits::quantity).sum();
    return send(
        PROPOSED,
        transferId,
        new TransferProposed(
            transferId, VN, HERE, foreignAccount("VN"), toAccount, quantity, units, Instant.now()));
  }

  static String complete(String transferId, List<TransferredUnits> units) {
    return send(
        COMPLETED, transferId, new TransferCompleted(transferId, VN, HERE, units, Instant.now()));
  }

  static String terminate(String transferId, String code) {
    return send(
        TERMINATED, transferId, new TransferTerminated(transferId, VN, HERE, code, Instant.now()));
  }

  /**
   * Waits for the first message of {@code type} about {@code transferId} that the registry sent to
   * VN-JCM.
   */
  static JsonNode awaitSent(String type, String transferId) {
    List<Received> read =
        TestKafka.readUntil(TO_VN, r -> r.stream().anyMatch(m -> about(m, type, transferId)), WAIT);
    return read.stream()
        .filter(m -> about(m, type, transferId))
        .findFirst()
        .map(PeerRegistry::tree)
        .orElseThrow(
            () ->
                new AssertionError(
                    "no " + type + " for " + transferId + " on " + TO_VN + " within " + WAIT));
  }

  /** Every message of {@code type} about {@code transferId} that the topic holds now. */
  static List<JsonNode> sent(String topic, String type, String transferId) {
    return TestKafka.readToEnd(topic).stream()
        .filter(m -> about(m, type, transferId))
        .map(PeerRegistry::tree)
        .toList();
  }

  /** Every record on the dead-letter topic keyed by {@code transferId}, now. */
  static List<Received> deadLettered(String transferId) {
    if (TestKafka.topicsMatching(java.util.regex.Pattern.quote(DLQ)).isEmpty()) {
      return List.of();
    }
    return TestKafka.readToEnd(DLQ).stream().filter(m -> transferId.equals(m.key())).toList();
  }

  static List<Received> awaitDeadLettered(String transferId) {
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> !TestKafka.topicsMatching(java.util.regex.Pattern.quote(DLQ)).isEmpty());
    List<Received> found =
        TestKafka.readUntil(DLQ, r -> r.stream().anyMatch(m -> transferId.equals(m.key())), WAIT)
            .stream()
            .filter(m -> transferId.equals(m.key()))
            .toList();
    if (found.isEmpty()) {
      throw new AssertionError("nothing for " + transferId + " on " + DLQ + " within " + WAIT);
    }
    return found;
  }

  /**
   * Registry events of {@code type} (e.g. {@code FirstTransferRecorded}) on tanso.registry.events
   * whose {@code field} is {@code value}, now.
   */
  static List<JsonNode> registryEvents(String type, String field, String value) {
    String ceType = "tanso.registry." + type + ".v1";
    return TestKafka.readToEnd(Topics.REGISTRY_EVENTS).stream()
        .filter(m -> ceType.equals(m.headers().get(CloudEventHeaders.TYPE)))
        .map(PeerRegistry::tree)
        .filter(n -> value.equals(n.path(field).asText()))
        .toList();
  }

  static List<JsonNode> awaitRegistryEvents(String type, String field, String value) {
    String ceType = "tanso.registry." + type + ".v1";
    TestKafka.readUntil(
        Topics.REGISTRY_EVENTS,
        r ->
            r.stream()
                .anyMatch(
                    m ->
                        ceType.equals(m.headers().get(CloudEventHeaders.TYPE))
                            && value.equals(tree(m).path(field).asText())),
        WAIT);
    List<JsonNode> found = registryEvents(type, field, value);
    if (found.isEmpty()) {
      throw new AssertionError("no " + type + " with " + field + " = " + value + " within " + WAIT);
    }
    return found;
  }

  static boolean about(Received m, String type, String transferId) {
    return type.equals(m.headers().get(CloudEventHeaders.TYPE))
        && tree(m).path("transferId").asText().equals(transferId);
  }

  static JsonNode tree(Received m) {
    try {
      return JSON.readTree(m.value());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
