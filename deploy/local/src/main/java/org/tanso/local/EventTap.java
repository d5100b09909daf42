package org.tanso.local;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.tanso.events.CloudEventHeaders;
import org.tanso.events.Topics;

/**
 * Follows both event topics from their current end, as a market operator's consumer would, and
 * prints each event as it arrives: its type, key and event id. No consumer group: it commits
 * nothing and leaves no trace on the broker.
 */
final class EventTap implements AutoCloseable {

  private final KafkaConsumer<String, String> consumer;
  private final Thread thread;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong count = new AtomicLong();

  private EventTap(String bootstrap, PrintStream out) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("key.deserializer", StringDeserializer.class.getName());
    props.put("value.deserializer", StringDeserializer.class.getName());
    props.put("enable.auto.commit", "false");
    consumer = new KafkaConsumer<>(props);
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(Topics.ISSUANCE_EVENTS, Topics.REGISTRY_EVENTS)) {
      consumer
          .partitionsFor(topic, Duration.ofSeconds(10))
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(p -> consumer.position(p, Duration.ofSeconds(10)));
    thread =
        new Thread(
            () -> {
              while (running.get()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                  count.incrementAndGet();
                  synchronized (System.out) {
                    out.printf(
                        "       event  %-44s key %-40s id %s%n",
                        header(r, CloudEventHeaders.TYPE),
                        r.key(),
                        header(r, CloudEventHeaders.ID));
                  }
                }
              }
            },
            "demo-event-tap");
    thread.setDaemon(true);
  }

  static EventTap start(String bootstrap, PrintStream out) {
    EventTap tap = new EventTap(bootstrap, out);
    tap.thread.start();
    return tap;
  }

  long count() {
    return count.get();
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(2_000);
    consumer.close(Duration.ofSeconds(2));
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? "-" : new String(h.value(), StandardCharsets.UTF_8);
  }
}
