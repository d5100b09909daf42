package org.tanso.events;

/** Kafka topics that carry Tanso's events. Each topic has exactly one producing service. */
public final class Topics {

  /** Produced by issuance-service: projects and the issuance-request workflow. */
  public static final String ISSUANCE_EVENTS = "tanso.issuance.events";

  /** Produced by registry-service: accounts and every movement of units. */
  public static final String REGISTRY_EVENTS = "tanso.registry.events";

  private Topics() {}

  /** The dead-letter topic where {@code consumerGroup} parks records it cannot process. */
  public static String deadLetter(String topic, String consumerGroup) {
    return topic + ".dlq." + consumerGroup;
  }
}
