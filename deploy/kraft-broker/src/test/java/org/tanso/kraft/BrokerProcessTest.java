package org.tanso.kraft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerProcessTest {

  @TempDir Path dir;

  @Test
  void startsBrokerWithTopicsAndCarriesARecord() throws Exception {
    BrokerProcess.Settings settings =
        new BrokerProcess.Settings(
            dir.resolve("kafka"),
            freePort(),
            freePort(),
            Map.of("tanso.test.events", 3),
            dir.resolve("broker.log"),
            true,
            null,
            Duration.ofSeconds(90));
    BrokerProcess broker = BrokerProcess.start(settings);
    try {
      Map<String, Object> common = Map.of("bootstrap.servers", broker.bootstrapServers());
      try (Admin admin = Admin.create(common)) {
        int partitions =
            admin
                .describeTopics(List.of("tanso.test.events"))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get("tanso.test.events")
                .partitions()
                .size();
        assertEquals(3, partitions);
      }
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  broker.bootstrapServers(),
                  ProducerConfig.ACKS_CONFIG,
                  "all"),
              new StringSerializer(),
              new StringSerializer())) {
        producer
            .send(new ProducerRecord<>("tanso.test.events", "k", "hello"))
            .get(30, TimeUnit.SECONDS);
      }
      try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(
              Map.of(
                  ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                  ConsumerConfig.GROUP_ID_CONFIG, "test",
                  ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
              new StringDeserializer(),
              new StringDeserializer())) {
        consumer.subscribe(List.of("tanso.test.events"));
        String received = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (received == null && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
            received = record.key() + "=" + record.value();
          }
        }
        assertEquals("k=hello", received);
      }
    } finally {
      broker.stop();
    }
    assertFalse(broker.isAlive());
  }

  @Test
  void commandBindsTestBrokersToTheirParent() {
    BrokerProcess.Settings bound =
        new BrokerProcess.Settings(dir, 1, 2, Map.of("a", 2), dir.resolve("l"), true, null, null);
    List<String> command = BrokerProcess.command(bound);
    assertTrue(command.contains("--exit-on-stdin-eof"));
    assertTrue(command.contains("a:2"));
    BrokerProcess.Settings detached =
        new BrokerProcess.Settings(dir, 1, 2, Map.of(), dir.resolve("l"), false, null, null);
    assertFalse(BrokerProcess.command(detached).contains("--exit-on-stdin-eof"));
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
