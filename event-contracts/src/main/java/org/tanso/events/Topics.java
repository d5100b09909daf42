package org.tanso.events;

/** Kafka topics that carry Tanso's events. Each topic has exactly one producing service. */
public final class Topics {

  /** Produced by issuance-service: projects and the issuance-request workflow. */
  public static final String ISSUANCE_EVENTS = "tanso.issuance.events";

  /** Produced by registry-service: accounts and every movement of units. */
  public static final String REGISTRY_EVENTS = "tanso.registry.events";

  /**
   * Where registry {@code registryId} receives messages from the registries it trades with
   * (international transfers). Every registry reads only its own.
   */
  public static String interRegistry(String registryId) {
    return "tanso.interregistry." + registryId;
  }

  private Topics() {}

  /** The dead-letter topic where {@code consumerGroup} parks records it cannot process. */
  public static String deadLetter(String topic, String consumerGroup) {
    return topic + ".dlq." + consumerGroup;
  }
}
