package org.tanso.audit.certificate;

import java.util.List;
import org.tanso.audit.log.AuditLog;

/**
 * Everything a retirement certificate shows, read from the audit log alone: the retirement, the
 * project, vintage and Article 6 data of its units (all from the retirement's public record, the
 * RetirementPublished entry the log derives from its CreditsRetired and CreditsIssued entries), the
 * corresponding adjustment (from the FirstTransferRecorded entries of its unit identifiers, not
 * proved), and the proof that the public record is in a signed checkpoint. The holder's account is
 * not part of it, nor of the proof: a public certificate does not say who held the units.
 *
 * @param retiredAt the retirement's time as logged (ISO 8601)
 * @param proofJson the machine-readable proof the PDF carries as {@code proof.json}
 */
record Certificate(
    String registryName,
    String retirementId,
    String retiredAt,
    String beneficiary,
    String purpose,
    String usingParty,
    long quantity,
    List<Units> units,
    Proof proof,
    String verifyUrl,
    String publicKeyUrl,
    String proofJson) {

  /**
   * The retired serials of one unit identifier and what its issuance says about them.
   *
   * @param authorisationStatus {@code AUTHORISED}, {@code MITIGATION_CONTRIBUTION}, or null when
   *     the units were issued in another registry (acquired) and this log has no issuance of them
   * @param article6 the Article 6 identifier elements, for authorised units
   * @param correspondingAdjustment the adjustment's status for exactly the retired serials
   */
  record Units(
      String unitId,
      List<Range> ranges,
      long quantity,
      String project,
      String mechanism,
      String hostParty,
      String vintage,
      String authorisationStatus,
      Article6 article6,
      String correspondingAdjustment) {}

  /** A contiguous range of retired serials. */
  record Range(String serial, long start, long end, long quantity) {}

  /** Elements of the Article 6 unique identifier as the issuance recorded them. */
  record Article6(
      String authorisationId,
      String purpose,
      String cooperativeApproach,
      String originatingPartyRegistry,
      String firstTransferringParty) {}

  /** The retirement's entry in the log and its inclusion in a signed checkpoint. */
  record Proof(
      long seq,
      long leafIndex,
      String leafHash,
      List<String> auditPath,
      AuditLog.Checkpoint checkpoint) {}
}
