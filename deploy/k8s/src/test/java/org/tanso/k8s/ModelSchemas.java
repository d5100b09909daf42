package org.tanso.k8s;

import com.fasterxml.classmate.ResolvedType;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.CustomDefinitionProviderV2;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerationContext;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaKeyword;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Strict JSON Schemas (draft 2020-12) for the kinds the manifests may contain, generated with
 * victools from the typed models: the fabric8 Kubernetes model for the built-in kinds and the
 * Strimzi API model ({@code io.strimzi:api}, from which Strimzi generates its own CRDs) for the
 * Strimzi kinds.
 *
 * <p>Strict means: every object forbids properties its class does not declare (the models'
 * {@code @JsonAnySetter} catch-all maps, which would let any typo through, are not properties);
 * numbers, booleans and strings are what the field's Java type says; enums are their JSON values;
 * {@code IntOrString} is an integer or a string, {@code Quantity} a number or a quantity string; a
 * Jackson polymorphic type (Strimzi's storage, listener authentication, logging...) is selected by
 * its discriminator, which must be one of the subtypes' names, and then validated as that subtype;
 * what the model marks {@code @JsonProperty(required = true)} (Strimzi does, fabric8 does not) is
 * required. A model class that Jackson reads with a custom deserializer and that is not mapped here
 * fails the generation instead of becoming "anything goes".
 */
final class ModelSchemas {

  /** The kinds a manifest may contain; an apiVersion/kind pair not listed here has no schema. */
  static final List<Class<? extends HasMetadata>> KINDS =
      List.of(
          ConfigMap.class,
          Service.class,
          ServiceAccount.class,
          Deployment.class,
          PodDisruptionBudget.class,
          HorizontalPodAutoscaler.class,
          Kafka.class,
          KafkaNodePool.class,
          KafkaTopic.class,
          KafkaUser.class);

  /**
   * Kubernetes quantity syntax (resource.Quantity): a number with an optional SI, binary or
   * exponent suffix.
   */
  static final String QUANTITY_PATTERN =
      "^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?[0-9]+))?$";

  /** Types Jackson reads with their own deserializer, and the JSON they accept. */
  private static final Map<String, String> SCALARS =
      Map.of(
          IntOrString.class.getName(),
          "{\"type\":[\"integer\",\"string\"]}",
          Quantity.class.getName(),
          "{\"type\":[\"number\",\"string\"],\"pattern\":\""
              + QUANTITY_PATTERN.replace("\\", "\\\\")
              + "\"}",
          "io.fabric8.kubernetes.api.model.Time",
          "{\"type\":\"string\"}",
          "io.fabric8.kubernetes.api.model.MicroTime",
          "{\"type\":\"string\"}",
          "io.fabric8.kubernetes.api.model.Duration",
          "{\"type\":\"string\"}",
          // free-form by design: JSON values in CRD-like fields
          "io.fabric8.kubernetes.api.model.AnyType",
          "{}",
          JsonNode.class.getName(),
          "{}");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SchemaGenerator generator;
  private final Map<String, Class<? extends HasMetadata>> byKey = new LinkedHashMap<>();
  private final Map<String, ObjectNode> schemas = new ConcurrentHashMap<>();

  ModelSchemas() {
    SchemaGeneratorConfigBuilder config =
        new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
            .with(
                new JacksonModule(
                    JacksonOption.FLATTENED_ENUMS_FROM_JSONVALUE,
                    JacksonOption.RESPECT_JSONPROPERTY_REQUIRED,
                    JacksonOption.SKIP_SUBTYPE_LOOKUP,
                    JacksonOption.IGNORE_TYPE_INFO_TRANSFORM))
            .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT)
            .with(Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES)
            // a property only a getter carries (Strimzi's discriminators: getType() returning a
            // constant)
            .with(Option.NONSTATIC_NONVOID_NONGETTER_METHODS)
            .with(Option.FIELDS_DERIVED_FROM_ARGUMENTFREE_METHODS)
            .with(Option.DEFINITIONS_FOR_ALL_OBJECTS)
            .without(Option.SCHEMA_VERSION_INDICATOR);
    config
        .forTypesInGeneral()
        .withCustomDefinitionProvider(new Scalars())
        .withCustomDefinitionProvider(new Polymorphic());
    // the catch-all maps behind @JsonAnySetter/@JsonAnyGetter are no property of the resource
    config
        .forFields()
        .withIgnoreCheck(
            f ->
                f.getName().equals("additionalProperties")
                    || f.getDeclaredName().equals("additionalProperties"));
    // of the methods, only the getters Jackson itself treats as properties
    config
        .forMethods()
        .withIgnoreCheck(
            m -> !isJacksonGetter(m.getDeclaringType().getErasedType(), m.getRawMember()));
    generator = new SchemaGenerator(config.build());
    for (Class<? extends HasMetadata> kind : KINDS) {
      for (String apiVersion : apiVersions(kind)) {
        byKey.put(key(apiVersion, HasMetadata.getKind(kind)), kind);
      }
    }
  }

  /**
   * The model's own apiVersion, and for a Strimzi kind every version its CRD serves (the static
   * {@code VERSIONS}): Strimzi 0.49 serves v1 besides v1beta2 from the same model.
   */
  @SuppressWarnings("unchecked")
  private static List<String> apiVersions(Class<? extends HasMetadata> kind) {
    String group = HasMetadata.getGroup(kind);
    List<String> versions = new ArrayList<>(List.of(HasMetadata.getApiVersion(kind)));
    try {
      for (String version : (List<String>) kind.getField("VERSIONS").get(null)) {
        String apiVersion = group + "/" + version;
        if (!versions.contains(apiVersion)) {
          versions.add(apiVersion);
        }
      }
    } catch (NoSuchFieldException builtIn) {
      // a built-in kind: one version per model class
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
    return versions;
  }

  /** Whether Jackson writes {@code method}'s value as a property of {@code type}. */
  private static boolean isJacksonGetter(Class<?> type, Method method) {
    if (method.getParameterCount() != 0
        || method.getReturnType() == void.class
        || Modifier.isStatic(method.getModifiers())) {
      return false;
    }
    BeanDescription bean = JSON.getSerializationConfig().introspect(JSON.constructType(type));
    return bean.findProperties().stream()
        .anyMatch(p -> p.hasGetter() && p.getGetter().getName().equals(method.getName()));
  }

  static String key(String apiVersion, String kind) {
    return apiVersion + " " + kind;
  }

  /** Every apiVersion/kind with a schema. */
  Set<String> kinds() {
    return byKey.keySet();
  }

  /** The schema for the kind, or null if the manifests may not contain it. */
  ObjectNode schema(String apiVersion, String kind) {
    Class<? extends HasMetadata> type = byKey.get(key(apiVersion, kind));
    if (type == null) {
      return null;
    }
    return schemas.computeIfAbsent(key(apiVersion, kind), k -> generate(type, apiVersion, kind));
  }

  private ObjectNode generate(Class<?> type, String apiVersion, String kind) {
    ObjectNode schema = generator.generateSchema(type);
    ObjectNode properties = (ObjectNode) schema.get("properties");
    if (properties == null || !properties.has("metadata")) {
      throw new IllegalStateException(
          "schema of " + type.getName() + " has no metadata: " + schema);
    }
    // a manifest states what it wants: the status is the cluster's to write
    properties.remove("status");
    properties.set("apiVersion", JSON.createObjectNode().put("const", apiVersion));
    properties.set("kind", JSON.createObjectNode().put("const", kind));
    ArrayNode required = schema.putArray("required");
    required.add("apiVersion").add("kind").add("metadata");
    return schema;
  }

  /** IntOrString, Quantity and the other types with their own deserializer. */
  private static final class Scalars implements CustomDefinitionProviderV2 {
    @Override
    public CustomDefinition provideCustomSchemaDefinition(
        ResolvedType javaType, SchemaGenerationContext context) {
      Class<?> raw = javaType.getErasedType();
      String json = SCALARS.get(raw.getName());
      if (json != null) {
        try {
          return new CustomDefinition(
              (ObjectNode) JSON.readTree(json),
              CustomDefinition.DefinitionType.INLINE,
              CustomDefinition.AttributeInclusion.NO);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalStateException(e);
        }
      }
      JsonDeserialize deserialize = raw.getAnnotation(JsonDeserialize.class);
      if (deserialize != null
          && deserialize.using() != JsonDeserializer.None.class
          && !raw.isInterface()
          && raw.getAnnotation(JsonTypeInfo.class) == null) {
        throw new IllegalStateException(
            raw.getName()
                + " is read by "
                + deserialize.using().getName()
                + ": say in ModelSchemas.SCALARS what JSON it accepts");
      }
      return null;
    }
  }

  /**
   * A Jackson polymorphic base type: the discriminator must name one of its subtypes, and the
   * object is then validated as that subtype (if/then, so that an error names the subtype's
   * properties rather than every alternative).
   */
  private static final class Polymorphic implements CustomDefinitionProviderV2 {
    @Override
    public CustomDefinition provideCustomSchemaDefinition(
        ResolvedType javaType, SchemaGenerationContext context) {
      Class<?> raw = javaType.getErasedType();
      JsonTypeInfo info = raw.getAnnotation(JsonTypeInfo.class);
      JsonSubTypes subtypes = raw.getAnnotation(JsonSubTypes.class);
      if (info == null
          || subtypes == null
          || !(raw.isInterface() || Modifier.isAbstract(raw.getModifiers()))) {
        return null;
      }
      if (info.use() != JsonTypeInfo.Id.NAME
          || (info.include() != JsonTypeInfo.As.EXISTING_PROPERTY
              && info.include() != JsonTypeInfo.As.PROPERTY)) {
        throw new IllegalStateException(
            raw.getName() + ": type info " + info.use() + "/" + info.include() + " is not handled");
      }
      String property =
          info.property().isEmpty() ? info.use().getDefaultPropertyName() : info.property();
      ObjectNode node = context.getGeneratorConfig().createObjectNode();
      node.put(context.getKeyword(SchemaKeyword.TAG_TYPE), "object");
      node.putArray(context.getKeyword(SchemaKeyword.TAG_REQUIRED)).add(property);
      ArrayNode names =
          node.putObject(context.getKeyword(SchemaKeyword.TAG_PROPERTIES))
              .putObject(property)
              .putArray("enum");
      ArrayNode branches = node.putArray(context.getKeyword(SchemaKeyword.TAG_ALLOF));
      for (JsonSubTypes.Type subtype : subtypes.value()) {
        String name = subtype.name();
        names.add(name);
        ObjectNode branch = branches.addObject();
        branch
            .putObject("if")
            .putObject(context.getKeyword(SchemaKeyword.TAG_PROPERTIES))
            .putObject(property)
            .put("const", name);
        ObjectNode then =
            context.createDefinitionReference(context.getTypeContext().resolve(subtype.value()));
        branch.set("then", then);
      }
      return new CustomDefinition(
          node, CustomDefinition.DefinitionType.STANDARD, CustomDefinition.AttributeInclusion.NO);
    }
  }
}
