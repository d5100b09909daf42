package org.tanso.issuance.request.domain;

import java.util.Set;

/** The issuance workflow: SUBMITTED → APPROVED → ISSUED or FAILED; SUBMITTED → REJECTED. */
public enum RequestStatus {
  SUBMITTED,
  APPROVED,
  REJECTED,
  ISSUED,
  FAILED;

  public boolean mayBecome(RequestStatus next) {
    return switch (this) {
      case SUBMITTED -> next == APPROVED || next == REJECTED;
      case APPROVED -> next == ISSUED || next == FAILED;
      default -> false;
    };
  }

  /** Statuses whose monitoring period and quantity still count against the project. */
  public static final Set<RequestStatus> LIVE = Set.of(SUBMITTED, APPROVED, ISSUED);

  /** Statuses whose quantity is not yet issued but may be. */
  public static final Set<RequestStatus> IN_FLIGHT = Set.of(SUBMITTED, APPROVED);
}
