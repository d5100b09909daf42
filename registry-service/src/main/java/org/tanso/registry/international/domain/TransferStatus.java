package org.tanso.registry.international.domain;

/**
 * Where an international transfer stands. The sender goes PROPOSED → COMPLETED or TERMINATED; the
 * receiver records ACCEPTED or REJECTED (its answer), then COMPLETED or TERMINATED as the sender
 * decides. COMPLETED and TERMINATED are final on both sides.
 */
public enum TransferStatus {
  PROPOSED,
  ACCEPTED,
  REJECTED,
  COMPLETED,
  TERMINATED;

  public boolean isFinal() {
    return this == COMPLETED || this == TERMINATED;
  }
}
