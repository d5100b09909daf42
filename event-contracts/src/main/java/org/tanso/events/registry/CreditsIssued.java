package org.tanso.events.registry;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Units were minted for an approved issuance request under a new unit identifier {@code
 * {mechanism}-{host party}-{project}-{vintage}-{issuance no}}. The blocks sum to {@code quantity}:
 * for A6_4 they include the share of proceeds (ACTIVE, in the share-of-proceeds account) and the
 * overall mitigation cancellation (CANCELLED, in the cancellation account). Key: the unit id.
 *
 * @param authorisationStatus {@code AUTHORISED} or {@code MITIGATION_CONTRIBUTION}
 * @param article6 the Article 6 unique identifier elements, for authorised units only
 */
public record CreditsIssued(
    String requestId,
    String unitId,
    String project,
    String mechanism,
    String hostParty,
    int vintage,
    LocalDate monitoringStart,
    LocalDate monitoringEnd,
    long quantity,
    String authorisationStatus,
    String correspondingAdjustment,
    Article6Identifier article6,
    List<Block> blocks,
    Instant issuedAt) {

  /** Elements of the Article 6 unique identifier (decision 2/CMA.3 annex, chapter VI). */
  public record Article6Identifier(
      String authorisationId,
      String purpose,
      String cooperativeApproach,
      String originatingPartyRegistry,
      String firstTransferringParty,
      long firstSerial,
      long lastSerial,
      int vintage) {}
}
