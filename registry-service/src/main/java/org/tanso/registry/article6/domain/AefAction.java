package org.tanso.registry.article6.domain;

/**
 * The AEF's action types and subtypes (6/CMA.4 annex, "actions"), and which registry record each
 * one reports. A registry record of a kind not listed here (a domestic transfer) is no AEF action.
 */
public enum AefAction {
  AUTHORIZATION("Authorization", null),
  FIRST_TRANSFER_INTERNATIONAL("First transfer", "First transfer to another party"),
  FIRST_TRANSFER_AT_AUTHORIZATION("First transfer", "At authorization"),
  FIRST_TRANSFER_AT_ISSUANCE("First transfer", "At issuance"),
  FIRST_TRANSFER_AT_USE_OR_CANCELLATION("First transfer", "At use or cancellation"),
  TRANSFER("Transfer", null),
  ACQUISITION("Acquisition", null),
  USE_TOWARDS_NDC("Use", "Use towards NDC"),
  USE_FOR_OIMP("Use", "Use for OIMP"),
  CANCELLATION_OMGE("Cancellation", "Mandatory cancellation to deliver OMGE"),
  VOLUNTARY_CANCELLATION("Voluntary cancellation", null);

  private final String type;
  private final String subtype;

  AefAction(String type, String subtype) {
    this.type = type;
    this.subtype = subtype;
  }

  public String type() {
    return type;
  }

  public String subtype() {
    return subtype;
  }

  /** The first transfer a FIRST_TRANSFER record of this trigger reports. */
  public static AefAction firstTransfer(FirstTransfer.Trigger trigger) {
    return switch (trigger) {
      case INTERNATIONAL_TRANSFER -> FIRST_TRANSFER_INTERNATIONAL;
      case AUTHORISATION -> FIRST_TRANSFER_AT_AUTHORIZATION;
      case ISSUANCE -> FIRST_TRANSFER_AT_ISSUANCE;
      case USE_OR_CANCELLATION -> FIRST_TRANSFER_AT_USE_OR_CANCELLATION;
    };
  }

  /** The use a retirement for {@code purpose} reports. */
  public static AefAction use(Purpose purpose) {
    return purpose == Purpose.NDC ? USE_TOWARDS_NDC : USE_FOR_OIMP;
  }

  /** The AEF's wording of authorised purposes: "NDC", "OIMP" or "NDC and OIMP". */
  public static String purposes(Authorisation authorisation) {
    return String.join(" and ", authorisation.purposeNames());
  }
}
