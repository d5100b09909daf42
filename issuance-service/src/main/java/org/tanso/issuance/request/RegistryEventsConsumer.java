package org.tanso.issuance.request;

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
import org.tanso.events.registry.CreditsIssued;
import org.tanso.events.registry.IssuanceFailed;
import org.tanso.outbox.ConsumedRecords;
import org.tanso.outbox.Redelivery;

/**
 * Reads registry-service's answers from {@code tanso.registry.events}: CreditsIssued and
 * IssuanceFailed close a request; every other type is skipped. A record without a usable event id
 * or payload goes to the dead-letter topic.
 */
@ApplicationScoped
public class RegistryEventsConsumer {

  static final String ISSUED = EventType.registry("CreditsIssued").toString();
  static final String FAILED = EventType.registry("IssuanceFailed").toString();

  private final IssuanceRequestService service;
  private final ObjectMapper mapper;
  private final Tracer tracer;

  RegistryEventsConsumer(IssuanceRequestService service, ObjectMapper mapper, Tracer tracer) {
    this.tracer = tracer;
    this.service = service;
    this.mapper = mapper;
  }

  @Incoming("registry-events")
  @Blocking
  public void consume(ConsumerRecord<String, String> record) throws Exception {
    ConsumedRecords.inTrace(tracer, record, () -> process(record));
  }

  private void process(ConsumerRecord<String, String> record) throws Exception {
    String type = header(record, CloudEventHeaders.TYPE);
    if (!ISSUED.equals(type) && !FAILED.equals(type)) {
      return;
    }
    String id = header(record, CloudEventHeaders.ID);
    if (id == null) {
      throw new IllegalArgumentException(type + " without ce_id at offset " + record.offset());
    }
    UUID eventId = UUID.fromString(id);
    Runnable apply =
        ISSUED.equals(type)
            ? bind(eventId, type, mapper.readValue(record.value(), CreditsIssued.class))
            : bind(eventId, type, mapper.readValue(record.value(), IssuanceFailed.class));
    Redelivery.apply(type + " " + eventId, apply, Redelivery.DEFAULT_PATIENCE);
  }

  private Runnable bind(UUID eventId, String type, CreditsIssued issued) {
    return () -> service.onCreditsIssued(eventId, type, issued);
  }

  private Runnable bind(UUID eventId, String type, IssuanceFailed failed) {
    return () -> service.onIssuanceFailed(eventId, type, failed);
  }
}
