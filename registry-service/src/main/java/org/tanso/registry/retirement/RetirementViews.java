package org.tanso.registry.retirement;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.List;

/**
 * Retirements as lists show them. {@link Retirement} is what the public registry publishes: the
 * retirement and its serial ranges, never the account they left or its holder. {@link
 * HeldRetirement} adds the retiring account for authenticated callers allowed to see it.
 */
public final class RetirementViews {

  private RetirementViews() {}

  /**
   * A retirement record.
   *
   * @param id the public retirement id, {@code RET-{year}-{number}}
   * @param quantity units retired, the sum of the ranges' quantities
   * @param blocks the serial ranges retired, in the order they were taken
   */
  public record Retirement(
      String id,
      Instant retiredAt,
      String beneficiary,
      String purpose,
      String usingParty,
      long quantity,
      List<Range> blocks) {}

  /**
   * One retired serial range of one unit identifier.
   *
   * @param serial the block serial {@code {unitId}-{start}-{end}}
   * @param authorisationStatus {@code AUTHORISED} (Article 6 units) or {@code
   *     MITIGATION_CONTRIBUTION}
   * @param article6 the Article 6 identifiers of authorised units, absent for the others
   * @param correspondingAdjustment {@code NOT_APPLICABLE}, {@code PENDING} or {@code APPLIED}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Range(
      String serial,
      String unitId,
      long start,
      long end,
      long quantity,
      String project,
      int vintage,
      String authorisationStatus,
      Article6 article6,
      String correspondingAdjustment) {}

  /**
   * The Article 6 unique identifier elements of authorised units (decision 2/CMA.3), and the ITMO
   * identifiers of the first and last unit of the range.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Article6(
      String authorisationId,
      String authorisationPurpose,
      String cooperativeApproach,
      String originatingRegistry,
      String firstTransferringParty,
      String firstItmoIdentifier,
      String lastItmoIdentifier) {}

  /** A retirement with the account the units were retired from. */
  public record HeldRetirement(String account, @JsonUnwrapped Retirement retirement) {}
}
