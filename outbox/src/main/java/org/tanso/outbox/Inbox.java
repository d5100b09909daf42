package org.tanso.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.UUID;

/**
 * Remembers which events a consumer has processed, in the consumer's transaction: a redelivered
 * event is recognised and skipped, so at-least-once delivery has exactly-once effect.
 */
@ApplicationScoped
public class Inbox {

  private final EntityManager em;

  Inbox(EntityManager em) {
    this.em = em;
  }

  /** True the first time {@code consumer} sees {@code eventId}; false for every redelivery. */
  @Transactional(Transactional.TxType.MANDATORY)
  public boolean firstDelivery(UUID eventId, String consumer, String type) {
    return em.createNativeQuery(
                "INSERT INTO inbox_event (event_id, consumer, type) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING")
            .setParameter(1, eventId)
            .setParameter(2, consumer)
            .setParameter(3, type == null ? "unknown" : type)
            .executeUpdate()
        == 1;
  }
}
