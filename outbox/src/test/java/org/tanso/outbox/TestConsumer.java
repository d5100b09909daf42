package org.tanso.outbox;

import static org.tanso.outbox.ConsumedRecords.header;

import io.opentelemetry.api.trace.Tracer;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.tanso.events.CloudEventHeaders;

/**
 * Consumes tanso.issuance.events the way the services consume: in the record's trace, through
 * Redelivery, inbox first.
 */
@ApplicationScoped
public class TestConsumer {

  private final TestEffects effects;
  private final Tracer tracer;
  private final Duration patience;

  TestConsumer(
      TestEffects effects,
      Tracer tracer,
      @ConfigProperty(name = "tanso.test.redelivery-patience") Duration patience) {
    this.effects = effects;
    this.tracer = tracer;
    this.patience = patience;
  }

  @Incoming("test-in")
  @Blocking(ordered = true)
  public void consume(ConsumerRecord<String, String> record) throws Exception {
    ConsumedRecords.inTrace(
        tracer,
        record,
        () -> {
          UUID eventId = UUID.fromString(header(record, CloudEventHeaders.ID));
          String type = header(record, CloudEventHeaders.TYPE);
          Redelivery.apply(
              type + " " + eventId, () -> effects.apply(eventId, type, record.value()), patience);
        });
  }
}
