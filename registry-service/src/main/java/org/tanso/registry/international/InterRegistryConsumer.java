package org.tanso.registry.international;

import static org.tanso.outbox.ConsumedRecords.header;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.tanso.events.CloudEventHeaders;
import org.tanso.events.EventType;
import org.tanso.events.interregistry.TransferAnswered;
import org.tanso.events.interregistry.TransferCompleted;
import org.tanso.events.interregistry.TransferProposed;
import org.tanso.events.interregistry.TransferTerminated;
import org.tanso.outbox.ConsumedRecords;
import org.tanso.outbox.Inbox;
import org.tanso.outbox.Redelivery;
import org.tanso.registry.directory.RegistryIdentity;

/**
 * Reads this registry's own topic {@code tanso.interregistry.<id>}. A message is acted on only if
 * it is addressed to this registry, comes from a registry in its directory and concerns a transfer
 * the two really share; anything else (also an unknown type or an unreadable payload) goes to the
 * dead-letter topic and the log, and changes nothing. Each message id takes effect once (inbox), so
 * redelivered and duplicated messages are harmless.
 */
@ApplicationScoped
public class InterRegistryConsumer {

  static final String CONSUMER = "interregistry";

  static final String PROPOSED = EventType.interRegistry("TransferProposed").toString();
  static final String ANSWERED = EventType.interRegistry("TransferAnswered").toString();
  static final String COMPLETED = EventType.interRegistry("TransferCompleted").toString();
  static final String TERMINATED = EventType.interRegistry("TransferTerminated").toString();

  /** A message this registry must not act on; the channel dead-letters it. */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message);
    }
  }

  private final OutgoingTransfers outgoing;
  private final IncomingTransfers incoming;
  private final Inbox inbox;
  private final RegistryIdentity registry;
  private final ObjectMapper mapper;
  private final Tracer tracer;

  InterRegistryConsumer(
      OutgoingTransfers outgoing,
      IncomingTransfers incoming,
      Inbox inbox,
      RegistryIdentity registry,
      ObjectMapper mapper,
      Tracer tracer) {
    this.outgoing = outgoing;
    this.incoming = incoming;
    this.inbox = inbox;
    this.registry = registry;
    this.mapper = mapper;
    this.tracer = tracer;
  }

  @Incoming("interregistry-in")
  @Blocking(ordered = true)
  public void consume(ConsumerRecord<String, String> record) throws Exception {
    ConsumedRecords.inTrace(tracer, record, () -> process(record));
  }

  private void process(ConsumerRecord<String, String> record) throws Exception {
    String type = header(record, CloudEventHeaders.TYPE);
    String id = header(record, CloudEventHeaders.ID);
    try {
      if (id == null) {
        throw new Refused("message without ce_id");
      }
      UUID eventId = UUID.fromString(id);
      Message message = read(type, record.value());
      if (!registry.id().equals(message.to())) {
        throw new Refused(
            type
                + " "
                + eventId
                + " is addressed to "
                + message.to()
                + ", not to "
                + registry.id());
      }
      if (registry.directory().peer(message.from()).isEmpty()) {
        throw new Refused(
            type
                + " "
                + eventId
                + " comes from "
                + message.from()
                + ", which is not in this registry's directory");
      }
      UUID.fromString(message.transferId());
      AtomicReference<Handled> handled = new AtomicReference<>();
      Redelivery.apply(
          type + " " + eventId,
          () ->
              handled.set(
                  QuarkusTransaction.requiringNew()
                      .call(
                          () -> {
                            if (!inbox.firstDelivery(eventId, CONSUMER, type)) {
                              return Handled.ignored("message " + eventId + " was handled before");
                            }
                            return message.handle();
                          })),
          Redelivery.DEFAULT_PATIENCE);
      if (handled.get().kind() == Handled.Kind.REFUSED) {
        throw new Refused(type + " " + eventId + ": " + handled.get().detail());
      }
      Log.debugf("%s %s: %s", type, eventId, handled.get().detail());
    } catch (Refused refused) {
      Log.errorf(
          "refused a message on %s (offset %d), dead-lettering it: %s",
          record.topic(), record.offset(), refused.getMessage());
      throw refused;
    } catch (IllegalArgumentException | com.fasterxml.jackson.core.JacksonException e) {
      Log.errorf(
          "unreadable message on %s (offset %d), dead-lettering it: %s",
          record.topic(), record.offset(), e.toString());
      throw new Refused("unreadable: " + e.getMessage());
    }
  }

  /** A parsed message: who sent it to whom, about which transfer, and what handling it does. */
  private record Message(
      String from, String to, String transferId, java.util.function.Supplier<Handled> action) {
    Handled handle() {
      return action.get();
    }
  }

  private Message read(String type, String json) throws Exception {
    if (PROPOSED.equals(type)) {
      TransferProposed m = mapper.readValue(json, TransferProposed.class);
      return new Message(
          m.fromRegistry(), m.toRegistry(), m.transferId(), () -> incoming.onProposed(m));
    }
    if (ANSWERED.equals(type)) {
      TransferAnswered m = mapper.readValue(json, TransferAnswered.class);
      return new Message(
          m.fromRegistry(), m.toRegistry(), m.transferId(), () -> outgoing.onAnswer(m));
    }
    if (COMPLETED.equals(type)) {
      TransferCompleted m = mapper.readValue(json, TransferCompleted.class);
      return new Message(
          m.fromRegistry(), m.toRegistry(), m.transferId(), () -> incoming.onCompleted(m));
    }
    if (TERMINATED.equals(type)) {
      TransferTerminated m = mapper.readValue(json, TransferTerminated.class);
      return new Message(
          m.fromRegistry(), m.toRegistry(), m.transferId(), () -> incoming.onTerminated(m));
    }
    throw new Refused("unknown message type " + type);
  }
}
