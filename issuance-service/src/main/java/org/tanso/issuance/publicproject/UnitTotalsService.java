package org.tanso.issuance.publicproject;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.tanso.issuance.publicproject.domain.UnitCounts;
import org.tanso.issuance.request.IssuanceRequestService;
import org.tanso.outbox.Inbox;

/**
 * Keeps the public counters of each issued unit id: issued and cancelled at issuance when
 * registry-service has minted, retired and cancelled as registry-service moves units. Each event
 * counts once: in the transaction that records it in the inbox.
 */
@ApplicationScoped
public class UnitTotalsService {

  private final EntityManager em;
  private final Inbox inbox;

  UnitTotalsService(EntityManager em, Inbox inbox) {
    this.em = em;
    this.inbox = inbox;
  }

  /**
   * A minted issuance of {@code project} and {@code vintage}; part of the transaction that records
   * the request ISSUED.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void issued(
      String unitId,
      String project,
      int vintage,
      long quantity,
      List<UnitCounts.Range> minted,
      Instant issuedAt) {
    em.createNativeQuery(
            """
            INSERT INTO unit_totals (unit_id, project_id, vintage, issued, cancelled, issued_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (unit_id) DO UPDATE SET project_id = excluded.project_id,
                vintage = excluded.vintage, issued = unit_totals.issued + excluded.issued,
                cancelled = unit_totals.cancelled + excluded.cancelled,
                issued_at = excluded.issued_at""")
        .setParameter(1, unitId)
        .setParameter(2, project)
        .setParameter(3, vintage)
        .setParameter(4, quantity)
        .setParameter(5, UnitCounts.cancelledAtIssuance(minted))
        .setParameter(6, Timestamp.from(issuedAt))
        .executeUpdate();
  }

  /** CreditsRetired: the retired ranges. */
  @Transactional
  public void onRetired(UUID eventId, String type, List<UnitCounts.Range> retired) {
    if (inbox.firstDelivery(eventId, IssuanceRequestService.CONSUMER, type)) {
      add("retired", UnitCounts.perUnit(retired));
    }
  }

  /** CreditsCancelled: the cancelled ranges. */
  @Transactional
  public void onCancelled(UUID eventId, String type, List<UnitCounts.Range> cancelled) {
    if (inbox.firstDelivery(eventId, IssuanceRequestService.CONSUMER, type)) {
      add("cancelled", UnitCounts.perUnit(cancelled));
    }
  }

  // Counters are taken in unit id order, so two events over the same unit ids cannot deadlock.
  // Unit ids not (yet) issued here get a row too: their CreditsIssued may still be on its way.
  private void add(String column, Map<String, Long> perUnit) {
    perUnit.forEach(
        (unitId, quantity) ->
            em.createNativeQuery(
                    "INSERT INTO unit_totals (unit_id, "
                        + column
                        + ") VALUES (?1, ?2) ON CONFLICT (unit_id) DO UPDATE SET "
                        + column
                        + " = unit_totals."
                        + column
                        + " + excluded."
                        + column)
                .setParameter(1, unitId)
                .setParameter(2, quantity)
                .executeUpdate());
  }
}
