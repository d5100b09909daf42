package org.tanso.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventTypeTest {

  @Test
  void formatsAndParsesTheCloudEventsType() {
    EventType type = EventType.registry("CreditsTransferred");
    assertEquals("tanso.registry.CreditsTransferred.v1", type.toString());
    assertEquals(type, EventType.parse("tanso.registry.CreditsTransferred.v1"));
    assertEquals(
        new EventType("issuance", "IssuanceApproved", 2),
        EventType.parse("tanso.issuance.IssuanceApproved.v2"));
  }

  @Test
  void registryToRegistryMessagesHaveTheirOwnService() {
    EventType type = EventType.interRegistry("TransferProposed");
    assertEquals("tanso.interregistry.TransferProposed.v1", type.toString());
    assertEquals(type, EventType.parse("tanso.interregistry.TransferProposed.v1"));
    assertEquals(
        new EventType("interregistry", "TransferProposed", 1),
        EventType.parse("tanso.interregistry.TransferProposed.v1"));
    assertNotEquals(EventType.registry("TransferProposed"), type);
  }

  @Test
  void eachRegistryReceivesOnItsOwnTopic() {
    assertEquals("tanso.interregistry.JP-JCM", Topics.interRegistry("JP-JCM"));
    assertEquals("tanso.interregistry.VN-JCM", Topics.interRegistry("VN-JCM"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "registry.CreditsTransferred.v1",
        "tanso.registry.creditsTransferred.v1",
        "tanso.registry.CreditsTransferred",
        "tanso.registry.CreditsTransferred.v0",
        "tanso.Registry.CreditsTransferred.v1",
        "tanso.registry.Credits-Transferred.v1",
        "tanso.inter-registry.TransferProposed.v1",
        "tanso.interRegistry.TransferProposed.v1"
      })
  void rejectsMalformedTypes(String type) {
    assertThrows(IllegalArgumentException.class, () -> EventType.parse(type));
  }

  @Test
  void deadLetterTopicNamesTopicAndConsumer() {
    assertEquals(
        "tanso.registry.events.dlq.audit-service",
        Topics.deadLetter(Topics.REGISTRY_EVENTS, "audit-service"));
  }
}
