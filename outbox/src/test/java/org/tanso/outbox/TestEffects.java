package org.tanso.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.UUID;

/**
 * A consumer's use case as the services write it: the inbox first, then the effect, in one
 * transaction.
 */
@ApplicationScoped
public class TestEffects {

  static final String CONSUMER = "outbox-test";

  private final Inbox inbox;
  private final EntityManager em;

  TestEffects(Inbox inbox, EntityManager em) {
    this.inbox = inbox;
    this.em = em;
  }

  @Transactional
  public void apply(UUID eventId, String type, String payload) {
    if (!inbox.firstDelivery(eventId, CONSUMER, type)) {
      return;
    }
    em.persist(new TestEffect(eventId, payload));
  }
}
