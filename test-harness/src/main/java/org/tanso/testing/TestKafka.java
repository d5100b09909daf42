package org.tanso.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Reads and writes the test broker's topics the way an outside subscriber or producer would.
 *
 * <p>A topic has several partitions, and records of different keys land on different ones, so a
 * record seen on one partition says nothing about what another partition holds. To prove that
 * something did <em>not</em> arrive, or that <em>exactly</em> N did, take the {@link #endOffsets
 * end of every partition} after the action, wait until a consumer group has {@link #awaitConsumed
 * consumed past it} (for records a service must react to) and {@link #readToEnd read every
 * partition up to it}.
 */
public final class TestKafka {

  private TestKafka() {}

  /** A record as a subscriber sees it, with its headers decoded as UTF-8. */
  public record Received(
      String topic,
      int partition,
      long offset,
      String key,
      String value,
      Map<String, String> headers) {}

  /**
   * The end of each partition of a topic at one moment: the offset the next record on it will get.
   */
  public record EndOffsets(String topic, Map<Integer, Long> byPartition) {

    public EndOffsets {
      byPartition = Map.copyOf(byPartition);
    }

    /** Records the topic held at that moment, over all partitions. */
    public long total() {
      return byPartition.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  public static String bootstrapServers() {
    return TestInfrastructure.kafkaBootstrapServers();
  }

  /** Sends one record with acks=all and waits for the broker's acknowledgement. */
  public static void send(String topic, String key, String value, Map<String, String> headers) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
      headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
      producer.send(record).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot send to " + topic, e);
    }
  }

  /**
   * Reads {@code topic} from the beginning until {@code enough} holds for what was read, or the
   * timeout passes; returns everything read either way. It stops at the first moment {@code enough}
   * holds, so it proves presence only: use {@link #readToEnd} to prove absence or an exact count.
   */
  public static List<Received> readUntil(
      String topic, Predicate<List<Received>> enough, Duration timeout) {
    List<Received> received = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = consumer()) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline && !enough.test(received)) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          received.add(received(record));
        }
      }
    }
    return received;
  }

  /** The names of the broker's topics that match {@code regex} as a whole. */
  public static List<String> topicsMatching(String regex) {
    try (Admin admin = admin()) {
      return admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
          .filter(name -> name.matches(regex))
          .sorted()
          .toList();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot list the topics", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The end offset of every partition of {@code topic}, as the broker has them now. */
  public static EndOffsets endOffsets(String topic) {
    try (Admin admin = admin()) {
      List<TopicPartition> partitions = partitions(admin, topic);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
      Map<Integer, Long> ends = new HashMap<>();
      admin
          .listOffsets(latest)
          .all()
          .get(30, TimeUnit.SECONDS)
          .forEach((p, info) -> ends.put(p.partition(), info.offset()));
      return new EndOffsets(topic, ends);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read the end offsets of " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Every record of {@code topic}, from the beginning of every partition up to its end offset as of
   * this call: all that the topic holds now, and nothing that arrives later.
   */
  public static List<Received> readToEnd(String topic) {
    return readTo(endOffsets(topic));
  }

  /** Every record from the beginning of every partition up to (excluding) {@code ends}. */
  public static List<Received> readTo(EndOffsets ends) {
    List<Received> received = new ArrayList<>();
    List<TopicPartition> partitions =
        ends.byPartition().keySet().stream().map(p -> new TopicPartition(ends.topic(), p)).toList();
    try (KafkaConsumer<String, String> consumer = consumer()) {
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!reached(consumer, partitions, ends)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "could not read " + ends.topic() + " up to " + ends.byPartition() + " in 60 s");
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() < ends.byPartition().get(record.partition())) {
            received.add(received(record));
          }
        }
      }
    }
    return received;
  }

  /**
   * Waits until consumer group {@code group} has committed, on every partition, an offset at or
   * past {@code ends}: every record the topic held then has been processed and acknowledged by that
   * group. Fails when it has not happened within {@code timeout}.
   */
  public static void awaitConsumed(String group, EndOffsets ends, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<Integer, Long> committed = Map.of();
    try (Admin admin = admin()) {
      while (true) {
        committed = committed(admin, group, ends.topic());
        boolean done = true;
        for (Map.Entry<Integer, Long> end : ends.byPartition().entrySet()) {
          if (end.getValue() > 0 && committed.getOrDefault(end.getKey(), 0L) < end.getValue()) {
            done = false;
          }
        }
        if (done) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "group "
                  + group
                  + " committed "
                  + committed
                  + " on "
                  + ends.topic()
                  + ", not past "
                  + ends.byPartition()
                  + " within "
                  + timeout);
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Shorthand: the end offsets of {@code topic} now, then {@link #awaitConsumed} for them. */
  public static void awaitConsumed(String group, String topic, Duration timeout) {
    awaitConsumed(group, endOffsets(topic), timeout);
  }

  private static Map<Integer, Long> committed(Admin admin, String group, String topic)
      throws InterruptedException {
    try {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
      Map<Integer, Long> result = new HashMap<>();
      offsets.forEach(
          (p, o) -> {
            if (p.topic().equals(topic) && o != null) {
              result.put(p.partition(), o.offset());
            }
          });
      return result;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read the offsets of group " + group, e);
    }
  }

  private static boolean reached(
      KafkaConsumer<String, String> consumer, List<TopicPartition> partitions, EndOffsets ends) {
    for (TopicPartition p : partitions) {
      if (consumer.position(p) < ends.byPartition().get(p.partition())) {
        return false;
      }
    }
    return true;
  }

  private static List<TopicPartition> partitions(Admin admin, String topic)
      throws ExecutionException, InterruptedException, TimeoutException {
    return admin
        .describeTopics(List.of(topic))
        .allTopicNames()
        .get(30, TimeUnit.SECONDS)
        .get(topic)
        .partitions()
        .stream()
        .map(p -> new TopicPartition(topic, p.partition()))
        .toList();
  }

  private static Received received(ConsumerRecord<String, String> record) {
    Map<String, String> headers = new HashMap<>();
    for (Header header : record.headers()) {
      headers.put(
          header.key(),
          header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
    }
    return new Received(
        record.topic(), record.partition(), record.offset(), record.key(), record.value(), headers);
  }

  private static KafkaConsumer<String, String> consumer() {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }

  private static Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
  }
}
