package org.tanso.registry.article6.domain;

import java.util.Optional;

/**
 * When authorised units are first transferred (decision 2/CMA.3 annex): the moment they become
 * ITMOs and the first transferring party applies the corresponding adjustment. It happens once per
 * serial: units already APPLIED are never first transferred again, mitigation-contribution units
 * never.
 *
 * <ul>
 *   <li>units authorised for NDC use: at their first international transfer out of the registry;
 *   <li>units authorised for OIMP: at authorisation, at issuance, or at use or cancellation, as the
 *       authorisation's first transfer definition says. Here units are minted after their
 *       authorisation, so AUTHORISATION and ISSUANCE both take effect when the units are minted.
 * </ul>
 *
 * Units authorised for both purposes are first transferred by whichever comes first.
 */
public final class FirstTransfer {

  private FirstTransfer() {}

  /** What the registry is doing to the units. */
  public enum Action {
    ISSUANCE,
    INTERNATIONAL_TRANSFER,
    RETIREMENT,
    CANCELLATION
  }

  /** Why it is the first transfer, as reported in the AEF ("first transfer" subtypes). */
  public enum Trigger {
    INTERNATIONAL_TRANSFER,
    AUTHORISATION,
    ISSUANCE,
    USE_OR_CANCELLATION
  }

  /**
   * Whether {@code action} first transfers units with this authorisation and status, and why.
   *
   * @param authorisation null for mitigation-contribution units
   */
  public static Optional<Trigger> by(
      Action action, Authorisation authorisation, CorrespondingAdjustment status) {
    if (authorisation == null || status != CorrespondingAdjustment.PENDING) {
      return Optional.empty();
    }
    FirstTransferDefinition definition =
        authorisation.allows(Purpose.OIMP) ? authorisation.firstTransferDefinition() : null;
    return switch (action) {
      case INTERNATIONAL_TRANSFER ->
          authorisation.allows(Purpose.NDC)
              ? Optional.of(Trigger.INTERNATIONAL_TRANSFER)
              : Optional.empty();
      case ISSUANCE ->
          switch (definition == null ? FirstTransferDefinition.USE_OR_CANCELLATION : definition) {
            case AUTHORISATION -> Optional.of(Trigger.AUTHORISATION);
            case ISSUANCE -> Optional.of(Trigger.ISSUANCE);
            case USE_OR_CANCELLATION -> Optional.empty();
          };
      case RETIREMENT, CANCELLATION ->
          definition == FirstTransferDefinition.USE_OR_CANCELLATION
              ? Optional.of(Trigger.USE_OR_CANCELLATION)
              : Optional.empty();
    };
  }
}
