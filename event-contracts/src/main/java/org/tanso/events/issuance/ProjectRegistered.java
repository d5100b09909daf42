package org.tanso.events.issuance;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A registry administrator registered a project. Key: the project id.
 *
 * @param mechanism {@code JCM} or {@code A6_4}
 * @param authorisation the Article 6 authorisation, or null (mitigation contribution units)
 */
public record ProjectRegistered(
    String id,
    String title,
    String mechanism,
    String hostParty,
    String partnerParty,
    String methodology,
    String sectoralScope,
    List<String> participants,
    IssuanceApproved.Authorisation authorisation,
    List<Allocation> allocation,
    String registeredBy,
    Instant registeredAt) {

  /** One row of the allocation table. */
  public record Allocation(String account, BigDecimal percent) {}
}
