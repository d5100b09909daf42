package org.tanso.issuance.publicproject;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.tanso.issuance.project.ProjectViews.Mechanism;
import org.tanso.issuance.project.domain.Article6Authorisation.FirstTransferDefinition;
import org.tanso.issuance.project.domain.Article6Authorisation.Purpose;

/**
 * What anyone may read of a project: what a public registry publishes and nothing that is behind a
 * role (no participants, no allocation accounts, no holder accounts of blocks, no request
 * workflow).
 */
public final class PublicProjectViews {

  private PublicProjectViews() {}

  /** The host party's Article 6 authorisation as the AEF publishes it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Authorisation(
      String id,
      LocalDate date,
      List<Purpose> purposes,
      FirstTransferDefinition firstTransferDefinition,
      long quantity,
      String cooperativeApproach) {}

  /**
   * Units issued under a project (or one vintage of it), and how many left as retired or cancelled.
   */
  public record Quantities(long issued, long retired, long cancelled) {}

  public record Vintage(int vintage, long issued, long retired, long cancelled) {}

  /** {@code authorisation} is null for mitigation-contribution units (no authorisation). */
  public record Project(
      String id,
      String title,
      Mechanism mechanism,
      String hostParty,
      String partnerParty,
      String methodology,
      String sectoralScope,
      Authorisation authorisation,
      Instant registeredAt,
      Quantities totals,
      List<Vintage> vintages) {}

  public record Period(LocalDate start, LocalDate end) {}

  public record VerificationReport(String reference, String sha256) {}

  /** A minted serial range; {@code stateAtIssuance} is CANCELLED for the OMGE cancellation. */
  public record Block(String serial, long start, long end, long quantity, String stateAtIssuance) {}

  public record Issuance(
      String unitId,
      int vintage,
      Period monitoringPeriod,
      long quantity,
      long retired,
      long cancelled,
      Instant issuedAt,
      VerificationReport verificationReport,
      List<Block> blocks) {}

  public record ProjectDetail(@JsonUnwrapped Project project, List<Issuance> issuances) {}
}
