package org.tanso.events.interregistry;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A serial range on its way between two registries, with everything the receiving registry must
 * record about it: the same unit id and serials, the Article 6 unique identifier elements and the
 * corresponding-adjustment status as the sender holds them.
 */
public record TransferredUnits(
    String unitId,
    long start,
    long end,
    Origin origin,
    CorrespondingAdjustment correspondingAdjustment) {

  public long quantity() {
    return end - start + 1;
  }

  /**
   * Where the units come from: the issuance they were minted by and its authorisation.
   *
   * @param purposes {@code NDC}, {@code OIMP} or both
   * @param firstTransferDefinition for OIMP authorisations: {@code AUTHORISATION}, {@code ISSUANCE}
   *     or {@code USE_OR_CANCELLATION}
   */
  public record Origin(
      String project,
      String mechanism,
      String hostParty,
      int vintage,
      LocalDate monitoringStart,
      LocalDate monitoringEnd,
      long issuedQuantity,
      String authorisationId,
      LocalDate authorisationDate,
      List<String> purposes,
      String firstTransferDefinition,
      String cooperativeApproach,
      String originatingRegistry,
      String firstTransferringParty,
      String sectoralScope,
      String methodology) {}

  /** {@code PENDING} or {@code APPLIED} (with when and by which party). */
  public record CorrespondingAdjustment(String status, Instant appliedAt, String appliedBy) {}
}
