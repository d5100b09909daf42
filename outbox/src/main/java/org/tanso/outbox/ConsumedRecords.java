package org.tanso.outbox;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Reading the CloudEvents attributes of a consumed record. */
public final class ConsumedRecords {

  private ConsumedRecords() {}

  /** The last value of header {@code name} as UTF-8 text, or null. */
  public static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
