package org.tanso.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.tanso.events.CloudEventHeaders;
import org.tanso.events.TraceContext;

/**
 * Publishes committed outbox rows to Kafka on channel {@code tanso-outbox}, in id order, as
 * CloudEvents in binary mode keyed by the aggregate id, and marks them published only after the
 * broker acknowledged every record of the batch (acks=all is the channel's configuration). One
 * relay at a time per database holds a transaction-scoped advisory lock, so several service
 * instances never reorder events. A failed batch is rolled back and sent again: consumers
 * deduplicate by event id. Each record carries the trace of the change it describes: the relay's
 * publish span is a child of the context stored with the row, and its own context goes out as the
 * {@code traceparent} header. A row with a {@code destination} goes to that topic instead of the
 * channel's (messages to another registry), in the same order as every other row.
 */
@ApplicationScoped
public class OutboxRelay {

  /** Advisory lock key of the relay leader ("outbox" in ASCII). */
  private static final long LEADER_LOCK = 0x6f7574626f78L;

  private final EntityManager em;
  private final Emitter<String> emitter;
  private final String source;
  private final Duration pollInterval;
  private final int batchSize;
  private final Duration ackTimeout;
  private final boolean enabled;
  private final Tracer tracer;
  private final String topic;
  private final Counter published;
  private volatile boolean running;
  private Thread worker;

  @Inject
  OutboxRelay(
      EntityManager em,
      @Channel("tanso-outbox") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
          Emitter<String> emitter,
      @ConfigProperty(name = "tanso.outbox.source") String source,
      @ConfigProperty(name = "tanso.outbox.poll-interval", defaultValue = "PT0.05S")
          Duration pollInterval,
      @ConfigProperty(name = "tanso.outbox.batch-size", defaultValue = "500") int batchSize,
      @ConfigProperty(name = "tanso.outbox.ack-timeout", defaultValue = "PT40S")
          Duration ackTimeout,
      @ConfigProperty(name = "tanso.outbox.enabled", defaultValue = "true") boolean enabled,
      @ConfigProperty(name = "mp.messaging.outgoing.tanso-outbox.topic") String topic,
      Tracer tracer,
      MeterRegistry meters) {
    this.em = em;
    this.emitter = emitter;
    this.source = source;
    this.pollInterval = pollInterval;
    this.batchSize = batchSize;
    this.ackTimeout = ackTimeout;
    this.enabled = enabled;
    this.topic = topic;
    this.tracer = tracer;
    this.published =
        Counter.builder("tanso.outbox.published")
            .description("events the relay published and the broker acknowledged")
            .register(meters);
  }

  void start(@Observes StartupEvent event) {
    if (!enabled) {
      Log.warn("outbox relay disabled (tanso.outbox.enabled=false): events stay in the outbox");
      return;
    }
    running = true;
    Log.infof(
        "outbox relay started (source %s, poll every %d ms, batches of %d)",
        source, pollInterval.toMillis(), batchSize);
    worker = new Thread(this::loop, "outbox-relay");
    worker.setDaemon(true);
    worker.start();
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    running = false;
    if (worker != null) {
      worker.interrupt();
      worker.join(TimeUnit.SECONDS.toMillis(5));
    }
  }

  private void loop() {
    Duration backoff = Duration.ofMillis(200);
    while (running) {
      try {
        int published = relayBatch();
        backoff = Duration.ofMillis(200);
        if (published == 0) {
          Thread.sleep(pollInterval.toMillis());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException | Error e) {
        if (!running) {
          return;
        }
        Log.warnf(
            "outbox relay: batch not published, will retry in %d ms: %s",
            backoff.toMillis(), e.toString());
        try {
          Thread.sleep(backoff.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff =
            backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0
                ? Duration.ofSeconds(5)
                : backoff.multipliedBy(2);
      }
    }
  }

  /** Publishes one batch; returns how many events it published (0 when idle or not the leader). */
  public int relayBatch() {
    int count =
        QuarkusTransaction.requiringNew()
            .timeout((int) ackTimeout.toSeconds() + 20)
            .call(
                () -> {
                  Object leader =
                      em.createNativeQuery("SELECT pg_try_advisory_xact_lock(" + LEADER_LOCK + ")")
                          .getSingleResult();
                  if (!Boolean.TRUE.equals(leader)) {
                    return 0;
                  }
                  @SuppressWarnings("unchecked")
                  List<Object[]> rows =
                      em.createNativeQuery(
                              "SELECT id, CAST(event_id AS text), aggregateid, type, subject, CAST(payload AS text), occurred_at, traceparent, destination"
                                  + " FROM outbox_event WHERE published_at IS NULL ORDER BY id LIMIT "
                                  + batchSize)
                          .getResultList();
                  if (rows.isEmpty()) {
                    return 0;
                  }
                  List<CompletableFuture<Void>> acks = new ArrayList<>(rows.size());
                  List<Long> ids = new ArrayList<>(rows.size());
                  for (Object[] row : rows) {
                    ids.add(((Number) row[0]).longValue());
                    acks.add(send(row));
                  }
                  CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                      .get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
                  em.createNativeQuery(
                          "UPDATE outbox_event SET published_at = now() WHERE id IN (:ids)")
                      .setParameter("ids", ids)
                      .executeUpdate();
                  return rows.size();
                });
    published.increment(count);
    return count;
  }

  private CompletableFuture<Void> send(Object[] row) {
    String eventId = (String) row[1];
    String key = (String) row[2];
    RecordHeaders headers = new RecordHeaders();
    header(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
    header(headers, CloudEventHeaders.ID, eventId);
    header(headers, CloudEventHeaders.TYPE, (String) row[3]);
    header(headers, CloudEventHeaders.SOURCE, source);
    header(headers, CloudEventHeaders.TIME, DateTimeFormatter.ISO_INSTANT.format(instant(row[6])));
    header(headers, CloudEventHeaders.SUBJECT, (String) row[4]);
    header(headers, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
    String destination = row[8] == null ? topic : (String) row[8];
    Span span =
        TraceContext.startMessagingSpan(
            tracer, SpanKind.PRODUCER, destination, eventId, (String) row[3], (String) row[7]);
    String traceparent = TraceContext.of(span);
    if (traceparent != null) {
      header(headers, CloudEventHeaders.TRACEPARENT, traceparent);
    }
    CompletableFuture<Void> ack = new CompletableFuture<>();
    Message<String> message =
        Message.of((String) row[5])
            .addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(key)
                    .withTopic(destination)
                    .withHeaders(headers)
                    .build())
            .withAck(
                () -> {
                  span.end();
                  ack.complete(null);
                  return CompletableFuture.completedFuture(null);
                })
            .withNack(
                failure -> {
                  TraceContext.recordFailure(span, failure);
                  span.end();
                  ack.completeExceptionally(failure);
                  return CompletableFuture.completedFuture(null);
                });
    try {
      emitter.send(message);
    } catch (RuntimeException e) {
      TraceContext.recordFailure(span, e);
      span.end();
      throw e;
    }
    return ack;
  }

  private static void header(RecordHeaders headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  private static Instant instant(Object value) {
    if (value instanceof Instant instant) {
      return instant;
    }
    if (value instanceof OffsetDateTime odt) {
      return odt.toInstant();
    }
    if (value instanceof Timestamp ts) {
      return ts.toInstant();
    }
    if (value instanceof java.time.LocalDateTime ldt) {
      return ldt.toInstant(ZoneOffset.UTC);
    }
    throw new IllegalStateException("unexpected timestamp type " + value.getClass());
  }
}
