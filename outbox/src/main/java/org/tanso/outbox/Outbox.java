package org.tanso.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import javax.sql.DataSource;
import org.tanso.events.EventType;
import org.tanso.events.TraceContext;

/**
 * Appends an event to the outbox inside the caller's transaction, which must exist: the event is
 * committed with the change it describes, or rolled back with it. Plain JDBC on the transaction's
 * connection (the same one the ORM uses inside that transaction). The current trace context is
 * stored with the event, so the trace continues when the event is published and consumed.
 */
@ApplicationScoped
public class Outbox {

  private final DataSource dataSource;
  private final ObjectMapper mapper;

  Outbox(DataSource dataSource, ObjectMapper mapper) {
    this.dataSource = dataSource;
    this.mapper = mapper;
  }

  /**
   * @param aggregateType what the key names, e.g. {@code account}
   * @param aggregateId the Kafka record key: events with the same key keep their order
   * @param subject the CloudEvents subject
   * @return the event id ({@code ce_id})
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public UUID append(
      String aggregateType, String aggregateId, EventType type, String subject, Object payload) {
    return appendTo(null, aggregateType, aggregateId, type, subject, payload);
  }

  /**
   * As {@link #append}, to topic {@code destination} instead of the relay channel's own topic
   * (null: the channel's): a message to another system that must leave if and only if the change
   * commits.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public UUID appendTo(
      String destination,
      String aggregateType,
      String aggregateId,
      EventType type,
      String subject,
      Object payload) {
    UUID eventId = UUID.randomUUID();
    String json;
    try {
      json = mapper.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("event payload cannot be serialised", e);
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO outbox_event (event_id, aggregatetype, aggregateid, type, subject, payload, occurred_at, traceparent, destination)"
                    + " VALUES (?, ?, ?, ?, ?, CAST(? AS json), ?, ?, ?)")) {
      s.setObject(1, eventId);
      s.setString(2, aggregateType);
      s.setString(3, aggregateId);
      s.setString(4, type.toString());
      s.setString(5, subject);
      s.setString(6, json);
      s.setTimestamp(7, Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MICROS)));
      s.setString(8, TraceContext.current());
      s.setString(9, destination);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("appending " + type + " to the outbox failed", e);
    }
    return eventId;
  }
}
