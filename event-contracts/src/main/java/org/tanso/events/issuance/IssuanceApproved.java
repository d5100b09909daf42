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
    int vintage,
    MonitoringPeriod monitoringPeriod,
    long quantity,
    List<AllocationShare> allocation,
    Authorisation authorisation,
    String approvedBy,
    Instant approvedAt) {

  /** The verified monitoring period, both days included. */
  public record MonitoringPeriod(LocalDate start, LocalDate end) {}

  /** One receiving account and its percentage of the units left after any deductions. */
  public record AllocationShare(String account, BigDecimal percent) {}

  /**
   * An Article 6 authorisation of the project's units.
   *
   * @param purpose {@code NDC} or {@code OIMP}
   * @param quantity the most units that may ever be issued under it
   * @param cooperativeApproach the cooperative approach the units are authorised under, if named
   */
  public record Authorisation(String id, LocalDate date, String purpose, long quantity, String cooperativeApproach) {}
}
