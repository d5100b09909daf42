package org.tanso.local;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a running stack's topics as an outside subscriber: every partition from its beginning up to
 * its end offset taken when the read starts, so counts and absence are exact for what the topic
 * held at that moment (a record seen on one partition says nothing about another).
 */
final class StackTopics {

  /** One record as read, with its headers decoded as UTF-8. */
  record Received(
      String topic,
      int partition,
      long offset,
      String key,
      String value,
      Map<String, String> headers) {

    String ceId() {
      return headers.get("ce_id");
    }

    String ceType() {
      return headers.get("ce_type");
    }
  }

  private StackTopics() {}

  /** Every record {@code topic} holds now, in partition order, partition by partition. */
  static List<Received> readToEnd(StackRunner stack, String topic) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + stack.kafkaPort);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<Received> read = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream()
          .anyMatch(p -> consumer.position(p, Duration.ofSeconds(30)) < ends.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " up to " + ends + " within 60 s");
        }
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))) {
            Map<String, String> headers = new HashMap<>();
            for (Header h : r.headers()) {
              headers.put(
                  h.key(),
                  h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
            }
            read.add(
                new Received(r.topic(), r.partition(), r.offset(), r.key(), r.value(), headers));
          }
        }
      }
    }
    return read;
  }
}
