package org.tanso.audit.log;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.tanso.events.CloudEventHeaders;

/**
 * Appends every record of both event topics and their dead-letter topics to the log, whatever its
 * content: a record the other services could not process is recorded too. A record without a
 * usable {@code ce_id} gets a name-based id from its topic, partition and offset, so its
 * redelivery is still recognised. The log never skips a record: when appending fails (the
 * database is away) it retries until it succeeds, holding the partition back meanwhile.
 */
@ApplicationScoped
public class AuditIngest {

  private final AuditLog log;

  AuditIngest(AuditLog log) {
    this.log = log;
  }

  @Incoming("audit-in")
  @Blocking
  public void consume(ConsumerRecord<String, String> record) throws InterruptedException {
    UUID eventId = eventId(record);
    String type = orElse(header(record, CloudEventHeaders.TYPE), "unknown");
    String subject = orElse(header(record, CloudEventHeaders.SUBJECT), orElse(record.key(), "unknown"));
    String occurredAt = header(record, CloudEventHeaders.TIME);
    String payload = record.value() == null ? "null" : record.value();
    long backoff = 100;
    while (true) {
      try {
        Optional<Long> seq = log.append(eventId, clip(type, 200), clip(subject, 300), clip(occurredAt, 64), payload);
        if (seq.isEmpty()) {
          Log.debugf("event %s from %s already in the log", eventId, record.topic());
        }
        return;
      } catch (Exception e) {
        Log.warnf("appending %s from %s-%d@%d failed, retrying in %d ms: %s", eventId, record.topic(), record.partition(), record.offset(), backoff, e.toString());
        Thread.sleep(backoff);
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  }

  /** Publishes a checkpoint when entries arrived since the last one, at least every configured interval. */
  @Scheduled(every = "${tanso.audit.checkpoint.interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, delayed = "5s")
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
    return UUID.nameUUIDFromBytes((record.topic() + "/" + record.partition() + "/" + record.offset() + "/" + id).getBytes(StandardCharsets.UTF_8));
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static String orElse(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }

  private static String clip(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }
}
