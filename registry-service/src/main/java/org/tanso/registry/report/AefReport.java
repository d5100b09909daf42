package org.tanso.registry.report;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A party's annual Article 6.2 information in the tables of the Agreed Electronic Format (6/CMA.4):
 * the submission heading, authorisations, actions and holdings, for the units of this registry.
 * Mitigation-contribution units are no ITMOs and appear nowhere. Field names follow the AEF
 * columns; a column the registry cannot know is null (empty in CSV and XLSX).
 */
public record AefReport(
    Submission submission,
    List<Authorisation> authorisations,
    List<Action> actions,
    List<Holding> holdings,
    List<Total> totals) {

  /**
   * @param holdingsAsOf the moment the holdings table describes: when the report was generated. The
   *     registry keeps no history of holdings, so for a year that is over they are today's, not
   *     those of the end of that year
   */
  public record Submission(
      String party,
      int reportedYear,
      String registry,
      String registryName,
      Instant generatedAt,
      Instant holdingsAsOf) {}

  public record Authorisation(
      String authorisationId,
      LocalDate authorisationDate,
      String authorisingParty,
      String cooperativeApproach,
      Long authorisedQuantity,
      String metric,
      String sectors,
      String activityTypes,
      String purposes,
      String firstTransferDefinition,
      long issuedQuantity) {}

  /**
   * One action on one serial range.
   *
   * @param recordId the registry record it reports: a transaction id, an issuance's unit id
   * @param firstUniqueIdentifier the ITMO unique identifier of the first unit, elements (a)–(e)
   * @param underlyingUnitRegistry the registry of the units the ITMOs are (JCM, Article 6.4)
   */
  public record Action(
      LocalDate actionDate,
      String actionType,
      String actionSubtype,
      String recordId,
      String cooperativeApproach,
      String authorisationId,
      String firstTransferringParty,
      String itmoRegistry,
      String firstUniqueIdentifier,
      String lastUniqueIdentifier,
      String underlyingUnitRegistry,
      String firstUnitId,
      String lastUnitId,
      String metric,
      long quantity,
      int vintage,
      String sector,
      String activityType,
      String transferringParty,
      String acquiringParty,
      String purposes,
      String firstTransferDefinition,
      String usingParty) {}

  public record Holding(
      String account,
      String state,
      String cooperativeApproach,
      String authorisationId,
      String firstTransferringParty,
      String firstUniqueIdentifier,
      String lastUniqueIdentifier,
      String firstUnitId,
      String lastUnitId,
      String metric,
      long quantity,
      int vintage,
      String sector,
      String activityType,
      String purposes,
      String correspondingAdjustment) {}

  /** Per action type and subtype: how many rows and how many tCO2e. */
  public record Total(String actionType, String actionSubtype, long rows, long quantity) {}
}
