package org.tanso.audit.log;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.tanso.events.CloudEventHeaders;
import org.tanso.events.TraceContext;

/**
 * Appends every record of both event topics and their dead-letter topics to the log, whatever its
 * content: a record the other services could not process is recorded too. A record without a usable
 * {@code ce_id} gets a name-based id from its topic, partition and offset (for a dead-letter copy,
 * the original's), so its redelivery and its dead-letter copy are still recognised. The log never
 * skips a record: when appending fails (the database is away) it retries until it succeeds, holding
 * the partition back meanwhile. Records arrive in polled batches and each batch is appended in one
 * transaction (one commit, batched inserts), in the order the consumer received them. Each record's
 * trace (its {@code traceparent} header) gets a {@code "<topic> process"} span that ends when the
 * record is in the log.
 */
@ApplicationScoped
public class AuditIngest {

  /**
   * Headers of the Kafka connector's dead-letter copies: the original record's topic, partition and
   * offset.
   */
  static final String DEAD_LETTER_TOPIC = "dead-letter-topic";

  static final String DEAD_LETTER_PARTITION = "dead-letter-partition";

  static final String DEAD_LETTER_OFFSET = "dead-letter-offset";

  private final AuditLog log;
  private final Tracer tracer;
  private final Counter appended;

  AuditIngest(AuditLog log, Tracer tracer, MeterRegistry meters) {
    this.log = log;
    this.tracer = tracer;
    this.appended =
        Counter.builder("tanso.audit.appended")
            .description("entries appended to the audit log")
            .register(meters);
  }

  @Incoming("audit-in")
  @Blocking
  public void consume(ConsumerRecords<String, String> records) throws InterruptedException {
    List<AuditLog.Event> events = new ArrayList<>(records.count());
    List<Span> spans = new ArrayList<>(records.count());
    for (ConsumerRecord<String, String> record : records) {
      spans.add(
          TraceContext.startProcessSpan(tracer, record.topic(), name -> header(record, name)));
      events.add(
          new AuditLog.Event(
              eventId(record),
              clip(orElse(header(record, CloudEventHeaders.TYPE), "unknown"), 200),
              clip(
                  orElse(
                      header(record, CloudEventHeaders.SUBJECT), orElse(record.key(), "unknown")),
                  300),
              clip(header(record, CloudEventHeaders.TIME), 64),
              record.value() == null ? "null" : record.value()));
    }
    long backoff = 100;
    try {
      while (true) {
        try {
          AuditLog.Appended batch = log.appendCounted(events);
          List<Optional<Long>> seqs = batch.seqs();
          for (int i = 0; i < spans.size(); i++) {
            Optional<Long> seq = seqs.get(i);
            spans
                .get(i)
                .setAttribute("tanso.audit.seq", seq.orElse(-1L))
                .setAttribute("tanso.audit.duplicate", seq.isEmpty());
          }
          long repeated = seqs.stream().filter(Optional::isEmpty).count();
          // the retirements' public records are entries too
          appended.increment(batch.entries());
          if (repeated > 0) {
            Log.debugf("%d of %d events already in the log", repeated, events.size());
          }
          return;
        } catch (Exception e) {
          Log.warnf(
              "appending %d records failed, retrying in %d ms: %s",
              events.size(), backoff, e.toString());
          Thread.sleep(backoff);
          backoff = Math.min(backoff * 2, 5_000);
        }
      }
    } finally {
      // in the log, or interrupted (shutting down) before it was: then the records come again
      spans.forEach(Span::end);
    }
  }

  /**
   * Appends the public record of every retirement logged before the log had them, once: they get
   * certificates too. A failure here (the database is away) leaves it to the first certificate
   * asked for.
   */
  void publishOlderRetirements(@Observes StartupEvent start) {
    try {
      long published = log.publishRetirementsIfMissing();
      appended.increment(published);
      if (published > 0) {
        Log.infof("appended the public records of %d retirements logged before", published);
      }
    } catch (Exception e) {
      Log.warnf("publishing the records of older retirements failed: %s", e.toString());
    }
  }

  /**
   * Publishes a checkpoint when entries arrived since the last one, at least every configured
   * interval.
   */
  @Scheduled(
      every = "${tanso.audit.checkpoint.interval:10s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      delayed = "5s")
  void periodicCheckpoint() {
    try {
      log.checkpointNow();
    } catch (Exception e) {
      Log.warnf("periodic checkpoint failed: %s", e.toString());
    }
  }

  static UUID eventId(ConsumerRecord<String, String> record) {
    String id = header(record, CloudEventHeaders.ID);
    if (id != null) {
      try {
        return UUID.fromString(id);
      } catch (IllegalArgumentException notAUuid) {
        // fall through to a name-based id
      }
    }
    return UUID.nameUUIDFromBytes((origin(record) + "/" + id).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Where a record was first written: its own topic, partition and offset, or, for a consumer's
   * dead-letter copy ({@code <topic>.dlq.<group>}), the original's, which the copy carries in its
   * {@code dead-letter-*} headers; so the copy of a record without an id is still the same record.
   */
  private static String origin(ConsumerRecord<String, String> record) {
    String topic = header(record, DEAD_LETTER_TOPIC);
    String partition = header(record, DEAD_LETTER_PARTITION);
    String offset = header(record, DEAD_LETTER_OFFSET);
    if (topic != null
        && partition != null
        && offset != null
        && record.topic().startsWith(topic + ".dlq.")) {
      return topic + "/" + partition + "/" + offset;
    }
    return record.topic() + "/" + record.partition() + "/" + record.offset();
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static String orElse(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }

  private static String clip(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }
}
