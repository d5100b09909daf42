package org.tanso.registry.article6.domain;

/**
 * When units authorised for other international mitigation purposes are first transferred, as the
 * host party defines it per authorisation (decision 2/CMA.3 annex, para 2(b)).
 */
public enum FirstTransferDefinition {
  AUTHORISATION,
  ISSUANCE,
  USE_OR_CANCELLATION
}
