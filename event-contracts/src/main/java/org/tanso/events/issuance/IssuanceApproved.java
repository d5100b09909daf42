package org.tanso.events.issuance;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A registry administrator other than the submitter approved an issuance request. It carries
 * everything registry-service needs to mint the units: registry-service answers with {@code
 * CreditsIssued} or {@code IssuanceFailed} for the same {@code requestId}. Key: the request id.
 *
 * @param mechanism {@code JCM} or {@code A6_4}
 * @param methodology the project's methodology (the AEF's activity type)
 * @param sectoralScope the project's sectoral scope (the AEF's sector)
 * @param allocation how the issued units are shared between accounts, percentages summing to 100
 * @param authorisation the project's Article 6 authorisation, or null for mitigation contribution
 *     units
 */
public record IssuanceApproved(
    String requestId,
    String project,
    String mechanism,
    String hostParty,
    String partnerParty,
    String methodology,
    String sectoralScope,
    int vintage,
    MonitoringPeriod monitoringPeriod,
    long quantity,
    List<AllocationShare> allocation,
    Authorisation authorisation,
    String approvedBy,
    Instant approvedAt) {

  /**
   * An approval as producers wrote it before {@code methodology} and {@code sectoralScope} were
   * added: both null.
   */
  public IssuanceApproved(
      String requestId,
      String project,
      String mechanism,
      String hostParty,
      String partnerParty,
      int vintage,
      MonitoringPeriod monitoringPeriod,
      long quantity,
      List<AllocationShare> allocation,
      Authorisation authorisation,
      String approvedBy,
      Instant approvedAt) {
    this(
        requestId,
        project,
        mechanism,
        hostParty,
        partnerParty,
        null,
        null,
        vintage,
        monitoringPeriod,
        quantity,
        allocation,
        authorisation,
        approvedBy,
        approvedAt);
  }

  /** The verified monitoring period, both days included. */
  public record MonitoringPeriod(LocalDate start, LocalDate end) {}

  /** One receiving account and its percentage of the units left after any deductions. */
  public record AllocationShare(String account, BigDecimal percent) {}

  /**
   * An Article 6 authorisation of the project's units.
   *
   * @param purpose the first of {@code purposes}, for readers that know one purpose only
   * @param purposes what the units are authorised for, as in the AEF: {@code ["NDC"]}, {@code
   *     ["OIMP"]} or both ("NDC and OIMP"), in the host party's order
   * @param quantity the most units that may ever be issued under it
   * @param cooperativeApproach the cooperative approach the units are authorised under, if named
   * @param firstTransferDefinition when OIMP is among the purposes, when the units are first
   *     transferred (decision 2/CMA.3 annex para 2(b)): {@code AUTHORISATION}, {@code ISSUANCE} or
   *     {@code USE_OR_CANCELLATION}; null for NDC only
   */
  public record Authorisation(
      String id,
      LocalDate date,
      String purpose,
      List<String> purposes,
      long quantity,
      String cooperativeApproach,
      String firstTransferDefinition) {

    /**
     * An authorisation as producers wrote it with one purpose only: that purpose alone, and an OIMP
     * one first transferred at issuance (what units authorised so were stamped with).
     */
    public Authorisation(
        String id, LocalDate date, String purpose, long quantity, String cooperativeApproach) {
      this(
          id,
          date,
          purpose,
          purpose == null ? null : List.of(purpose),
          quantity,
          cooperativeApproach,
          "OIMP".equals(purpose) ? "ISSUANCE" : null);
    }
  }
}
