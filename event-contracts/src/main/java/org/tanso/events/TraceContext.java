package org.tanso.events;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The trace an event belongs to, carried as a W3C {@code traceparent} value: taken from the current
 * span when the event is written to the outbox, sent as the Kafka header {@link
 * CloudEventHeaders#TRACEPARENT}, and continued by every consumer. Without a valid current span
 * (tracing off) there is nothing to carry and every method here degrades to no context.
 */
public final class TraceContext {

  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

  private static final TextMapGetter<String> SINGLE =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
          return List.of(CloudEventHeaders.TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
          return CloudEventHeaders.TRACEPARENT.equals(key) ? carrier : null;
        }
      };

  private TraceContext() {}

  /** The current span's context as a {@code traceparent} value, or null when no span is current. */
  public static String current() {
    return of(Context.current());
  }

  /** The span's context as a {@code traceparent} value, or null when it is not valid. */
  public static String of(Span span) {
    return of(Context.root().with(span));
  }

  private static String of(Context context) {
    Map<String, String> carrier = new HashMap<>(2);
    W3C.inject(context, carrier, Map::put);
    return carrier.get(CloudEventHeaders.TRACEPARENT);
  }

  /**
   * The context a {@code traceparent} value names; the root context when it is null or malformed.
   */
  public static Context parent(String traceparent) {
    if (traceparent == null || traceparent.isBlank()) {
      return Context.root();
    }
    return W3C.extract(Context.root(), traceparent, SINGLE);
  }

  /** Marks the span failed by {@code failure}; the caller still ends it. */
  public static void recordFailure(Span span, Throwable failure) {
    span.recordException(failure);
    span.setStatus(StatusCode.ERROR);
  }

  /**
   * Starts the {@code "<topic> process"} span of a consumed event, a child of the trace its {@code
   * traceparent} header names; {@code header} reads a header of the record (null when absent). The
   * caller ends the span.
   */
  public static Span startProcessSpan(Tracer tracer, String topic, UnaryOperator<String> header) {
    return startMessagingSpan(
        tracer,
        SpanKind.CONSUMER,
        topic,
        header.apply(CloudEventHeaders.ID),
        header.apply(CloudEventHeaders.TYPE),
        header.apply(CloudEventHeaders.TRACEPARENT));
  }

  /**
   * Starts a messaging span ({@code "<topic> publish"} or {@code "<topic> process"}) as a child of
   * the context {@code traceparent} names; the caller ends it.
   */
  public static Span startMessagingSpan(
      Tracer tracer,
      SpanKind kind,
      String topic,
      String eventId,
      String eventType,
      String traceparent) {
    boolean producing = kind == SpanKind.PRODUCER;
    return tracer
        .spanBuilder(topic + (producing ? " publish" : " process"))
        .setSpanKind(kind)
        .setParent(parent(traceparent))
        .setAttribute("messaging.system", "kafka")
        .setAttribute("messaging.destination.name", topic)
        .setAttribute("messaging.operation.type", producing ? "send" : "process")
        .setAttribute("messaging.message.id", eventId == null ? "" : eventId)
        .setAttribute("cloudevents.event_type", eventType == null ? "" : eventType)
        .startSpan();
  }
}
