package org.tanso.registry.directory;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.tanso.events.Topics;
import org.tanso.registry.directory.domain.RegistryDirectory;

/** This registry's identity and its directory of peers, from configuration (TANSO_REGISTRY_*). */
@ApplicationScoped
public class RegistryIdentity {

  private final RegistryDirectory directory;

  RegistryIdentity(
      @ConfigProperty(name = "tanso.registry.id") String id,
      @ConfigProperty(name = "tanso.registry.party") String party,
      @ConfigProperty(name = "tanso.registry.name") String name,
      @ConfigProperty(name = "tanso.registry.peers", defaultValue = " ") String peers) {
    this.directory = new RegistryDirectory(new RegistryDirectory.Registry(id, party, name), RegistryDirectory.parsePeers(peers));
  }

  public RegistryDirectory directory() {
    return directory;
  }

  public String id() {
    return directory.self().id();
  }

  public String party() {
    return directory.self().party();
  }

  /** The topic this registry reads its messages from other registries on. */
  public String inboundTopic() {
    return Topics.interRegistry(id());
  }
}
