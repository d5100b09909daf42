package org.tanso.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tanso.devtokens.DevKeys;

class RegistriesTest {

  @TempDir Path dir;

  @Test
  void aPeerIsNamedAfterItsParty() {
    Registries.Registry jp = Registries.peer("JP");
    assertEquals("JP-JCM", jp.id());
    assertEquals("Japan JCM registry", jp.name());
    assertEquals("tanso.jp-jcm.registry.events", jp.registryEventsTopic());
    assertEquals("tanso.jp-jcm.issuance.events", jp.issuanceEventsTopic());
    assertEquals("tanso.interregistry.JP-JCM", jp.interregistryTopic());
    assertEquals(
        "tanso\\.jp-jcm\\.(issuance|registry)\\.events(\\.dlq\\..+)?", jp.auditTopicPattern());
    assertEquals("registry-service-jp-jcm", jp.group("registry-service"));
    assertEquals("tanso_registry_jp_jcm", jp.database("tanso", Services.named("registry-service")));
    assertEquals("registry-service.jp-jcm", jp.component("registry-service"));
    // derived, not written out for JP alone
    assertEquals("tanso.kr-jcm.registry.events", Registries.peer("KR").registryEventsTopic());
  }

  @Test
  void theMainRegistryKeepsTheServicesDefaults() {
    Registries.Registry vn = Registries.MAIN;
    assertEquals("tanso.registry.events", vn.registryEventsTopic());
    assertEquals("tanso_registry", vn.database("tanso", Services.named("registry-service")));
    assertEquals("audit-service", vn.group("audit-service"));
    assertEquals("audit-service", vn.component("audit-service"));
    assertEquals("tanso\\.(issuance|registry)\\.events(\\.dlq\\..+)?", vn.auditTopicPattern());
  }

  @Test
  void eachAuditServiceReadsItsOwnRegistrysTopicsOnly() {
    Pattern main = Pattern.compile(Registries.MAIN.auditTopicPattern());
    Pattern peer = Pattern.compile(Registries.peer("JP").auditTopicPattern());
    for (String topic :
        List.of(
            "tanso.jp-jcm.registry.events",
            "tanso.jp-jcm.issuance.events",
            "tanso.jp-jcm.issuance.events.dlq.registry-service-jp-jcm")) {
      assertTrue(peer.matcher(topic).matches(), topic);
      assertFalse(main.matcher(topic).matches(), topic);
    }
    for (String topic :
        List.of(
            "tanso.registry.events",
            "tanso.issuance.events.dlq.registry-service",
            "tanso.interregistry.JP-JCM")) {
      assertFalse(peer.matcher(topic).matches(), topic);
    }
    assertFalse(main.matcher("tanso.interregistry.VN-JCM").matches());
  }

  @Test
  void refusesTheMainPartyAndWhatIsNoPartyCode() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Registries.peer("VN"))
            .getMessage()
            .contains("main registry"));
    for (String notACode : new String[] {"jp", "JPN", "J", "J1", ""}) {
      assertTrue(
          assertThrows(IllegalArgumentException.class, () -> Registries.peer(notACode))
              .getMessage()
              .contains("two capital letters"),
          notACode);
    }
  }

  @Test
  void topicsUpFrontIncludeTheMainRegistrysOwnInterregistryTopicEvenWithoutAPeer() {
    assertEquals(
        List.of("tanso.issuance.events", "tanso.registry.events", "tanso.interregistry.VN-JCM"),
        List.copyOf(UpCommand.topics(Optional.empty()).keySet()));
    assertEquals(
        List.of(
            "tanso.issuance.events",
            "tanso.registry.events",
            "tanso.interregistry.VN-JCM",
            "tanso.interregistry.JP-JCM",
            "tanso.jp-jcm.issuance.events",
            "tanso.jp-jcm.registry.events"),
        List.copyOf(UpCommand.topics(Optional.of(Registries.peer("JP"))).keySet()));
  }

  @Test
  void thePeersServicesAreToldWhichRegistryTheyAre() {
    Registries.Registry jp = Registries.peer("JP");
    StackLayout layout = new StackLayout(dir, dir.resolve("run"));
    DevKeys keys = DevKeys.loadOrCreate(layout.keys());
    Map<String, Integer> ports =
        new LinkedHashMap<>(
            Map.of(
                "registry-service",
                8081,
                "audit-service",
                8083,
                "registry-service.jp-jcm",
                8091,
                "audit-service.jp-jcm",
                8093));

    Map<String, String> registry =
        env(
            new UpCommand.Instance(
                "registry-service.jp-jcm", Services.named("registry-service"), jp, 8091),
            jp,
            ports,
            layout,
            keys);
    assertEquals("JP-JCM", registry.get("TANSO_REGISTRY_ID"));
    assertEquals("JP", registry.get("TANSO_REGISTRY_PARTY"));
    assertEquals("Japan JCM registry", registry.get("TANSO_REGISTRY_NAME"));
    assertEquals("VN-JCM=VN", registry.get("TANSO_REGISTRY_PEERS"));
    assertEquals("tanso.jp-jcm.registry.events", registry.get("TANSO_REGISTRY_EVENTS_TOPIC"));
    assertEquals("tanso.jp-jcm.issuance.events", registry.get("TANSO_ISSUANCE_EVENTS_TOPIC"));
    assertEquals("registry-service-jp-jcm", registry.get("TANSO_KAFKA_GROUP"));
    assertEquals("8091", registry.get("TANSO_HTTP_PORT"));

    Map<String, String> audit =
        env(
            new UpCommand.Instance(
                "audit-service.jp-jcm", Services.named("audit-service"), jp, 8093),
            jp,
            ports,
            layout,
            keys);
    assertEquals("http://127.0.0.1:8091", audit.get("TANSO_AUDIT_REGISTRY_URL"));
    assertEquals(jp.auditTopicPattern(), audit.get("TANSO_AUDIT_TOPICS"));
    assertEquals("audit-service-jp-jcm", audit.get("TANSO_KAFKA_GROUP"));

    Map<String, String> main =
        env(
            new UpCommand.Instance(
                "registry-service", Services.named("registry-service"), Registries.MAIN, 8081),
            jp,
            ports,
            layout,
            keys);
    assertEquals("JP-JCM=JP", main.get("TANSO_REGISTRY_PEERS"));
    assertFalse(
        main.containsKey("TANSO_REGISTRY_ID"),
        "the main registry keeps registry-service's defaults");
    Map<String, String> mainAudit =
        env(
            new UpCommand.Instance(
                "audit-service", Services.named("audit-service"), Registries.MAIN, 8083),
            jp,
            ports,
            layout,
            keys);
    assertEquals("http://127.0.0.1:8081", mainAudit.get("TANSO_AUDIT_REGISTRY_URL"));
    assertFalse(mainAudit.containsKey("TANSO_AUDIT_TOPICS"));
  }

  private static Map<String, String> env(
      UpCommand.Instance instance,
      Registries.Registry peer,
      Map<String, Integer> ports,
      StackLayout layout,
      DevKeys keys) {
    return UpCommand.environment(
        instance,
        Optional.of(peer),
        ports,
        layout,
        keys,
        "jdbc:postgresql://127.0.0.1:5432/x",
        "postgres",
        "",
        9092);
  }
}
