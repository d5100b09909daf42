package org.tanso.registry.directory;

import jakarta.enterprise.context.ApplicationScoped;
import org.tanso.events.Topics;
import org.tanso.registry.account.RegistryAccountsConfig;
import org.tanso.registry.directory.domain.RegistryDirectory;

/** This registry's identity and its directory of peers, from configuration (TANSO_REGISTRY_*). */
@ApplicationScoped
public class RegistryIdentity {

  private final RegistryDirectory directory;

  RegistryIdentity(RegistryAccountsConfig config) {
    this.directory =
        new RegistryDirectory(
            new RegistryDirectory.Registry(config.id(), config.party(), config.name()),
            RegistryDirectory.parsePeers(config.peers().orElse("")));
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
