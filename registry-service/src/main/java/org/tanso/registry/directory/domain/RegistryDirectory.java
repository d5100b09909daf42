package org.tanso.registry.directory.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which registry this is and the registries it trades with. A registry is one party's registry (id
 * like {@code VN-JCM}, party {@code VN}); a message from or a transfer to a registry outside the
 * directory is never acted on.
 */
public final class RegistryDirectory {

  /** One registry: id, party (ISO 3166-1 alpha-2) and a display name. */
  public record Registry(String id, String party, String name) {

    private static final Pattern ID = Pattern.compile("[A-Z]{2}-[A-Z0-9]{1,16}");
    private static final Pattern PARTY = Pattern.compile("[A-Z]{2}");

    public Registry {
      if (id == null || !ID.matcher(id).matches()) {
        throw new IllegalArgumentException(
            "registry id '" + id + "' is not of the form PARTY-NAME, e.g. VN-JCM");
      }
      if (party == null || !PARTY.matcher(party).matches()) {
        throw new IllegalArgumentException(
            "registry party '" + party + "' is not an ISO 3166-1 alpha-2 code");
      }
      if (name == null || name.isBlank()) {
        name = id;
      }
    }
  }

  private final Registry self;
  private final Map<String, Registry> peers;

  public RegistryDirectory(Registry self, List<Registry> peers) {
    this.self = self;
    Map<String, Registry> byId = new LinkedHashMap<>();
    for (Registry peer : peers) {
      if (peer.id().equals(self.id())) {
        throw new IllegalArgumentException("registry " + self.id() + " cannot be its own peer");
      }
      if (byId.put(peer.id(), peer) != null) {
        throw new IllegalArgumentException("peer registry " + peer.id() + " is listed twice");
      }
    }
    this.peers = Map.copyOf(byId);
    this.order = List.copyOf(byId.keySet());
  }

  private final List<String> order;

  /**
   * Reads a peer list {@code ID=PARTY[:NAME],...}, e.g. {@code JP-JCM=JP:Japan JCM registry}; blank
   * means no peers.
   */
  public static List<Registry> parsePeers(String text) {
    List<Registry> peers = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return peers;
    }
    for (String entry : text.split(",")) {
      String trimmed = entry.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException(
            "peer registry '" + trimmed + "' is not ID=PARTY[:NAME]");
      }
      String id = trimmed.substring(0, eq).trim();
      String rest = trimmed.substring(eq + 1).trim();
      int colon = rest.indexOf(':');
      String party = colon < 0 ? rest : rest.substring(0, colon).trim();
      String name = colon < 0 ? null : rest.substring(colon + 1).trim();
      peers.add(new Registry(id, party, name));
    }
    return peers;
  }

  public Registry self() {
    return self;
  }

  public List<Registry> peers() {
    return order.stream().map(peers::get).toList();
  }

  public Optional<Registry> peer(String id) {
    return Optional.ofNullable(id == null ? null : peers.get(id));
  }
}
