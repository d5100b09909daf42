package org.tanso.registry.unit;

import static org.tanso.outbox.ConsumedRecords.header;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.tanso.events.CloudEventHeaders;
import org.tanso.events.EventType;
import org.tanso.events.issuance.IssuanceApproved;
import org.tanso.outbox.ConsumedRecords;
import org.tanso.outbox.Redelivery;

/**
 * Reads {@code tanso.issuance.events}; mints on {@code IssuanceApproved} and ignores the other
 * types. A record without a usable event id or payload cannot be processed and goes to the
 * dead-letter topic (the channel's failure strategy) instead of blocking the partition.
 */
@ApplicationScoped
public class IssuanceEventsConsumer {

  static final String APPROVED = EventType.issuance("IssuanceApproved").toString();

  private final MintingService minting;
  private final ObjectMapper mapper;
  private final Tracer tracer;

  IssuanceEventsConsumer(MintingService minting, ObjectMapper mapper, Tracer tracer) {
    this.tracer = tracer;
    this.minting = minting;
    this.mapper = mapper;
  }

  @Incoming("issuance-events")
  @Blocking(ordered = true)
  public void consume(ConsumerRecord<String, String> record) throws Exception {
    ConsumedRecords.inTrace(tracer, record, () -> process(record));
  }

  private void process(ConsumerRecord<String, String> record) throws Exception {
    String type = header(record, CloudEventHeaders.TYPE);
    if (!APPROVED.equals(type)) {
      return;
    }
    String id = header(record, CloudEventHeaders.ID);
    if (id == null) {
      throw new IllegalArgumentException(
          "IssuanceApproved without ce_id at offset " + record.offset());
    }
    UUID eventId = UUID.fromString(id);
    IssuanceApproved approved = mapper.readValue(record.value(), IssuanceApproved.class);
    Redelivery.apply(
        type + " " + eventId,
        () -> minting.onApproved(eventId, type, approved),
        Redelivery.DEFAULT_PATIENCE);
  }
}
