package org.tanso.local;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.tanso.events.Topics;

/**
 * The registries the local stack runs on one broker: the main one (Viet Nam's JCM registry, the
 * services' defaults) and, with {@code --peer-registry PARTY}, a second one for another party.
 * Everything that tells the two apart on the broker and in PostgreSQL is derived here from the
 * party, so that the registry-service, the audit-service and the topics always agree.
 */
final class Registries {

  /** The main registry: the services' built-in defaults. */
  static final Registry MAIN = new Registry("VN-JCM", "VN", "Viet Nam JCM registry", false);

  /** Names the local stack knows for a party's registry; others are named after the code. */
  private static final java.util.Map<String, String> NAMES =
      java.util.Map.of("JP", "Japan JCM registry", "VN", "Viet Nam JCM registry");

  /**
   * One registry of the stack. The main one uses the services' default topics, group ids and
   * databases; a peer's are namespaced by its lower-case id.
   */
  record Registry(String id, String party, String name, boolean peer) {

    String namespace() {
      return id.toLowerCase(Locale.ROOT);
    }

    String registryEventsTopic() {
      return peer ? "tanso." + namespace() + ".registry.events" : Topics.REGISTRY_EVENTS;
    }

    String issuanceEventsTopic() {
      return peer ? "tanso." + namespace() + ".issuance.events" : Topics.ISSUANCE_EVENTS;
    }

    /** Where the other registries send this one their messages; it reads only its own. */
    String interregistryTopic() {
      return "tanso.interregistry." + id;
    }

    /**
     * audit-service's subscription: both event topics of this registry and their dead-letter
     * topics.
     */
    String auditTopicPattern() {
      return "tanso\\."
          + (peer ? namespace() + "\\." : "")
          + "(issuance|registry)\\.events(\\.dlq\\..+)?";
    }

    /** Consumer group of one of this registry's services. */
    String group(String service) {
      return peer ? service + "-" + namespace() : service;
    }

    /** A service's component name in the state file: the main registry's keep today's names. */
    String component(String service) {
      return peer ? service + "." + namespace() : service;
    }

    String database(String prefix, Services.Service service) {
      return service.database(prefix) + (peer ? "_" + namespace().replace('-', '_') : "");
    }

    /** {@code ID=PARTY} as registry-service's TANSO_REGISTRY_PEERS lists it. */
    String asPeerEntry() {
      return id + "=" + party;
    }
  }

  /** The services a peer registry runs: it issues nothing, so it has no issuance-service. */
  static final List<String> PEER_SERVICES = List.of("registry-service", "audit-service");

  /** The peer registry of {@code party}, or why there can be none. */
  static Registry peer(String party) {
    if (party == null || !party.matches("[A-Z]{2}")) {
      throw new IllegalArgumentException(
          "--peer-registry takes a party code of two capital letters (e.g. JP), not '"
              + party
              + "'");
    }
    if (party.equals(MAIN.party())) {
      throw new IllegalArgumentException(
          "--peer-registry "
              + party
              + " is the main registry's party ("
              + MAIN.id()
              + "); name another party, e.g. JP");
    }
    return new Registry(
        party + "-JCM",
        party,
        Optional.ofNullable(NAMES.get(party)).orElse(party + " JCM registry"),
        true);
  }

  private Registries() {}
}
