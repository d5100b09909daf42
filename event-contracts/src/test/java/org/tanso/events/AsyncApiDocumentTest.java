package org.tanso.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tanso.events.interregistry.TransferAnswered;
import org.tanso.events.interregistry.TransferCompleted;
import org.tanso.events.interregistry.TransferProposed;
import org.tanso.events.interregistry.TransferTerminated;
import org.tanso.events.interregistry.TransferredUnits;
import org.tanso.events.issuance.IssuanceApproved;
import org.tanso.events.issuance.IssuanceOutcomeRecorded;
import org.tanso.events.issuance.IssuanceRejected;
import org.tanso.events.issuance.IssuanceRequested;
import org.tanso.events.issuance.ProjectRegistered;
import org.tanso.events.registry.AccountOpened;
import org.tanso.events.registry.AccountStatusChanged;
import org.tanso.events.registry.Block;
import org.tanso.events.registry.CreditsCancelled;
import org.tanso.events.registry.CreditsIssued;
import org.tanso.events.registry.CreditsRetired;
import org.tanso.events.registry.CreditsTransferred;
import org.tanso.events.registry.FirstTransferRecorded;
import org.tanso.events.registry.InternationalTransferAnswered;
import org.tanso.events.registry.InternationalTransferCompleted;
import org.tanso.events.registry.InternationalTransferProposed;
import org.tanso.events.registry.InternationalTransferTerminated;
import org.tanso.events.registry.IssuanceFailed;
import org.tanso.events.registry.ParticipantRegistered;
import org.tanso.events.registry.UnitsAcquired;

/**
 * The AsyncAPI 3 document of both topics, {@code event-contracts/asyncapi.yaml}, is generated from
 * the payload records (JSON Schema by victools) and the golden samples (as examples), and the
 * checked-in file must equal what this test generates. After changing a record or a sample,
 * regenerate it with {@code ./mvnw -pl event-contracts test -Dtest=AsyncApiDocumentTest
 * -Dtanso.asyncapi.write=true}. Every golden sample must validate against its message's payload
 * schema.
 */
class AsyncApiDocumentTest {

  static final Path FILE = Path.of("asyncapi.yaml");

  /**
   * Where registry {registryId} receives the messages of the registries it trades with: one topic
   * per registry.
   */
  static final String INTER_REGISTRY = Topics.interRegistry("{registryId}");

  /** One message: its topic, payload record, what its Kafka key is, and what it says. */
  record Message(
      String name, String topic, Class<? extends Record> payload, String key, String summary) {}

  static final List<Message> MESSAGES =
      List.of(
          new Message(
              "ProjectRegistered",
              Topics.ISSUANCE_EVENTS,
              ProjectRegistered.class,
              "the project id",
              "A project was registered: parties, methodology, Article 6 authorisation (or none) and the allocation of its credits."),
          new Message(
              "IssuanceRequested",
              Topics.ISSUANCE_EVENTS,
              IssuanceRequested.class,
              "the issuance request id",
              "A project participant asked for issuance for a verified monitoring period."),
          new Message(
              "IssuanceApproved",
              Topics.ISSUANCE_EVENTS,
              IssuanceApproved.class,
              "the issuance request id",
              "A registry administrator other than the submitter approved the request; registry-service mints on it."),
          new Message(
              "IssuanceRejected",
              Topics.ISSUANCE_EVENTS,
              IssuanceRejected.class,
              "the issuance request id",
              "A registry administrator rejected the request."),
          new Message(
              "IssuanceOutcomeRecorded",
              Topics.ISSUANCE_EVENTS,
              IssuanceOutcomeRecorded.class,
              "the issuance request id",
              "The request reached its end: ISSUED (with the unit identifier) or FAILED (with the registry's reason)."),
          new Message(
              "ParticipantRegistered",
              Topics.REGISTRY_EVENTS,
              ParticipantRegistered.class,
              "the participant id",
              "A participant (project developer, government, the registry operator) was registered."),
          new Message(
              "AccountOpened",
              Topics.REGISTRY_EVENTS,
              AccountOpened.class,
              "the account number",
              "An account was opened for a participant."),
          new Message(
              "AccountStatusChanged",
              Topics.REGISTRY_EVENTS,
              AccountStatusChanged.class,
              "the account number",
              "An account was suspended, reopened or closed."),
          new Message(
              "CreditsIssued",
              Topics.REGISTRY_EVENTS,
              CreditsIssued.class,
              "the unit identifier",
              "Units were minted on an approved request and split over the allocation's accounts (share of proceeds and OMGE first where the mechanism asks)."),
          new Message(
              "CreditsTransferred",
              Topics.REGISTRY_EVENTS,
              CreditsTransferred.class,
              "the sending account number",
              "Units moved between two accounts; the blocks are those now held by the receiving account."),
          new Message(
              "CreditsRetired",
              Topics.REGISTRY_EVENTS,
              CreditsRetired.class,
              "the retiring account number",
              "Units were retired for a beneficiary and purpose; the retirement has a public id. Terminal."),
          new Message(
              "CreditsCancelled",
              Topics.REGISTRY_EVENTS,
              CreditsCancelled.class,
              "the cancelling account number",
              "Units were cancelled into the registry's cancellation account. Terminal."),
          new Message(
              "IssuanceFailed",
              Topics.REGISTRY_EVENTS,
              IssuanceFailed.class,
              "the issuance request id",
              "registry-service could not mint an approved request, with its reason."),
          new Message(
              "FirstTransferRecorded",
              Topics.REGISTRY_EVENTS,
              FirstTransferRecorded.class,
              "the unit identifier of the first block",
              "Authorised units were first transferred: they are ITMOs now and this registry's party applied the corresponding adjustment, for good."),
          new Message(
              "InternationalTransferProposed",
              Topics.REGISTRY_EVENTS,
              InternationalTransferProposed.class,
              "the sending account number",
              "This registry proposed to move units to an account in another registry; the units stay in the sending account, RESERVED."),
          new Message(
              "InternationalTransferAnswered",
              Topics.REGISTRY_EVENTS,
              InternationalTransferAnswered.class,
              "the receiving account number",
              "This registry, as the receiving side, accepted or rejected a proposed international transfer; nothing is held here yet."),
          new Message(
              "InternationalTransferCompleted",
              Topics.REGISTRY_EVENTS,
              InternationalTransferCompleted.class,
              "the sending account number",
              "The units left this registry for good (TRANSFERRED_OUT); they are ACTIVE in the receiving registry."),
          new Message(
              "InternationalTransferTerminated",
              Topics.REGISTRY_EVENTS,
              InternationalTransferTerminated.class,
              "the sending account number",
              "The international transfer ended without moving anything (rejected, or no answer in time); the units are ACTIVE again."),
          new Message(
              "UnitsAcquired",
              Topics.REGISTRY_EVENTS,
              UnitsAcquired.class,
              "the receiving account number",
              "Units arrived from another registry on completion of an international transfer, ACTIVE, with their unit ids, serials and Article 6 data."),
          new Message(
              "TransferProposed",
              INTER_REGISTRY,
              TransferProposed.class,
              "the transfer id",
              "The sending registry proposes a transfer and has reserved the units; the receiver checks and answers, and creates nothing yet."),
          new Message(
              "TransferAnswered",
              INTER_REGISTRY,
              TransferAnswered.class,
              "the transfer id",
              "The receiving registry's answer to a proposal: ACCEPTED, or REJECTED with a stable code. The sender alone decides the outcome."),
          new Message(
              "TransferCompleted",
              INTER_REGISTRY,
              TransferCompleted.class,
              "the transfer id",
              "The sender completed the transfer: the units left it for good and the receiver creates them, ACTIVE, with the data given."),
          new Message(
              "TransferTerminated",
              INTER_REGISTRY,
              TransferTerminated.class,
              "the transfer id",
              "The sender terminated the transfer (rejected, or no answer in time); the receiver must never create its units."));

  /**
   * Closed sets of values the records keep as strings, by the record and component that hold them
   * (for a list, its elements). They become the schema's {@code enum}, so a sample outside them
   * fails.
   */
  static final Map<Class<?>, Map<String, List<String>>> ENUMS =
      Map.of(
          Block.class,
          Map.of("state", List.of("ACTIVE", "RETIRED", "CANCELLED", "RESERVED", "TRANSFERRED_OUT")),
          FirstTransferRecorded.class,
          Map.of(
              "trigger",
              List.of(
                  "INTERNATIONAL_TRANSFER", "AUTHORISATION", "ISSUANCE", "USE_OR_CANCELLATION")),
          InternationalTransferAnswered.class,
          Map.of("answer", List.of("ACCEPTED", "REJECTED")),
          TransferAnswered.class,
          Map.of("answer", List.of("ACCEPTED", "REJECTED")),
          TransferredUnits.Origin.class,
          Map.of(
              "mechanism", List.of("JCM", "A6_4"),
              "purposes", List.of("NDC", "OIMP"),
              "firstTransferDefinition",
                  List.of("AUTHORISATION", "ISSUANCE", "USE_OR_CANCELLATION")),
          TransferredUnits.CorrespondingAdjustment.class,
          Map.of("status", List.of("PENDING", "APPLIED")));

  /**
   * Records whose every component is always written (required) and never null except the listed
   * ones. The records from before the Article 6 contracts keep their looser schema: every field
   * optional and nullable, as they were published.
   */
  static final Map<Class<?>, Set<String>> STRICT =
      Map.ofEntries(
          Map.entry(FirstTransferRecorded.class, Set.of()),
          Map.entry(InternationalTransferProposed.class, Set.of()),
          Map.entry(InternationalTransferAnswered.class, Set.of("code", "detail")),
          Map.entry(InternationalTransferCompleted.class, Set.of()),
          Map.entry(InternationalTransferTerminated.class, Set.of("detail")),
          Map.entry(UnitsAcquired.class, Set.of()),
          Map.entry(TransferProposed.class, Set.of()),
          Map.entry(TransferAnswered.class, Set.of("code", "detail")),
          Map.entry(TransferCompleted.class, Set.of()),
          Map.entry(TransferTerminated.class, Set.of()),
          Map.entry(TransferredUnits.class, Set.of()),
          Map.entry(TransferredUnits.Origin.class, Set.of("firstTransferDefinition")),
          Map.entry(
              TransferredUnits.CorrespondingAdjustment.class, Set.of("appliedAt", "appliedBy")));

  /** What a subscriber must know about a component that its name and type do not say. */
  static final Map<Class<?>, Map<String, String>> DESCRIPTIONS =
      Map.of(
          Block.class,
          Map.of(
              "state",
              "ACTIVE: spendable. RETIRED, CANCELLED: terminal. RESERVED: held back in its account for a proposed international transfer,"
                  + " not spendable until the transfer completes or is terminated. TRANSFERRED_OUT: left this registry for good in a"
                  + " completed international transfer (the account is the one it left from); the receiving registry holds it now."),
          FirstTransferRecorded.class,
          Map.of(
              "trigger",
                  "INTERNATIONAL_TRANSFER for NDC use; AUTHORISATION, ISSUANCE or USE_OR_CANCELLATION for OIMP, as the authorisation's first transfer definition says.",
              "triggeredBy",
                  "The id of the triggering action: an international transfer, a retirement or cancellation transaction, or the issuance request."),
          InternationalTransferAnswered.class,
          Map.of(
              "code",
              "The stable code of a rejection (for example ACCOUNT_NOT_OPEN); null when ACCEPTED."),
          InternationalTransferTerminated.class,
          Map.of(
              "code",
              "The receiving registry's rejection code, or TIMEOUT when no answer came in time."),
          TransferAnswered.class,
          Map.of(
              "fromRegistry", "The answering registry: the receiving side of the transfer.",
              "toRegistry", "The proposing registry, which alone decides the outcome.",
              "code",
                  "The stable code of a rejection (for example ACCOUNT_NOT_OPEN); null when ACCEPTED."),
          TransferTerminated.class,
          Map.of(
              "code",
              "The receiving registry's rejection code, or TIMEOUT when no answer came in time."),
          TransferredUnits.Origin.class,
          Map.of(
              "firstTransferDefinition",
              "For OIMP authorisations only: when the units are first transferred; null for NDC-only ones."),
          TransferredUnits.CorrespondingAdjustment.class,
          Map.of(
              "status",
              "PENDING until the units' first transfer, then APPLIED (with when and by which party) for good."));

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

  @Test
  void theCheckedInDocumentIsTheGeneratedOne() throws IOException {
    ObjectNode generated = document();
    if (Boolean.getBoolean("tanso.asyncapi.write")) {
      Files.writeString(
          FILE,
          "# Generated by AsyncApiDocumentTest from the payload records and the golden samples; do not edit by hand.\n"
              + YAML.writeValueAsString(generated),
          StandardCharsets.UTF_8);
    }
    assertTrue(Files.exists(FILE), "missing " + FILE.toAbsolutePath());
    assertEquals(
        generated,
        YAML.readTree(FILE.toFile()),
        "event-contracts/asyncapi.yaml is out of date; regenerate it with -Dtanso.asyncapi.write=true (see the class comment)");
  }

  @ParameterizedTest
  @MethodSource("org.tanso.events.GoldenSamplesTest#samples")
  void everyGoldenSampleValidatesAgainstItsMessageSchema(String sample) throws IOException {
    String name = sample.substring(0, sample.indexOf('.'));
    List<Error> errors = validator(message(name)).validate(read(sample), InputFormat.JSON);
    assertTrue(errors.isEmpty(), sample + ": " + errors);
  }

  @Test
  void aPayloadOfTheWrongShapeIsRefused() throws IOException {
    ObjectNode sample = (ObjectNode) JSON.readTree(read("CreditsTransferred.v1.json"));
    sample.put("quantity", "ten");
    ((ObjectNode) sample.get("blocks").get(0)).put("start", "1");
    List<Error> errors =
        validator(message("CreditsTransferred"))
            .validate(JSON.writeValueAsString(sample), InputFormat.JSON);
    assertEquals(2, errors.size(), errors.toString());
  }

  @Test
  void everyEventTypeOnTheTopicsHasAMessage() throws IOException {
    JsonNode doc = document();
    for (Message m : MESSAGES) {
      String channel = channelId(m.topic());
      assertEquals(m.topic(), doc.at("/channels/" + channel + "/address").asText(), m.name());
      assertFalse(
          doc.at("/channels/" + channel + "/messages/" + m.name()).isMissingNode(), m.name());
      assertEquals(
          EventType.parse("tanso." + service(m.topic()) + "." + m.name() + ".v1").toString(),
          doc.at("/components/messages/" + m.name() + "/headers/properties/ce_type/const")
              .asText());
      assertFalse(
          doc.at("/components/messages/" + m.name() + "/examples").isEmpty(),
          "an example for " + m.name());
    }
  }

  @Test
  void everyEventRecordHasAMessage() {
    Map<String, Class<? extends Record>> documented = new TreeMap<>();
    MESSAGES.forEach(m -> documented.put(m.name(), m.payload()));
    assertEquals(
        new TreeMap<>(GoldenSamplesTest.EVENTS),
        documented,
        "the records with golden samples and the messages of the document");
  }

  @Test
  void interRegistryMessagesAreTypedAndAddressedByTheirOwnHelpers() throws IOException {
    JsonNode doc = document();
    assertEquals("tanso.interregistry.JP-JCM", Topics.interRegistry("JP-JCM"));
    assertEquals(
        Topics.interRegistry("{registryId}"), doc.at("/channels/interRegistry/address").asText());
    assertFalse(
        doc.at("/channels/interRegistry/parameters/registryId").isMissingNode(),
        "the registryId parameter");
    for (String name :
        List.of(
            "TransferProposed", "TransferAnswered", "TransferCompleted", "TransferTerminated")) {
      assertEquals(
          EventType.interRegistry(name).toString(),
          doc.at("/components/messages/" + name + "/headers/properties/ce_type/const").asText(),
          name);
    }
  }

  @Test
  void blockStatesAndOtherClosedSetsAreEnumerated() {
    ObjectNode block = payloadSchema(CreditsTransferred.class);
    assertEquals(
        JSON.valueToTree(List.of("ACTIVE", "RETIRED", "CANCELLED", "RESERVED", "TRANSFERRED_OUT")),
        block.at("/properties/blocks/items/properties/state/enum"));
    ObjectNode answered = payloadSchema(TransferAnswered.class);
    assertEquals(
        JSON.valueToTree(Arrays.asList("ACCEPTED", "REJECTED")),
        answered.at("/properties/answer/enum"));
    assertTrue(
        answered.at("/required").toString().contains("\"code\""),
        "code is always written, null on acceptance");
  }

  @Test
  void optionalClosedSetsAcceptNullAndNothingOutsideTheSet() throws IOException {
    ObjectNode proposed = (ObjectNode) JSON.readTree(read("TransferProposed.v1.json"));
    ObjectNode origin = (ObjectNode) proposed.at("/units/0/origin");
    origin.putArray("purposes").add("NDC");
    origin.putNull("firstTransferDefinition");
    assertEquals(
        List.of(),
        validator(message("TransferProposed"))
            .validate(JSON.writeValueAsString(proposed), InputFormat.JSON));
    origin.put("firstTransferDefinition", "AT_WILL");
    ((ObjectNode) proposed.at("/units/0/correspondingAdjustment")).put("status", "MAYBE");
    origin.putNull("project");
    assertEquals(
        3,
        validator(message("TransferProposed"))
            .validate(JSON.writeValueAsString(proposed), InputFormat.JSON)
            .size());

    ObjectNode transferred = (ObjectNode) JSON.readTree(read("CreditsTransferred.v1.json"));
    ((ObjectNode) transferred.at("/blocks/0")).put("state", "LOST");
    ((ObjectNode) transferred.at("/blocks/1")).put("state", "TRANSFERRED_OUT");
    assertEquals(
        1,
        validator(message("CreditsTransferred"))
            .validate(JSON.writeValueAsString(transferred), InputFormat.JSON)
            .size());
  }

  // ---------------------------------------------------------------------------------------------

  static ObjectNode document() throws IOException {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("asyncapi", "3.1.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", "Tanso events");
    info.put("version", "1.0.0");
    info.put(
        "description",
        "Every change in the Tanso carbon credit registry, as CloudEvents 1.0 in Kafka binary mode: the event's attributes are the"
            + " ce_* record headers, the record value is the JSON payload, the record key is the aggregate the event is ordered by."
            + " Events with the same key keep their order; there is no order across keys. Delivery is at least once: deduplicate"
            + " by ce_id. Inside v1 payloads only gain fields; ignore fields you do not know. Records a consumer of Tanso's own"
            + " could not process are parked on <topic>.dlq.<consumer group>.");
    info.putObject("license")
        .put("name", "Apache-2.0")
        .put("url", "https://www.apache.org/licenses/LICENSE-2.0");
    doc.put("defaultContentType", CloudEventHeaders.JSON);
    ObjectNode servers = doc.putObject("servers");
    servers
        .putObject("local")
        .put("host", "127.0.0.1:9092")
        .put("protocol", "kafka")
        .put("description", "The local stack's broker (deploy/local/tanso up)");

    ObjectNode channels = doc.putObject("channels");
    ObjectNode operations = doc.putObject("operations");
    ObjectNode components = doc.putObject("components");
    ObjectNode messages = components.putObject("messages");
    for (String topic : List.of(Topics.ISSUANCE_EVENTS, Topics.REGISTRY_EVENTS, INTER_REGISTRY)) {
      String channelId = channelId(topic);
      String service = service(topic);
      boolean interRegistry = topic.equals(INTER_REGISTRY);
      ObjectNode channel = channels.putObject(channelId);
      channel.put("address", topic);
      if (interRegistry) {
        channel.put(
            "description",
            "Registry {registryId} (for example JP-JCM) receives here what the registries it trades with send it about"
                + " international transfers: proposals and completions or terminations from the sending registry, answers from the receiving one."
                + " Each registry-service reads only its own topic and writes to its peers' topics, through its transactional outbox"
                + " (acks=all, idempotent producer). Messages of one transfer share its id as record key, so they keep their order.");
        channel
            .putObject("parameters")
            .putObject("registryId")
            .put(
                "description",
                "The id of the receiving registry: its party, a hyphen, what it registers (VN-JCM, JP-JCM).")
            .putArray("examples")
            .add("JP-JCM")
            .add("VN-JCM");
        // one topic per registry: the binding names no topic, only how each is laid out
        channel
            .putObject("bindings")
            .putObject("kafka")
            .put("partitions", 3)
            .put("replicas", 3)
            .put("bindingVersion", "0.5.0");
      } else {
        channel.put(
            "description",
            "Produced by "
                + service
                + "-service only, through its transactional outbox (acks=all, idempotent producer).");
        channel
            .putObject("bindings")
            .putObject("kafka")
            .put("topic", topic)
            .put("partitions", 3)
            .put("replicas", 3)
            .put("bindingVersion", "0.5.0");
      }
      ObjectNode channelMessages = channel.putObject("messages");
      ObjectNode operation =
          operations.putObject(
              "publish" + Character.toUpperCase(channelId.charAt(0)) + channelId.substring(1));
      operation.put("action", "send");
      operation.putObject("channel").put("$ref", "#/channels/" + channelId);
      operation.put(
          "summary",
          interRegistry
              ? "registry-service sends a peer registry, on that registry's topic, every step of an international transfer it takes part in."
              : service
                  + "-service publishes every committed change of its state, exactly one event per change.");
      ArrayNode operationMessages = operation.putArray("messages");
      ArrayNode receivedMessages = null;
      if (interRegistry) {
        ObjectNode receive =
            operations.putObject(
                "receive" + Character.toUpperCase(channelId.charAt(0)) + channelId.substring(1));
        receive.put("action", "receive");
        receive.putObject("channel").put("$ref", "#/channels/" + channelId);
        receive.put(
            "summary",
            "registry-service reads its own registry's topic; it deduplicates by ce_id and acts only on messages from its peers.");
        receivedMessages = receive.putArray("messages");
      }
      for (Message m : MESSAGES) {
        if (!m.topic().equals(topic)) {
          continue;
        }
        channelMessages.putObject(m.name()).put("$ref", "#/components/messages/" + m.name());
        operationMessages
            .addObject()
            .put("$ref", "#/channels/" + channelId + "/messages/" + m.name());
        if (receivedMessages != null) {
          receivedMessages
              .addObject()
              .put("$ref", "#/channels/" + channelId + "/messages/" + m.name());
        }
        messages.set(m.name(), message(m, service));
      }
    }
    return doc;
  }

  /**
   * The channel id in the document: the registry's topics per service, and the registry-to-registry
   * topics.
   */
  static String channelId(String topic) {
    if (topic.equals(INTER_REGISTRY)) {
      return "interRegistry";
    }
    return topic.equals(Topics.REGISTRY_EVENTS) ? "registryEvents" : "issuanceEvents";
  }

  /** The {@code <service>} of {@code tanso.<service>.<Name>.v1} for the messages on the topic. */
  static String service(String topic) {
    if (topic.equals(INTER_REGISTRY)) {
      return "interregistry";
    }
    return topic.equals(Topics.REGISTRY_EVENTS) ? "registry" : "issuance";
  }

  /**
   * The CloudEvents source of the messages on the topic: registry-service sends the
   * registry-to-registry ones too.
   */
  private static String source(String service) {
    return "/tanso/" + (service.equals("interregistry") ? "registry" : service) + "-service";
  }

  private static ObjectNode message(Message m, String service) throws IOException {
    String type = "tanso." + service + "." + m.name() + ".v1";
    ObjectNode message = JSON.createObjectNode();
    message.put("name", m.name());
    message.put("title", m.name() + " (" + type + ")");
    message.put("summary", m.summary());
    message.put("contentType", CloudEventHeaders.JSON);
    message.set("headers", headers(type, service));
    message.set("payload", payloadSchema(m.payload()));
    message
        .putObject("bindings")
        .putObject("kafka")
        .put("bindingVersion", "0.5.0")
        .set(
            "key",
            JSON.createObjectNode()
                .put("type", "string")
                .put("description", "Record key: " + m.key()));
    ArrayNode examples = message.putArray("examples");
    for (String sample : samplesOf(m.name())) {
      JsonNode payload = JSON.readTree(read(sample));
      ObjectNode example = examples.addObject();
      example.put("name", sample.replace(".json", ""));
      ObjectNode headers = example.putObject("headers");
      headers.put(CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
      headers.put(CloudEventHeaders.ID, "3f0c8a52-4a7e-4c43-9d39-4d0f9d5d1a11");
      headers.put(CloudEventHeaders.TYPE, type);
      headers.put(CloudEventHeaders.SOURCE, source(service));
      headers.put(CloudEventHeaders.TIME, "2026-03-01T09:00:00.123456Z");
      headers.put(CloudEventHeaders.SUBJECT, "the record key");
      headers.put(CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
      example.set("payload", payload);
    }
    return message;
  }

  private static ObjectNode headers(String type, String service) {
    ObjectNode h = JSON.createObjectNode();
    h.put("type", "object");
    ArrayNode required = h.putArray("required");
    List.of(
            CloudEventHeaders.SPEC_VERSION,
            CloudEventHeaders.ID,
            CloudEventHeaders.TYPE,
            CloudEventHeaders.SOURCE,
            CloudEventHeaders.TIME,
            CloudEventHeaders.SUBJECT)
        .forEach(required::add);
    ObjectNode p = h.putObject("properties");
    p.putObject(CloudEventHeaders.SPEC_VERSION)
        .put("type", "string")
        .put("const", CloudEventHeaders.SPEC_VERSION_VALUE);
    p.putObject(CloudEventHeaders.ID)
        .put("type", "string")
        .put("format", "uuid")
        .put("description", "The event id: deduplicate by it.");
    p.putObject(CloudEventHeaders.TYPE).put("type", "string").put("const", type);
    p.putObject(CloudEventHeaders.SOURCE).put("type", "string").put("description", source(service));
    p.putObject(CloudEventHeaders.TIME)
        .put("type", "string")
        .put("format", "date-time")
        .put(
            "description",
            "When the change happened, inside the producer's transaction (UTC, microseconds).");
    p.putObject(CloudEventHeaders.SUBJECT)
        .put("type", "string")
        .put("description", "What the event is about; the same as the record key.");
    p.putObject(CloudEventHeaders.CONTENT_TYPE)
        .put("type", "string")
        .put("const", CloudEventHeaders.JSON);
    p.putObject(CloudEventHeaders.TRACEPARENT)
        .put("type", "string")
        .put("pattern", "^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")
        .put(
            "description",
            "W3C Trace Context of the change that produced the event; may be absent (tracing off all the way) and may be unsampled (flags 00). Continue it to join the producer's trace.");
    return h;
  }

  /**
   * The payload record as a self-contained JSON Schema (draft-07, the AsyncAPI schema format's
   * base), nested types inlined.
   */
  static ObjectNode payloadSchema(Class<?> record) {
    SchemaGeneratorConfigBuilder config =
        new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_7, OptionPreset.PLAIN_JSON)
            .with(Option.EXTRA_OPEN_API_FORMAT_VALUES)
            .with(Option.NULLABLE_FIELDS_BY_DEFAULT)
            .with(Option.INLINE_ALL_SCHEMAS)
            .without(Option.SCHEMA_VERSION_INDICATOR);
    config
        .forFields()
        .withEnumResolver(
            field -> {
              List<String> values =
                  rule(ENUMS, field.getDeclaringType().getErasedType(), field.getName());
              boolean container = List.class.isAssignableFrom(field.getRawMember().getType());
              // a list's values are its elements' enum, not the list's
              if (values == null || container != field.isFakeContainerItemScope()) {
                return null;
              }
              if (!field.isFakeContainerItemScope()
                  && optional(field.getDeclaringType().getErasedType(), field.getName())) {
                List<String> orNull = new ArrayList<>(values);
                orNull.add(null); // enum applies to null as well: an optional value may be absent
                return orNull;
              }
              return values;
            })
        .withRequiredCheck(field -> STRICT.containsKey(field.getDeclaringType().getErasedType()))
        .withNullableCheck(
            field -> {
              Class<?> type = field.getDeclaringType().getErasedType();
              if (field.isFakeContainerItemScope()) {
                return STRICT.containsKey(type) || rule(ENUMS, type, field.getName()) != null
                    ? false
                    : null;
              }
              if (STRICT.containsKey(type)) {
                return optional(type, field.getName());
              }
              // a closed set is always written, in the older records too (a block always has its
              // state)
              return rule(ENUMS, type, field.getName()) != null ? false : null;
            })
        .withDescriptionResolver(
            field ->
                field.isFakeContainerItemScope()
                    ? null
                    : rule(
                        DESCRIPTIONS, field.getDeclaringType().getErasedType(), field.getName()));
    return new SchemaGenerator(config.build()).generateSchema(record);
  }

  private static boolean optional(Class<?> type, String component) {
    return STRICT.getOrDefault(type, Set.of()).contains(component);
  }

  private static <T> T rule(Map<Class<?>, Map<String, T>> rules, Class<?> type, String component) {
    Map<String, T> of = rules.get(type);
    return of == null ? null : of.get(component);
  }

  private static Message message(String name) {
    return MESSAGES.stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no message " + name));
  }

  private static Schema validator(Message m) throws IOException {
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
        .getSchema(JSON.writeValueAsString(payloadSchema(m.payload())));
  }

  private static List<String> samplesOf(String name) {
    List<String> found =
        new ArrayList<>(
            GoldenSamplesTest.samples().filter(f -> f.startsWith(name + ".v1.")).toList());
    // the complete sample first, then the variants by name
    found.sort(
        Comparator.comparing((String f) -> !f.equals(name + ".v1.json")).thenComparing(f -> f));
    return found;
  }

  private static String read(String sample) throws IOException {
    try (InputStream in =
        AsyncApiDocumentTest.class
            .getClassLoader()
            .getResourceAsStream("org/tanso/events/samples/" + sample)) {
      assertNotNull(in, sample);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
