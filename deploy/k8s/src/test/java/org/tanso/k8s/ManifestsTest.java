package org.tanso.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tanso.k8s.Renders.Target;

/**
 * The Kubernetes manifests under deploy/k8s, checked without a cluster.
 *
 * <ul>
 *   <li>The base and the production overlay are rendered with {@code kustomize build} or {@code
 *       kubectl kustomize} when either is on the PATH, and the render must equal the checked-in
 *       deploy/k8s/rendered/*.yaml (rewrite them with {@code -Dtanso.k8s.write=true}). Without a
 *       renderer the checked-in renders are what is validated; the output says which path was
 *       taken.
 *   <li>Every rendered document must validate against the strict schema of its apiVersion/kind
 *       ({@link ModelSchemas}); a kind without a schema is an error. The negative tests show that
 *       misspelt fields, wrong types and unknown enum values or subtypes are refused, by path.
 *   <li>The renders must agree with the services: each Deployment sets exactly variables its
 *       service's application.properties reads (and all it reads without a default), the topics are
 *       those the services produce to and consume from, probes, resources, hardening, disruption
 *       budgets, the autoscaler and the Kafka cluster's replication are as documented.
 * </ul>
 */
class ManifestsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern READS = Pattern.compile("\\$\\{(TANSO_[A-Z0-9_]+)(:[^}]*)?}");
  private static final List<String> SERVICES =
      List.of("registry-service", "issuance-service", "audit-service");
  private static final String STRIMZI = "kafka.strimzi.io/";

  private static final ModelSchemas MODELS = new ModelSchemas();
  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private static final Map<String, Schema> COMPILED = new HashMap<>();

  /** The fresh renders, when a renderer exists. */
  private static final Map<Target, String> FRESH = new EnumMap<>(Target.class);

  /** What the tests check: the fresh render if there is one, the checked-in render otherwise. */
  private static final Map<Target, List<JsonNode>> DOCS = new EnumMap<>(Target.class);

  @BeforeAll
  static void render() throws Exception {
    Optional<List<String>> renderer = Renders.renderer();
    boolean write = Boolean.getBoolean(Renders.WRITE_PROPERTY);
    if (renderer.isPresent()) {
      System.out.println(
          "[k8s] rendering with `"
              + String.join(" ", renderer.get())
              + "`; the renders are compared with deploy/k8s/rendered");
    } else {
      System.out.println(
          "[k8s] neither kustomize nor kubectl is on the PATH: validating the checked-in renders in deploy/k8s/rendered as they are");
      // a CI machine must see an edited manifest, not only the renders checked in with it
      if (System.getenv("CI") != null || Boolean.getBoolean("tanso.k8s.require-renderer")) {
        fail(
            "CI (or -Dtanso.k8s.require-renderer) needs kustomize or kubectl on the PATH to render deploy/k8s");
      }
      if (write) {
        fail("-D" + Renders.WRITE_PROPERTY + "=true needs kustomize or kubectl on the PATH");
      }
    }
    for (Target target : Target.values()) {
      if (renderer.isPresent()) {
        String fresh = Renders.render(renderer.get(), target);
        FRESH.put(target, fresh);
        if (write) {
          Files.createDirectories(Renders.RENDERED);
          Files.writeString(target.checkedIn(), target.header() + fresh, StandardCharsets.UTF_8);
          System.out.println("[k8s] wrote " + target.checkedIn());
        }
        DOCS.put(target, Renders.documents(fresh));
      } else {
        DOCS.put(target, Renders.documents(Files.readString(target.checkedIn())));
      }
    }
  }

  // --- the renders ------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Target.class)
  void theCheckedInRenderIsCurrent(Target target) throws IOException {
    assertTrue(
        Files.isRegularFile(target.checkedIn()),
        "missing " + target.checkedIn() + "; write it with -D" + Renders.WRITE_PROPERTY + "=true");
    String text = Files.readString(target.checkedIn());
    assertTrue(
        text.startsWith(target.header()),
        target.checkedIn() + " does not start with its generated header");
    List<JsonNode> checkedIn = Renders.documents(text);
    assertFalse(checkedIn.isEmpty(), target.checkedIn() + " is empty");
    String fresh = FRESH.get(target);
    if (fresh == null) {
      System.out.println("[k8s] " + target.file + ": no renderer here, validated as checked in");
      return;
    }
    List<JsonNode> rendered = Renders.documents(fresh);
    String stale =
        "deploy/k8s/rendered/"
            + target.file
            + " is not the render of deploy/k8s/"
            + target.directory
            + "; regenerate it: ./mvnw -pl deploy/k8s test -D"
            + Renders.WRITE_PROPERTY
            + "=true";
    for (int i = 0; i < Math.max(rendered.size(), checkedIn.size()); i++) {
      JsonNode now = i < rendered.size() ? rendered.get(i) : null;
      JsonNode then = i < checkedIn.size() ? checkedIn.get(i) : null;
      if (now == null || !now.equals(then)) {
        fail(
            stale
                + "\n  document "
                + (i + 1)
                + " ("
                + describe(now)
                + " / checked in "
                + describe(then)
                + ") differs at "
                + (now == null || then == null ? "/" : difference(now, then, "")));
      }
    }
    System.out.println(
        "[k8s] " + target.file + ": equals the fresh render (" + checkedIn.size() + " documents)");
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void everyDocumentMatchesTheSchemaOfItsKind(Target target) {
    List<String> problems = new ArrayList<>();
    for (JsonNode doc : DOCS.get(target)) {
      problems.addAll(problems(doc));
    }
    assertTrue(problems.isEmpty(), target.file + ":\n  " + String.join("\n  ", problems));
    Map<String, Long> kinds =
        DOCS.get(target).stream()
            .collect(
                Collectors.groupingBy(
                    d -> d.path("kind").asText(), TreeMap::new, Collectors.counting()));
    assertEquals(
        new TreeMap<>(
            Map.of(
                "ConfigMap",
                1L,
                "Deployment",
                3L,
                "HorizontalPodAutoscaler",
                1L,
                "Kafka",
                1L,
                "KafkaNodePool",
                1L,
                "KafkaUser",
                3L,
                "KafkaTopic",
                6L,
                "PodDisruptionBudget",
                3L,
                "Service",
                3L,
                "ServiceAccount",
                3L)),
        kinds,
        target.file + ": the kinds rendered");
  }

  // --- the validation can fail: each of these is refused, naming where ---------------------------

  @Test
  void aMisspeltDeploymentFieldIsRefused() {
    assertRefused(
        withFieldRenamed("Deployment", "issuance-service", "/spec", "replicas", "replicaz"),
        "/spec",
        "replicaz");
  }

  @Test
  void aContainerPortGivenAsAStringIsRefused() {
    ObjectNode deployment = copy("Deployment", "issuance-service");
    ((ObjectNode) deployment.at("/spec/template/spec/containers/0/ports/0"))
        .put("containerPort", "8080");
    assertRefused(deployment, "/spec/template/spec/containers/0/ports/0/containerPort", "integer");
  }

  @Test
  void aMisspeltEnvFieldDeepInAPodTemplateIsRefused() {
    String valueFrom = "/spec/template/spec/containers/0/env/1/valueFrom";
    assertRefused(
        withFieldRenamed(
            "Deployment", "audit-service", valueFrom, "secretKeyRef", "secretKeyReference"),
        valueFrom,
        "secretKeyReference");
  }

  @Test
  void aMalformedQuantityAndAnUnquotedAnnotationAreRefused() {
    ObjectNode deployment = copy("Deployment", "registry-service");
    ((ObjectNode) deployment.at("/spec/template/spec/containers/0/resources/limits"))
        .put("memory", "768MB");
    assertRefused(
        deployment, "/spec/template/spec/containers/0/resources/limits/memory", "pattern");
    deployment = copy("Deployment", "registry-service");
    ((ObjectNode) deployment.at("/spec/template/metadata/annotations"))
        .put("prometheus.io/scrape", true);
    assertRefused(
        deployment, "/spec/template/metadata/annotations/prometheus.io~1scrape", "string");
  }

  @Test
  void aMisspeltKafkaTopicFieldIsRefused() {
    assertRefused(
        withFieldRenamed("KafkaTopic", "tanso.registry.events", "/spec", "partitions", "partitons"),
        "/spec",
        "partitons");
  }

  @Test
  void aKafkaListenerOfAnUnknownTypeIsRefused() {
    ObjectNode kafka = copy("Kafka", "tanso");
    ((ObjectNode) kafka.at("/spec/kafka/listeners/0")).put("type", "internel");
    assertRefused(kafka, "/spec/kafka/listeners/0/type", "enumeration");
    // what the Strimzi model marks required (@JsonProperty(required = true)) is required
    kafka = copy("Kafka", "tanso");
    ((ObjectNode) kafka.at("/spec/kafka/listeners/0")).remove("port");
    assertRefused(kafka, "/spec/kafka/listeners/0", "port");
  }

  @Test
  void polymorphicStrimziTypesAreCheckedAsTheSubtypeTheirDiscriminatorNames() {
    ObjectNode kafka = copy("Kafka", "tanso");
    ((ObjectNode) kafka.at("/spec/kafka/listeners/1/authentication")).put("type", "mtls");
    assertRefused(kafka, "/spec/kafka/listeners/1/authentication/type", "enumeration");
    // a field of another subtype: scram-sha-512 has no "clientSecret"
    kafka = copy("Kafka", "tanso");
    ((ObjectNode) kafka.at("/spec/kafka/listeners/1/authentication"))
        .put("type", "scram-sha-512")
        .put("clientSecret", "x");
    assertRefused(kafka, "/spec/kafka/listeners/1/authentication", "clientSecret");
    assertRefused(
        withFieldRenamed("KafkaNodePool", "dual-role", "/spec/storage/volumes/0", "size", "sise"),
        "/spec/storage/volumes/0",
        "sise");
    ObjectNode pool = copy("KafkaNodePool", "dual-role");
    ((ObjectNode) pool.at("/spec/storage")).put("type", "persistent-volume");
    assertRefused(pool, "/spec/storage/type", "enumeration");
  }

  @Test
  void aStatusAndAKindWithoutSchemaAreRefused() {
    ObjectNode service = copy("Service", "registry-service");
    service.putObject("status");
    assertRefused(service, "", "status");
    ObjectNode unknown = copy("Deployment", "registry-service").put("apiVersion", "apps/v1beta1");
    assertFalse(problems(unknown).isEmpty(), "apps/v1beta1 Deployment has no schema");
    assertTrue(problems(unknown).get(0).contains("no schema"), problems(unknown).toString());
    ObjectNode mirror =
        JSON.createObjectNode()
            .put("apiVersion", STRIMZI + "v1beta2")
            .put("kind", "KafkaMirrorMaker2");
    mirror.putObject("metadata").put("name", "elsewhere");
    assertTrue(problems(mirror).get(0).contains("no schema"), problems(mirror).toString());
    // an ACL operation that does not exist
    ObjectNode user = copy("KafkaUser", "audit-service");
    ((ArrayNode) user.at("/spec/authorization/acls/0/operations")).add("ReadAll");
    assertRefused(user, "/spec/authorization/acls/0/operations/2", "enumeration");
  }

  // --- what the renders must say ----------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Target.class)
  void everyDeploymentHasHealthProbesResourcesAndAHardenedContainer(Target target) {
    for (JsonNode deployment : all(target, "Deployment")) {
      String name = name(deployment);
      JsonNode pod = deployment.at("/spec/template/spec");
      JsonNode container = container(deployment);
      assertEquals(
          name, container.path("name").asText(), name + ": one container named after the service");
      assertTrue(SERVICES.contains(name), name + " is not one of " + SERVICES);
      assertEquals(1, pod.path("containers").size(), name + ": one container");
      JsonNode port = container.path("ports").get(0);
      assertEquals("http", port.path("name").asText(), name);
      assertEquals(8080, port.path("containerPort").asInt(), name);
      probe(name, container.path("readinessProbe"), "/q/health/ready");
      probe(name, container.path("livenessProbe"), "/q/health/live");
      probe(name, container.path("startupProbe"), "/q/health/started");
      for (String kind : List.of("requests", "limits")) {
        for (String resource : List.of("cpu", "memory")) {
          assertTrue(
              container.path("resources").path(kind).hasNonNull(resource),
              name + ": resources." + kind + "." + resource);
        }
      }
      JsonNode security = container.path("securityContext");
      assertTrue(
          security.path("runAsNonRoot").asBoolean()
              || pod.at("/securityContext/runAsNonRoot").asBoolean(),
          name + ": runAsNonRoot");
      assertTrue(
          security.path("readOnlyRootFilesystem").asBoolean(), name + ": readOnlyRootFilesystem");
      assertEquals(
          Boolean.FALSE,
          security.path("allowPrivilegeEscalation").isBoolean()
              ? security.path("allowPrivilegeEscalation").asBoolean()
              : null,
          name + ": allowPrivilegeEscalation false");
      assertTrue(
          texts(security.at("/capabilities/drop")).contains("ALL"),
          name + ": drops ALL capabilities");
      JsonNode tmp = volume(pod, mount(container, "/tmp").path("name").asText());
      assertTrue(tmp.has("emptyDir"), name + ": /tmp is an emptyDir");
      JsonNode annotations = deployment.at("/spec/template/metadata/annotations");
      assertEquals("true", annotations.path("prometheus.io/scrape").asText(), name);
      assertEquals("/q/metrics", annotations.path("prometheus.io/path").asText(), name);
      assertEquals("8080", annotations.path("prometheus.io/port").asText(), name);
      assertEquals(
          "tanso/" + name + ":0.1.0",
          container.path("image").asText(),
          name + ": the image, pinned");
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void everyDeploymentHasAServiceAndADisruptionBudgetSelectingItsPods(Target target) {
    for (JsonNode deployment : all(target, "Deployment")) {
      String name = name(deployment);
      JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
      assertTrue(
          selects(deployment.at("/spec/selector/matchLabels"), podLabels),
          name + ": its own selector matches its pods");
      List<JsonNode> budgets =
          all(target, "PodDisruptionBudget").stream()
              .filter(
                  pdb ->
                      pdb.at("/spec/selector/matchExpressions").isMissingNode()
                          && selects(pdb.at("/spec/selector/matchLabels"), podLabels))
              .toList();
      assertEquals(1, budgets.size(), name + ": one PodDisruptionBudget selects its pods");
      JsonNode budget = budgets.get(0).path("spec");
      assertTrue(
          budget.path("maxUnavailable").asInt() == 1 || budget.path("minAvailable").asInt() >= 1,
          name + ": the budget keeps pods up");
      List<JsonNode> services =
          all(target, "Service").stream()
              .filter(s -> selects(s.at("/spec/selector"), podLabels))
              .toList();
      assertEquals(1, services.size(), name + ": one Service selects its pods");
      JsonNode service = services.get(0);
      assertEquals(
          name,
          name(service),
          "the Service of "
              + name
              + " is named after it (audit-service calls http://registry-service:8080)");
      assertEquals("ClusterIP", service.at("/spec/type").asText("ClusterIP"));
      JsonNode port = service.at("/spec/ports/0");
      assertEquals(8080, port.path("port").asInt(), name);
      assertEquals("http", port.path("targetPort").asText(), name);
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void registryServiceAndOnlyItIsAutoscaledOnCpu(Target target) {
    List<JsonNode> autoscalers = all(target, "HorizontalPodAutoscaler");
    assertEquals(1, autoscalers.size());
    JsonNode hpa = autoscalers.get(0).path("spec");
    assertEquals("apps/v1", hpa.at("/scaleTargetRef/apiVersion").asText());
    assertEquals("Deployment", hpa.at("/scaleTargetRef/kind").asText());
    assertEquals("registry-service", hpa.at("/scaleTargetRef/name").asText());
    assertTrue(
        hpa.path("minReplicas").asInt() >= 2
            && hpa.path("maxReplicas").asInt() > hpa.path("minReplicas").asInt(),
        hpa.toString());
    assertTrue(
        one(target, "Deployment", "registry-service").at("/spec/replicas").isMissingNode(),
        "the autoscaler alone sets registry-service's replicas: a replicas field would reset them on every apply");
    JsonNode metric = hpa.path("metrics").get(0);
    assertEquals("cpu", metric.at("/resource/name").asText());
    assertEquals("Utilization", metric.at("/resource/target/type").asText());
    assertEquals(70, metric.at("/resource/target/averageUtilization").asInt());
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void theKafkaClusterIsKraftWithThreeReplicatedBrokers(Target target) {
    JsonNode kafka = one(target, "Kafka", "tanso");
    assertEquals("enabled", kafka.at("/metadata/annotations/strimzi.io~1node-pools").asText());
    assertEquals("enabled", kafka.at("/metadata/annotations/strimzi.io~1kraft").asText());
    JsonNode config = kafka.at("/spec/kafka/config");
    assertEquals(3, config.path("default.replication.factor").asInt());
    assertEquals(2, config.path("min.insync.replicas").asInt());
    assertEquals(3, config.path("offsets.topic.replication.factor").asInt());
    assertEquals(3, config.path("transaction.state.log.replication.factor").asInt());
    assertEquals(2, config.path("transaction.state.log.min.isr").asInt());
    assertTrue(
        kafka.at("/spec/entityOperator/topicOperator").isObject(),
        "the topic operator reconciles the KafkaTopics");
    int brokers = 0;
    for (JsonNode pool : all(target, "KafkaNodePool")) {
      assertEquals("tanso", pool.at("/metadata/labels/strimzi.io~1cluster").asText(), name(pool));
      if (texts(pool.at("/spec/roles")).contains("broker")) {
        brokers += pool.at("/spec/replicas").asInt();
      }
      JsonNode storage = pool.at("/spec/storage");
      List<JsonNode> volumes =
          storage.path("type").asText().equals("jbod")
              ? list(storage.path("volumes"))
              : List.of(storage);
      for (JsonNode volume : volumes) {
        assertEquals(
            "persistent-claim",
            volume.path("type").asText(),
            name(pool) + ": brokers keep their data on persistent volumes");
        assertFalse(
            volume.path("deleteClaim").asBoolean(),
            name(pool) + ": deleting the pool keeps the volumes");
      }
    }
    assertEquals(3, brokers, "broker replicas over all node pools");
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void everyClientIsAuthenticatedAndOnlyEachTopicsOwnerMayWriteIt(Target target) {
    JsonNode kafka = one(target, "Kafka", "tanso");
    assertEquals(
        "simple", kafka.at("/spec/kafka/authorization/type").asText(), "ACLs are enforced");
    for (JsonNode listener : kafka.at("/spec/kafka/listeners")) {
      assertTrue(
          listener.has("authentication"),
          "listener " + listener.path("name").asText() + " authenticates its clients");
    }
    Map<String, String> owner =
        Map.of(
            "tanso.registry.events",
            "registry-service",
            "tanso.issuance.events",
            "issuance-service");
    for (String service : List.of("registry-service", "issuance-service", "audit-service")) {
      JsonNode user = one(target, "KafkaUser", service);
      assertEquals("scram-sha-512", user.at("/spec/authentication/type").asText(), service);
      JsonNode deployment = one(target, "Deployment", service);
      assertEquals("SASL_SSL", value(target, deployment, "TANSO_KAFKA_SECURITY_PROTOCOL"), service);
      for (JsonNode acl : user.at("/spec/authorization/acls")) {
        String topic = acl.at("/resource/name").asText();
        if (texts(acl.path("operations")).contains("Write")) {
          assertEquals("topic", acl.at("/resource/type").asText(), service);
          assertEquals(
              "literal",
              acl.at("/resource/patternType").asText(),
              service + " writes named topics only");
          // registry-service also sends international-transfer messages to its peers'
          // registry-to-registry topics
          boolean peerInbox =
              service.equals("registry-service")
                  && topic.startsWith("tanso.interregistry.")
                  && !topic.contains(".dlq.")
                  && !topic.equals(
                      "tanso.interregistry."
                          + value(target, one(target, "Deployment", service), "TANSO_REGISTRY_ID"));
          assertTrue(
              service.equals(owner.get(topic)) || topic.endsWith(".dlq." + service) || peerInbox,
              service
                  + " may write only its own event topic, its own dead-letter topics and its peers' registry-to-registry topics, not "
                  + topic);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void theTopicsAreReplicatedAndAreExactlyThoseTheServicesUse(Target target) throws IOException {
    Set<String> declared = new TreeSet<>();
    for (JsonNode topic : all(target, "KafkaTopic")) {
      String name = topic.at("/spec/topicName").asText(name(topic));
      declared.add(name);
      assertEquals("tanso", topic.at("/metadata/labels/strimzi.io~1cluster").asText(), name);
      assertEquals(3, topic.at("/spec/replicas").asInt(), name + ": replicas");
      assertEquals(
          "2",
          topic.at("/spec/config/min.insync.replicas").asText(),
          name + ": min.insync.replicas");
      assertTrue(topic.at("/spec/partitions").asInt() >= 3, name + ": partitions");
    }
    Set<String> used = new TreeSet<>();
    for (String service : SERVICES) {
      Properties properties = properties(service);
      for (String key : properties.stringPropertyNames()) {
        if (key.startsWith("%") || !key.endsWith(".topic")) {
          continue;
        }
        String channel =
            key.substring(0, key.length() - ".topic".length())
                .replaceFirst("\\.dead-letter-queue$", "");
        String value = resolved(properties, properties.getProperty(key).trim());
        if (Boolean.parseBoolean(properties.getProperty(channel + ".pattern", "false"))) {
          // a pattern subscription (audit-service): it must see every declared topic but the
          // registries' inboxes,
          // whose messages registry-service records as its own events
          Pattern pattern = Pattern.compile(value);
          for (String topic : declared) {
            boolean inbox = topic.startsWith("tanso.interregistry.") && !topic.contains(".dlq.");
            assertTrue(
                inbox || pattern.matcher(topic).matches(),
                service + " subscribes to " + value + ", which misses " + topic);
          }
        } else {
          used.add(value);
        }
      }
    }
    assertEquals(
        used,
        declared,
        "the KafkaTopics are the topics named in the services' application.properties");
  }

  /**
   * A property value with its {@code ${name:default}} expressions replaced by the default or the
   * named property's value.
   */
  private static String resolved(Properties properties, String value) {
    java.util.regex.Matcher m = Pattern.compile("\\$\\{([^:}]+)(?::([^}]*))?}").matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String named = properties.getProperty(m.group(1));
      String replacement =
          named != null ? resolved(properties, named.trim()) : m.group(2) == null ? "" : m.group(2);
      m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void everyDeploymentSetsExactlyTheVariablesItsServiceReads(Target target) throws IOException {
    for (JsonNode deployment : all(target, "Deployment")) {
      String name = name(deployment);
      Map<String, Boolean> reads = reads(name); // variable -> has a default
      Map<String, JsonNode> env = new TreeMap<>();
      for (JsonNode variable : container(deployment).path("env")) {
        JsonNode previous = env.put(variable.path("name").asText(), variable);
        assertTrue(previous == null, name + " sets " + variable.path("name").asText() + " twice");
      }
      assertTrue(
          container(deployment).path("envFrom").isMissingNode(),
          name + ": no envFrom, every variable is named");

      Set<String> unknown = new TreeSet<>(env.keySet());
      unknown.removeAll(reads.keySet());
      assertTrue(unknown.isEmpty(), name + " is given variables it never reads: " + unknown);
      Set<String> missing = new TreeSet<>();
      reads.forEach(
          (variable, hasDefault) -> {
            if (!hasDefault && !env.containsKey(variable)) {
              missing.add(variable);
            }
          });
      assertTrue(
          missing.isEmpty(), name + " needs variables the Deployment does not set: " + missing);

      for (Map.Entry<String, JsonNode> e : env.entrySet()) {
        JsonNode ref = e.getValue().at("/valueFrom/configMapKeyRef");
        if (!ref.isMissingNode()) {
          assertNotNull(
              value(target, deployment, e.getKey()),
              name + ": " + e.getKey() + " names a ConfigMap key that is not rendered: " + ref);
        }
      }
      assertEquals("8080", value(target, deployment, "TANSO_HTTP_PORT"), name);
      assertEquals(
          bootstrap(target),
          value(target, deployment, "TANSO_KAFKA_BOOTSTRAP_SERVERS"),
          name + ": the Kafka cluster's SCRAM listener");
      for (String secret : List.of("TANSO_DB_URL", "TANSO_DB_USER", "TANSO_DB_PASSWORD")) {
        assertEquals(
            name + "-db",
            env.get(secret).at("/valueFrom/secretKeyRef/name").asText(),
            name + ": " + secret + " from its own database Secret");
      }
      String jwt = value(target, deployment, "TANSO_JWT_PUBLIC_KEY_LOCATION");
      assertTrue(jwt.startsWith("file:"), jwt);
      assertSecretFile(deployment, jwt.substring("file:".length()));
      assertEquals(
          name,
          env.get("TANSO_KAFKA_SASL_JAAS_CONFIG").at("/valueFrom/secretKeyRef/name").asText(),
          name + ": the JAAS line from the Secret Strimzi writes for its KafkaUser");
      assertSecretFile(deployment, value(target, deployment, "TANSO_KAFKA_TRUSTSTORE_LOCATION"));
      if (name.equals("audit-service")) {
        assertSecretFile(deployment, value(target, deployment, "TANSO_AUDIT_SIGNING_PRIVATE_KEY"));
        assertSecretFile(deployment, value(target, deployment, "TANSO_AUDIT_SIGNING_PUBLIC_KEY"));
        assertEquals(
            "http://registry-service:8080", value(target, deployment, "TANSO_AUDIT_REGISTRY_URL"));
        assertEquals(
            "audit-registry-token",
            env.get("TANSO_AUDIT_REGISTRY_TOKEN").at("/valueFrom/secretKeyRef/name").asText());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void everySecretTheManifestsReadIsDocumented(Target target) throws IOException {
    String readme = Files.readString(Renders.ROOT.resolve("deploy/README.md"));
    Set<String> secrets = new TreeSet<>();
    for (JsonNode deployment : all(target, "Deployment")) {
      for (JsonNode variable : container(deployment).path("env")) {
        JsonNode ref = variable.at("/valueFrom/secretKeyRef");
        if (!ref.isMissingNode()) {
          secrets.add(ref.path("name").asText() + " " + ref.path("key").asText());
        }
      }
      for (JsonNode volume : deployment.at("/spec/template/spec/volumes")) {
        for (JsonNode item : volume.at("/secret/items")) {
          secrets.add(volume.at("/secret/secretName").asText() + " " + item.path("key").asText());
        }
      }
    }
    assertFalse(secrets.isEmpty());
    for (String secret : secrets) {
      String[] nameAndKey = secret.split(" ");
      // on one line (a row of the Secrets table, or the command that creates it): name and key
      // together
      assertTrue(
          readme
              .lines()
              .anyMatch(
                  line ->
                      line.contains("`" + nameAndKey[0] + "`")
                          && line.contains("`" + nameAndKey[1] + "`")),
          "deploy/README.md does not say how to create Secret "
              + nameAndKey[0]
              + " with key "
              + nameAndKey[1]);
    }
  }

  @Test
  void productionRunsInItsNamespaceWithItsReplicasAndObservability() {
    Target production = Target.PRODUCTION;
    for (JsonNode doc : DOCS.get(production)) {
      assertEquals(
          "tanso",
          doc.at("/metadata/namespace").asText(),
          doc.path("kind").asText() + "/" + name(doc) + ": namespace");
    }
    assertEquals(
        3,
        one(production, "HorizontalPodAutoscaler", "registry-service")
            .at("/spec/minReplicas")
            .asInt());
    assertEquals(2, one(production, "Deployment", "issuance-service").at("/spec/replicas").asInt());
    assertEquals(2, one(production, "Deployment", "audit-service").at("/spec/replicas").asInt());
    JsonNode registry =
        container(one(production, "Deployment", "registry-service")).path("resources");
    JsonNode issuance =
        container(one(production, "Deployment", "issuance-service")).path("resources");
    assertTrue(
        memory(registry.at("/limits/memory").asText())
            > memory(issuance.at("/limits/memory").asText()),
        "registry-service gets more memory");
    for (String name : SERVICES) {
      JsonNode deployment = one(production, "Deployment", name);
      assertEquals("true", value(production, deployment, "TANSO_LOG_JSON"), name + ": JSON logs");
      assertEquals(
          "false", value(production, deployment, "TANSO_TRACING_DISABLED"), name + ": tracing on");
      assertEquals(
          "http://otel-collector.observability:4317",
          value(production, deployment, "TANSO_OTLP_ENDPOINT"),
          name + ": OTLP collector");
    }
  }

  // --- validation
  // ---------------------------------------------------------------------------------

  /** Why {@code doc} does not validate, each naming the document and the path; empty if it does. */
  static List<String> problems(JsonNode doc) {
    String apiVersion = doc.path("apiVersion").asText();
    String kind = doc.path("kind").asText();
    String where = kind + "/" + doc.at("/metadata/name").asText();
    ObjectNode schema = MODELS.schema(apiVersion, kind);
    if (schema == null) {
      return List.of(
          where
              + ": no schema for apiVersion "
              + apiVersion
              + " kind "
              + kind
              + "; known: "
              + MODELS.kinds());
    }
    Schema compiled;
    synchronized (COMPILED) {
      compiled =
          COMPILED.computeIfAbsent(
              ModelSchemas.key(apiVersion, kind), k -> REGISTRY.getSchema(schema.toString()));
    }
    List<Error> errors;
    try {
      errors = compiled.validate(JSON.writeValueAsString(doc), InputFormat.JSON);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return errors.stream().map(e -> where + " at " + pointer(e) + ": " + e.getMessage()).toList();
  }

  /** The instance location as a JSON pointer ("" for the document itself). */
  private static String pointer(Error error) {
    StringBuilder pointer = new StringBuilder();
    var location = error.getInstanceLocation();
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      pointer.append('/').append(String.valueOf(element).replace("~", "~0").replace("/", "~1"));
    }
    return pointer.toString();
  }

  private static void assertRefused(JsonNode doc, String path, String mention) {
    List<String> problems = problems(doc);
    assertFalse(problems.isEmpty(), "accepted: " + doc);
    String at = " at " + path + ":";
    assertTrue(
        problems.stream().anyMatch(p -> p.contains(at) && p.contains(mention)),
        "expected a problem at "
            + (path.isEmpty() ? "the document" : path)
            + " mentioning "
            + mention
            + ", got:\n  "
            + String.join("\n  ", problems));
    System.out.println("[k8s] refused as expected: " + problems.get(0));
  }

  // --- reading the renders and the services
  // ----------------------------------------------------------

  private static List<JsonNode> all(Target target, String kind) {
    return DOCS.get(target).stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
  }

  private static JsonNode one(Target target, String kind, String name) {
    List<JsonNode> found = all(target, kind).stream().filter(d -> name(d).equals(name)).toList();
    assertEquals(1, found.size(), target.file + ": " + kind + "/" + name);
    return found.get(0);
  }

  /**
   * A copy of a rendered document with field {@code from} of the object at {@code pointer} renamed
   * {@code to}: a misspelling.
   */
  private static ObjectNode withFieldRenamed(
      String kind, String name, String pointer, String from, String to) {
    ObjectNode doc = copy(kind, name);
    ObjectNode at = (ObjectNode) doc.at(pointer);
    at.set(to, at.remove(from));
    return doc;
  }

  private static ObjectNode copy(String kind, String name) {
    return one(Target.PRODUCTION, kind, name).deepCopy();
  }

  private static String describe(JsonNode doc) {
    return doc == null ? "none" : doc.path("kind").asText() + "/" + name(doc);
  }

  /** The JSON pointer of the first place where two different trees differ, with both values. */
  private static String difference(JsonNode a, JsonNode b, String at) {
    if (a.isObject() && b.isObject()) {
      Set<String> names = new TreeSet<>();
      a.fieldNames().forEachRemaining(names::add);
      b.fieldNames().forEachRemaining(names::add);
      for (String field : names) {
        if (!a.path(field).equals(b.path(field))) {
          return a.has(field) && b.has(field)
              ? difference(a.get(field), b.get(field), at + "/" + field)
              : at + "/" + field + ": " + a.path(field) + " vs " + b.path(field);
        }
      }
    }
    if (a.isArray() && b.isArray() && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) {
        if (!a.get(i).equals(b.get(i))) {
          return difference(a.get(i), b.get(i), at + "/" + i);
        }
      }
    }
    return at + ": " + a + " vs " + b;
  }

  private static String name(JsonNode doc) {
    return doc.at("/metadata/name").asText();
  }

  private static JsonNode container(JsonNode deployment) {
    return deployment.at("/spec/template/spec/containers/0");
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> list = new ArrayList<>();
    array.forEach(list::add);
    return list;
  }

  private static Set<String> texts(JsonNode array) {
    Set<String> set = new TreeSet<>();
    array.forEach(n -> set.add(n.asText()));
    return set;
  }

  /** Whether every label of {@code selector} is on {@code labels} (and it selects something). */
  private static boolean selects(JsonNode selector, JsonNode labels) {
    if (!selector.isObject() || selector.isEmpty()) {
      return false;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = selector.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> label = it.next();
      if (!label.getValue().asText().equals(labels.path(label.getKey()).asText(null))) {
        return false;
      }
    }
    return true;
  }

  private static void probe(String name, JsonNode probe, String path) {
    assertEquals(path, probe.at("/httpGet/path").asText(), name + ": probe on " + path);
    assertEquals("http", probe.at("/httpGet/port").asText(), name + ": probe on the http port");
  }

  private static JsonNode mount(JsonNode container, String path) {
    for (JsonNode mount : container.path("volumeMounts")) {
      if (mount.path("mountPath").asText().equals(path)) {
        return mount;
      }
    }
    return fail(container.path("name").asText() + " mounts nothing at " + path);
  }

  private static JsonNode volume(JsonNode pod, String name) {
    for (JsonNode volume : pod.path("volumes")) {
      if (volume.path("name").asText().equals(name)) {
        return volume;
      }
    }
    return fail("no volume " + name);
  }

  /** {@code file} is a key of a Secret mounted read-only in the container. */
  private static void assertSecretFile(JsonNode deployment, String file) {
    Path path = Path.of(file);
    JsonNode mount = mount(container(deployment), path.getParent().toString());
    assertTrue(
        mount.path("readOnly").asBoolean(),
        name(deployment) + ": " + path.getParent() + " is mounted read-only");
    JsonNode volume = volume(deployment.at("/spec/template/spec"), mount.path("name").asText());
    assertTrue(volume.has("secret"), name(deployment) + ": " + file + " comes from a Secret");
    Set<String> paths = new TreeSet<>();
    volume.at("/secret/items").forEach(item -> paths.add(item.path("path").asText()));
    assertTrue(
        paths.contains(path.getFileName().toString()),
        name(deployment) + ": the Secret volume has no " + path.getFileName() + ", only " + paths);
  }

  /**
   * The value a variable of the Deployment gets: literal, or from a rendered ConfigMap; null for a
   * Secret or a missing key.
   */
  private static String value(Target target, JsonNode deployment, String variable) {
    for (JsonNode env : container(deployment).path("env")) {
      if (!env.path("name").asText().equals(variable)) {
        continue;
      }
      if (env.has("value")) {
        return env.path("value").asText();
      }
      JsonNode ref = env.at("/valueFrom/configMapKeyRef");
      if (ref.isMissingNode()) {
        return null;
      }
      JsonNode data = one(target, "ConfigMap", ref.path("name").asText()).path("data");
      return data.has(ref.path("key").asText())
          ? data.path(ref.path("key").asText()).asText()
          : null;
    }
    return null;
  }

  /**
   * The bootstrap address of the Kafka cluster's internal SCRAM-over-TLS listener, as Strimzi names
   * its Service.
   */
  private static String bootstrap(Target target) {
    JsonNode kafka = one(target, "Kafka", "tanso");
    for (JsonNode listener : kafka.at("/spec/kafka/listeners")) {
      if (listener.path("type").asText().equals("internal")
          && listener.path("tls").asBoolean()
          && listener.at("/authentication/type").asText().equals("scram-sha-512")) {
        return name(kafka) + "-kafka-bootstrap:" + listener.path("port").asInt();
      }
    }
    return fail("the Kafka cluster has no internal SCRAM-SHA-512 TLS listener for the services");
  }

  private static Properties properties(String service) throws IOException {
    Properties properties = new Properties();
    try (Reader in =
        Files.newBufferedReader(
            Renders.ROOT.resolve(service + "/src/main/resources/application.properties"))) {
      properties.load(in);
    }
    return properties;
  }

  /**
   * The TANSO_* variables the service reads outside the dev and test profiles, and whether each has
   * a default.
   */
  private static Map<String, Boolean> reads(String service) throws IOException {
    Map<String, Boolean> reads = new TreeMap<>();
    Properties properties = properties(service);
    for (String key : properties.stringPropertyNames()) {
      if (key.startsWith("%") && !key.startsWith("%prod.")) {
        continue;
      }
      Matcher m = READS.matcher(properties.getProperty(key));
      while (m.find()) {
        reads.merge(m.group(1), m.group(2) != null, Boolean::logicalOr);
      }
    }
    assertFalse(reads.isEmpty(), service + " reads no TANSO_ variable?");
    return reads;
  }

  private static long memory(String quantity) {
    Matcher m = Pattern.compile("(\\d+)(Mi|Gi)").matcher(quantity);
    assertTrue(m.matches(), quantity);
    return Long.parseLong(m.group(1)) * (m.group(2).equals("Gi") ? 1024 : 1);
  }
}
