package org.tanso.outbox;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.tanso.events.TraceContext;

/** Reading the CloudEvents attributes of a consumed record, and processing it in its trace. */
public final class ConsumedRecords {

  /** Work on a consumed record. */
  @FunctionalInterface
  public interface Work {
    void run() throws Exception;
  }

  private ConsumedRecords() {}

  /** The last value of header {@code name} as UTF-8 text, or null. */
  public static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  /**
   * Runs {@code work} in a {@code "<topic> process"} span that continues the record's trace (its
   * {@code traceparent} header) and is current meanwhile, so events written to the outbox by the
   * work carry the same trace on.
   */
  public static void inTrace(Tracer tracer, ConsumerRecord<?, ?> record, Work work)
      throws Exception {
    Span span = TraceContext.startProcessSpan(tracer, record.topic(), name -> header(record, name));
    try (Scope ignored = span.makeCurrent()) {
      work.run();
    } catch (Exception | Error e) {
      TraceContext.recordFailure(span, e);
      throw e;
    } finally {
      span.end();
    }
  }
}
