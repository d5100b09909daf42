package org.tanso.testing;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL and Kafka from Testcontainers, chosen with {@code -Dtanso.testcontainers=true} on
 * machines with a Docker engine. The default path (a broker JVM and a local or embedded PostgreSQL)
 * needs no Docker; this one is not exercised on Docker-less build machines.
 */
final class ContainerInfrastructure {

  private ContainerInfrastructure() {}

  static void start() {
    PostgreSQLContainer<?> postgres =
        new PostgreSQLContainer<>(DockerImageName.parse("postgres:16-alpine"))
            .withDatabaseName("postgres");
    KafkaContainer kafka = new KafkaContainer(DockerImageName.parse("apache/kafka:4.1.1"));
    postgres.start();
    kafka.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  kafka.stop();
                  postgres.stop();
                },
                "tanso-test-containers-stop"));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.getBootstrapServers()))) {
      admin
          .createTopics(
              TestInfrastructure.TOPICS.entrySet().stream()
                  .map(t -> new NewTopic(t.getKey(), t.getValue(), (short) 1))
                  .toList())
          .all()
          .get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topics in the Kafka container", e);
    }
    new TestPostgres(
            postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword(), "testcontainers")
        .publish();
    System.setProperty(TestInfrastructure.KAFKA_BOOTSTRAP, kafka.getBootstrapServers());
  }
}
