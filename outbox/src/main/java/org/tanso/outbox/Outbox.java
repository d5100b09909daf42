package org.tanso.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.tanso.events.EventType;

/**
 * Appends an event to the outbox inside the caller's transaction, which must exist: the event is
 * committed with the change it describes, or rolled back with it.
 */
@ApplicationScoped
public class Outbox {

  private final EntityManager em;
  private final ObjectMapper mapper;

  Outbox(EntityManager em, ObjectMapper mapper) {
    this.em = em;
    this.mapper = mapper;
  }

  /**
   * @param aggregateType what the key names, e.g. {@code account}
   * @param aggregateId the Kafka record key: events with the same key keep their order
   * @param subject the CloudEvents subject
   * @return the event id ({@code ce_id})
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public UUID append(String aggregateType, String aggregateId, EventType type, String subject, Object payload) {
    UUID eventId = UUID.randomUUID();
    String json;
    try {
      json = mapper.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("event payload cannot be serialised", e);
    }
    em.createNativeQuery(
            "INSERT INTO outbox_event (event_id, aggregatetype, aggregateid, type, subject, payload, occurred_at)"
                + " VALUES (?1, ?2, ?3, ?4, ?5, CAST(?6 AS json), ?7)")
        .setParameter(1, eventId)
        .setParameter(2, aggregateType)
        .setParameter(3, aggregateId)
        .setParameter(4, type.toString())
        .setParameter(5, subject)
        .setParameter(6, json)
        .setParameter(7, Instant.now().truncatedTo(ChronoUnit.MICROS))
        .executeUpdate();
    return eventId;
  }
}
