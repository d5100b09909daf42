package org.tanso.issuance.request;

import static org.tanso.outbox.ConsumedRecords.header;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.tanso.events.CloudEventHeaders;
import org.tanso.events.EventType;
import org.tanso.events.registry.Block;
import org.tanso.events.registry.CreditsCancelled;
import org.tanso.events.registry.CreditsIssued;
import org.tanso.events.registry.CreditsRetired;
import org.tanso.events.registry.IssuanceFailed;
import org.tanso.issuance.publicproject.UnitTotalsService;
import org.tanso.issuance.publicproject.domain.UnitCounts;
import org.tanso.outbox.ConsumedRecords;
import org.tanso.outbox.Redelivery;

/**
 * Reads {@code tanso.registry.events}: CreditsIssued and IssuanceFailed close a request (and
 * CreditsIssued opens the public counters of its unit id); CreditsRetired and CreditsCancelled add
 * to the public retired and cancelled counters of the unit ids they name. Every other type is
 * skipped: units that leave for a peer registry are neither retired nor cancelled here. A record
 * without a usable event id or payload goes to the dead-letter topic.
 */
@ApplicationScoped
public class RegistryEventsConsumer {

  static final String ISSUED = EventType.registry("CreditsIssued").toString();
  static final String FAILED = EventType.registry("IssuanceFailed").toString();
  static final String RETIRED = EventType.registry("CreditsRetired").toString();
  static final String CANCELLED = EventType.registry("CreditsCancelled").toString();
  private static final Set<String> CONSUMED = Set.of(ISSUED, FAILED, RETIRED, CANCELLED);

  private final IssuanceRequestService service;
  private final UnitTotalsService totals;
  private final ObjectMapper mapper;
  private final Tracer tracer;

  RegistryEventsConsumer(
      IssuanceRequestService service,
      UnitTotalsService totals,
      ObjectMapper mapper,
      Tracer tracer) {
    this.tracer = tracer;
    this.service = service;
    this.totals = totals;
    this.mapper = mapper;
  }

  @Incoming("registry-events")
  @Blocking
  public void consume(ConsumerRecord<String, String> record) throws Exception {
    ConsumedRecords.inTrace(tracer, record, () -> process(record));
  }

  private void process(ConsumerRecord<String, String> record) throws Exception {
    String type = header(record, CloudEventHeaders.TYPE);
    if (type == null || !CONSUMED.contains(type)) {
      return;
    }
    String id = header(record, CloudEventHeaders.ID);
    if (id == null) {
      throw new IllegalArgumentException(type + " without ce_id at offset " + record.offset());
    }
    UUID eventId = UUID.fromString(id);
    // the payload is read and checked here: a record that cannot be applied goes to the dead-letter
    // topic at once instead of being retried
    Runnable apply;
    if (ISSUED.equals(type)) {
      CreditsIssued issued = read(record, CreditsIssued.class);
      List<UnitCounts.Range> minted = ranges(issued.blocks());
      apply = () -> service.onCreditsIssued(eventId, type, issued, minted);
    } else if (RETIRED.equals(type)) {
      List<UnitCounts.Range> retired = ranges(read(record, CreditsRetired.class).blocks());
      apply = () -> totals.onRetired(eventId, type, retired);
    } else if (CANCELLED.equals(type)) {
      List<UnitCounts.Range> cancelled = ranges(read(record, CreditsCancelled.class).blocks());
      apply = () -> totals.onCancelled(eventId, type, cancelled);
    } else {
      IssuanceFailed failed = read(record, IssuanceFailed.class);
      apply = () -> service.onIssuanceFailed(eventId, type, failed);
    }
    Redelivery.apply(type + " " + eventId, apply, Redelivery.DEFAULT_PATIENCE);
  }

  private static List<UnitCounts.Range> ranges(List<Block> blocks) {
    if (blocks == null) {
      throw new IllegalArgumentException("an event without blocks");
    }
    return blocks.stream()
        .map(b -> new UnitCounts.Range(b.unitId(), b.start(), b.end(), b.state()))
        .toList();
  }

  // v1 payloads only gain fields: one this service does not know yet is ignored, not poison
  private <T> T read(ConsumerRecord<String, String> record, Class<T> type) throws Exception {
    return mapper
        .readerFor(type)
        .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .readValue(record.value());
  }
}
