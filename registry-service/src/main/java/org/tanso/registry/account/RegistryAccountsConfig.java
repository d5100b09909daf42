package org.tanso.registry.account;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * The registry's configuration under {@code tanso.registry}: which registry it is (read through
 * {@code RegistryIdentity}) and its own participant and accounts, which exist from the first start.
 */
@ConfigMapping(prefix = "tanso.registry")
public interface RegistryAccountsConfig {

  /** Registry id, e.g. {@code VN-JCM}. */
  String id();

  /** Display name of the registry. */
  String name();

  /** Peer registries, {@code ID=PARTY[:NAME],...}; empty: none. */
  Optional<String> peers();

  /** Participant id of the registry operator, holder of the registry-level accounts. */
  @WithDefault("REGISTRY")
  String operatorParticipant();

  @WithDefault("Tanso registry operator")
  String operatorName();

  /** Party of the registry-level accounts (ISO 3166-1 alpha-2). */
  String party();

  /** Share-of-proceeds account number; default {party}-600-000001-cc. */
  Optional<String> shareOfProceedsAccount();

  /** Cancellation (OMGE) account number; default {party}-500-000002-cc. */
  Optional<String> cancellationAccount();
}
