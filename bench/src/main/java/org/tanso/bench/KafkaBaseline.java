package org.tanso.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The other physical bound: how many event-sized records per second one producer with the outbox
 * relay's settings (acks=all, idempotent) gets into the stack's broker, keyed over 200 accounts
 * like transfer events, on a scratch topic with the event topics' partition count.
 */
final class KafkaBaseline {

  record Result(
      long records, int recordBytes, double recordsPerSecond, double megabytesPerSecond) {}

  private final LocalStack stack;

  KafkaBaseline(LocalStack stack) {
    this.stack = stack;
  }

  Result run(long records, int recordBytes) throws Exception {
    String bootstrap = "127.0.0.1:" + stack.kafkaPort();
    String topic = "tanso.bench.producer-baseline";
    Properties admin = new Properties();
    admin.put("bootstrap.servers", bootstrap);
    try (Admin client = Admin.create(admin)) {
      if (!client.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
        client
            .createTopics(List.of(new NewTopic(topic, 3, (short) 1)))
            .all()
            .get(30, TimeUnit.SECONDS);
      }
    }
    Properties props = new Properties();
    props.putAll(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            "true",
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
            "5",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class.getName()));
    byte[] value = new byte[recordBytes];
    Arrays.fill(value, (byte) 'x');
    AtomicReference<Exception> failure = new AtomicReference<>();
    AtomicLong acked = new AtomicLong();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
      // warm-up: metadata, connections, JIT
      for (int i = 0; i < 20_000; i++) {
        producer.send(new ProducerRecord<>(topic, "JP-100-" + (i % 200), value));
      }
      producer.flush();
      long start = System.nanoTime();
      for (long i = 0; i < records; i++) {
        producer.send(
            new ProducerRecord<>(topic, "JP-100-" + (i % 200), value),
            (metadata, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              } else {
                acked.incrementAndGet();
              }
            });
      }
      producer.flush();
      double seconds = (System.nanoTime() - start) / 1e9;
      if (failure.get() != null) {
        throw new IllegalStateException("producer baseline: " + failure.get(), failure.get());
      }
      return new Result(
          acked.get(),
          recordBytes,
          acked.get() / seconds,
          acked.get() * (double) recordBytes / seconds / 1e6);
    }
  }

  static int typicalEventBytes() {
    return ("{\"transactionId\":\"3f0c8a52-4a7e-4c43-9d39-4d0f9d5d1a11\",\"from\":\"JP-100-000042-95\",\"to\":\"JP-100-000043-68\",\"quantity\":1,"
            + "\"blocks\":[{\"serial\":\"JCM-VN-VN001-2025-0003-000001-000001\",\"unitId\":\"JCM-VN-VN001-2025-0003\",\"start\":1,\"end\":1,"
            + "\"quantity\":1,\"account\":\"JP-100-000043-68\",\"state\":\"ACTIVE\"}],\"at\":\"2026-11-23T09:00:00.123456Z\"}")
        .getBytes(StandardCharsets.UTF_8)
        .length;
  }
}
