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
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tanso.events.issuance.IssuanceApproved;
import org.tanso.events.issuance.IssuanceOutcomeRecorded;
import org.tanso.events.issuance.IssuanceRejected;
import org.tanso.events.issuance.IssuanceRequested;
import org.tanso.events.issuance.ProjectRegistered;
import org.tanso.events.registry.AccountOpened;
import org.tanso.events.registry.AccountStatusChanged;
import org.tanso.events.registry.CreditsCancelled;
import org.tanso.events.registry.CreditsIssued;
import org.tanso.events.registry.CreditsRetired;
import org.tanso.events.registry.CreditsTransferred;
import org.tanso.events.registry.IssuanceFailed;
import org.tanso.events.registry.ParticipantRegistered;

/**
 * The AsyncAPI 3 document of both topics, {@code event-contracts/asyncapi.yaml}, is generated from
 * the payload records (JSON Schema by victools) and the golden samples (as examples), and the
 * checked-in file must equal what this test generates. After changing a record or a sample,
 * regenerate it with
 * {@code ./mvnw -pl event-contracts test -Dtest=AsyncApiDocumentTest -Dtanso.asyncapi.write=true}.
 * Every golden sample must validate against its message's payload schema.
 */
class AsyncApiDocumentTest {

  static final Path FILE = Path.of("asyncapi.yaml");

  /** One message: its topic, payload record, what its Kafka key is, and what it says. */
  record Message(String name, String topic, Class<? extends Record> payload, String key, String summary) {}

  static final List<Message> MESSAGES =
      List.of(
          new Message("ProjectRegistered", Topics.ISSUANCE_EVENTS, ProjectRegistered.class, "the project id",
              "A project was registered: parties, methodology, Article 6 authorisation (or none) and the allocation of its credits."),
          new Message("IssuanceRequested", Topics.ISSUANCE_EVENTS, IssuanceRequested.class, "the issuance request id",
              "A project participant asked for issuance for a verified monitoring period."),
          new Message("IssuanceApproved", Topics.ISSUANCE_EVENTS, IssuanceApproved.class, "the issuance request id",
              "A registry administrator other than the submitter approved the request; registry-service mints on it."),
          new Message("IssuanceRejected", Topics.ISSUANCE_EVENTS, IssuanceRejected.class, "the issuance request id",
              "A registry administrator rejected the request."),
          new Message("IssuanceOutcomeRecorded", Topics.ISSUANCE_EVENTS, IssuanceOutcomeRecorded.class, "the issuance request id",
              "The request reached its end: ISSUED (with the unit identifier) or FAILED (with the registry's reason)."),
          new Message("ParticipantRegistered", Topics.REGISTRY_EVENTS, ParticipantRegistered.class, "the participant id",
              "A participant (project developer, government, the registry operator) was registered."),
          new Message("AccountOpened", Topics.REGISTRY_EVENTS, AccountOpened.class, "the account number",
              "An account was opened for a participant."),
          new Message("AccountStatusChanged", Topics.REGISTRY_EVENTS, AccountStatusChanged.class, "the account number",
              "An account was suspended, reopened or closed."),
          new Message("CreditsIssued", Topics.REGISTRY_EVENTS, CreditsIssued.class, "the unit identifier",
              "Units were minted on an approved request and split over the allocation's accounts (share of proceeds and OMGE first where the mechanism asks)."),
          new Message("CreditsTransferred", Topics.REGISTRY_EVENTS, CreditsTransferred.class, "the sending account number",
              "Units moved between two accounts; the blocks are those now held by the receiving account."),
          new Message("CreditsRetired", Topics.REGISTRY_EVENTS, CreditsRetired.class, "the retiring account number",
              "Units were retired for a beneficiary and purpose; the retirement has a public id. Terminal."),
          new Message("CreditsCancelled", Topics.REGISTRY_EVENTS, CreditsCancelled.class, "the cancelling account number",
              "Units were cancelled into the registry's cancellation account. Terminal."),
          new Message("IssuanceFailed", Topics.REGISTRY_EVENTS, IssuanceFailed.class, "the issuance request id",
              "registry-service could not mint an approved request, with its reason."));

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

  @Test
  void theCheckedInDocumentIsTheGeneratedOne() throws IOException {
    ObjectNode generated = document();
    if (Boolean.getBoolean("tanso.asyncapi.write")) {
      Files.writeString(FILE, "# Generated by AsyncApiDocumentTest from the payload records and the golden samples; do not edit by hand.\n"
          + YAML.writeValueAsString(generated), StandardCharsets.UTF_8);
    }
    assertTrue(Files.exists(FILE), "missing " + FILE.toAbsolutePath());
    assertEquals(generated, YAML.readTree(FILE.toFile()),
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
    List<Error> errors = validator(message("CreditsTransferred")).validate(JSON.writeValueAsString(sample), InputFormat.JSON);
    assertEquals(2, errors.size(), errors.toString());
  }

  @Test
  void everyEventTypeOnTheTopicsHasAMessage() throws IOException {
    JsonNode doc = document();
    for (Message m : MESSAGES) {
      String channel = m.topic().equals(Topics.REGISTRY_EVENTS) ? "registryEvents" : "issuanceEvents";
      assertNotNull(doc.at("/channels/" + channel + "/messages/" + m.name()), m.name());
      assertEquals(
          EventType.parse("tanso." + (channel.equals("registryEvents") ? "registry" : "issuance") + "." + m.name() + ".v1").toString(),
          doc.at("/components/messages/" + m.name() + "/headers/properties/ce_type/const").asText());
      assertFalse(doc.at("/components/messages/" + m.name() + "/examples").isEmpty(), "an example for " + m.name());
    }
  }

  // ---------------------------------------------------------------------------------------------

  static ObjectNode document() throws IOException {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("asyncapi", "3.1.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", "Tanso events");
    info.put("version", "1.0.0");
    info.put("description",
        "Every change in the Tanso carbon credit registry, as CloudEvents 1.0 in Kafka binary mode: the event's attributes are the"
            + " ce_* record headers, the record value is the JSON payload, the record key is the aggregate the event is ordered by."
            + " Events with the same key keep their order; there is no order across keys. Delivery is at least once: deduplicate"
            + " by ce_id. Inside v1 payloads only gain fields; ignore fields you do not know. Records a consumer of Tanso's own"
            + " could not process are parked on <topic>.dlq.<consumer group>.");
    info.putObject("license").put("name", "Apache-2.0").put("url", "https://www.apache.org/licenses/LICENSE-2.0");
    doc.put("defaultContentType", CloudEventHeaders.JSON);
    ObjectNode servers = doc.putObject("servers");
    servers.putObject("local").put("host", "127.0.0.1:9092").put("protocol", "kafka")
        .put("description", "The local stack's broker (deploy/local/tanso up)");

    ObjectNode channels = doc.putObject("channels");
    ObjectNode operations = doc.putObject("operations");
    ObjectNode components = doc.putObject("components");
    ObjectNode messages = components.putObject("messages");
    for (String topic : List.of(Topics.ISSUANCE_EVENTS, Topics.REGISTRY_EVENTS)) {
      String channelId = topic.equals(Topics.REGISTRY_EVENTS) ? "registryEvents" : "issuanceEvents";
      String service = topic.equals(Topics.REGISTRY_EVENTS) ? "registry" : "issuance";
      ObjectNode channel = channels.putObject(channelId);
      channel.put("address", topic);
      channel.put("description", "Produced by " + service + "-service only, through its transactional outbox (acks=all, idempotent producer).");
      channel.putObject("bindings").putObject("kafka").put("topic", topic).put("partitions", 3).put("replicas", 3).put("bindingVersion", "0.5.0");
      ObjectNode channelMessages = channel.putObject("messages");
      ObjectNode operation = operations.putObject("publish" + Character.toUpperCase(channelId.charAt(0)) + channelId.substring(1));
      operation.put("action", "send");
      operation.putObject("channel").put("$ref", "#/channels/" + channelId);
      operation.put("summary", service + "-service publishes every committed change of its state, exactly one event per change.");
      ArrayNode operationMessages = operation.putArray("messages");
      for (Message m : MESSAGES) {
        if (!m.topic().equals(topic)) {
          continue;
        }
        channelMessages.putObject(m.name()).put("$ref", "#/components/messages/" + m.name());
        operationMessages.addObject().put("$ref", "#/channels/" + channelId + "/messages/" + m.name());
        messages.set(m.name(), message(m, service));
      }
    }
    return doc;
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
    message.putObject("bindings").putObject("kafka")
        .put("bindingVersion", "0.5.0")
        .set("key", JSON.createObjectNode().put("type", "string").put("description", "Record key: " + m.key()));
    ArrayNode examples = message.putArray("examples");
    for (String sample : samplesOf(m.name())) {
      JsonNode payload = JSON.readTree(read(sample));
      ObjectNode example = examples.addObject();
      example.put("name", sample.replace(".json", ""));
      ObjectNode headers = example.putObject("headers");
      headers.put(CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
      headers.put(CloudEventHeaders.ID, "3f0c8a52-4a7e-4c43-9d39-4d0f9d5d1a11");
      headers.put(CloudEventHeaders.TYPE, type);
      headers.put(CloudEventHeaders.SOURCE, "/tanso/" + service + "-service");
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
    List.of(CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.ID, CloudEventHeaders.TYPE, CloudEventHeaders.SOURCE, CloudEventHeaders.TIME,
        CloudEventHeaders.SUBJECT).forEach(required::add);
    ObjectNode p = h.putObject("properties");
    p.putObject(CloudEventHeaders.SPEC_VERSION).put("type", "string").put("const", CloudEventHeaders.SPEC_VERSION_VALUE);
    p.putObject(CloudEventHeaders.ID).put("type", "string").put("format", "uuid").put("description", "The event id: deduplicate by it.");
    p.putObject(CloudEventHeaders.TYPE).put("type", "string").put("const", type);
    p.putObject(CloudEventHeaders.SOURCE).put("type", "string").put("description", "/tanso/" + service + "-service");
    p.putObject(CloudEventHeaders.TIME).put("type", "string").put("format", "date-time")
        .put("description", "When the change happened, inside the producer's transaction (UTC, microseconds).");
    p.putObject(CloudEventHeaders.SUBJECT).put("type", "string").put("description", "What the event is about; the same as the record key.");
    p.putObject(CloudEventHeaders.CONTENT_TYPE).put("type", "string").put("const", CloudEventHeaders.JSON);
    p.putObject(CloudEventHeaders.TRACEPARENT).put("type", "string").put("pattern", "^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")
        .put("description", "W3C Trace Context of the change that produced the event; may be absent (tracing off all the way) and may be unsampled (flags 00). Continue it to join the producer's trace.");
    return h;
  }

  /** The payload record as a self-contained JSON Schema (draft-07, the AsyncAPI schema format's base), nested types inlined. */
  static ObjectNode payloadSchema(Class<?> record) {
    SchemaGeneratorConfigBuilder config =
        new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_7, OptionPreset.PLAIN_JSON)
            .with(Option.EXTRA_OPEN_API_FORMAT_VALUES)
            .with(Option.NULLABLE_FIELDS_BY_DEFAULT)
            .with(Option.INLINE_ALL_SCHEMAS)
            .without(Option.SCHEMA_VERSION_INDICATOR);
    return new SchemaGenerator(config.build()).generateSchema(record);
  }

  private static Message message(String name) {
    return MESSAGES.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no message " + name));
  }

  private static Schema validator(Message m) throws IOException {
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(JSON.writeValueAsString(payloadSchema(m.payload())));
  }

  private static List<String> samplesOf(String name) {
    List<String> found = new ArrayList<>(GoldenSamplesTest.samples().filter(f -> f.startsWith(name + ".v1.")).toList());
    // the complete sample first, then the variants by name
    found.sort(Comparator.comparing((String f) -> !f.equals(name + ".v1.json")).thenComparing(f -> f));
    return found;
  }

  private static String read(String sample) throws IOException {
    try (InputStream in = AsyncApiDocumentTest.class.getClassLoader().getResourceAsStream("org/tanso/events/samples/" + sample)) {
      assertNotNull(in, sample);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
