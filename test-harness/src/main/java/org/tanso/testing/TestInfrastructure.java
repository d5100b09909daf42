package org.tanso.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.tanso.devtokens.DevKeys;
import org.tanso.events.Topics;
import org.tanso.kraft.BrokerProcess;

/**
 * What one test JVM shares: one Kafka broker, one PostgreSQL server and one token-signing key.
 *
 * <p>Quarkus may load this class in more than one class loader during a test run, so the started
 * infrastructure is published in system properties, which every loader sees, and started only by
 * the first one.
 */
public final class TestInfrastructure {

  static final String KAFKA_BOOTSTRAP = "tanso.test.kafka.bootstrap";
  static final String PG_ADMIN_URL = "tanso.test.pg.admin-url";
  static final String PG_USER = "tanso.test.pg.user";
  static final String PG_PASSWORD = "tanso.test.pg.password";
  static final String PG_SOURCE = "tanso.test.pg.source";
  static final String KEY_DIR = "tanso.test.jwt.key-dir";
  static final String KAFKA_PID = "tanso.test.kafka.pid";
  static final String KAFKA_WORK_DIR = "tanso.test.kafka.work-dir";
  static final String KAFKA_PORTS = "tanso.test.kafka.ports";

  /** Topics created up front, so the first poll of a consumer never races topic creation. */
  static final Map<String, Integer> TOPICS =
      Map.of(
          Topics.ISSUANCE_EVENTS,
          3,
          Topics.REGISTRY_EVENTS,
          3,
          Topics.interRegistry("JP-JCM"),
          3,
          Topics.interRegistry("VN-JCM"),
          3,
          Topics.interRegistry("MN-JCM"),
          1);

  private TestInfrastructure() {}

  static synchronized void ensureStarted() {
    if (System.getProperty(KAFKA_BOOTSTRAP) != null) {
      return;
    }
    Path workDir = workDir();
    DevKeys.loadOrCreate(workDir.resolve("keys"));
    if (Boolean.getBoolean("tanso.testcontainers")) {
      ContainerInfrastructure.start();
    } else {
      startKafkaBroker(workDir);
      TestPostgres.start(workDir).publish();
    }
    System.setProperty(KEY_DIR, workDir.resolve("keys").toString());
  }

  static PostgresAdmin postgres() {
    ensureStarted();
    return new PostgresAdmin(
        System.getProperty(PG_ADMIN_URL),
        System.getProperty(PG_USER),
        System.getProperty(PG_PASSWORD, ""));
  }

  static String kafkaBootstrapServers() {
    ensureStarted();
    return System.getProperty(KAFKA_BOOTSTRAP);
  }

  /** Where this JVM's token and checkpoint keys live. */
  public static Path keyDir() {
    ensureStarted();
    return Path.of(System.getProperty(KEY_DIR));
  }

  private static void startKafkaBroker(Path workDir) {
    try {
      System.setProperty(KAFKA_WORK_DIR, workDir.toString());
      System.setProperty(KAFKA_PORTS, freePort() + "," + freePort());
      BrokerProcess broker = launchBroker();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    // the broker of now: a restart may have replaced the first one
                    stopBrokerProcess();
                    deleteRecursively(workDir.resolve("kafka"));
                  },
                  "tanso-test-kafka-stop"));
      System.setProperty(KAFKA_BOOTSTRAP, broker.bootstrapServers());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the test Kafka broker", e);
    }
  }

  /**
   * Starts the broker process on this JVM's ports and storage (kept from an earlier start) and
   * records its PID.
   */
  private static BrokerProcess launchBroker() throws IOException {
    Path workDir = Path.of(System.getProperty(KAFKA_WORK_DIR));
    String[] ports = System.getProperty(KAFKA_PORTS).split(",");
    BrokerProcess broker =
        BrokerProcess.start(
            new BrokerProcess.Settings(
                workDir.resolve("kafka"),
                Integer.parseInt(ports[0]),
                Integer.parseInt(ports[1]),
                new LinkedHashMap<>(TOPICS),
                workDir.resolve("kafka-broker.log"),
                true,
                "256m",
                Duration.ofSeconds(120)));
    System.setProperty(KAFKA_PID, Long.toString(broker.pid()));
    // the hook also keeps the process object, and with it the pipe to the broker's stdin,
    // reachable:
    // the broker exits when that pipe closes
    Runtime.getRuntime()
        .addShutdownHook(new Thread(broker::stop, "tanso-test-kafka-stop-" + broker.pid()));
    return broker;
  }

  /**
   * Stops this JVM's Kafka broker, runs {@code whileDown}, then starts the broker again on the same
   * ports with the same data and waits until it serves requests (also when {@code whileDown}
   * throws). Clients keep their configuration and reconnect on their own. Only for the broker
   * process the harness starts (not under {@code -Dtanso.testcontainers=true}); every test in the
   * JVM shares that broker, so the caller must leave it as it found it: this method does.
   */
  public static synchronized void withKafkaDown(Runnable whileDown) {
    ensureStarted();
    if (System.getProperty(KAFKA_PID) == null) {
      throw new IllegalStateException(
          "the Kafka broker of this JVM is not a process the harness started");
    }
    stopBrokerProcess();
    try {
      whileDown.run();
    } finally {
      try {
        launchBroker();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot restart the test Kafka broker", e);
      }
    }
  }

  /** Stops the broker process recorded in {@link #KAFKA_PID} and waits until it has exited. */
  private static void stopBrokerProcess() {
    String pid = System.getProperty(KAFKA_PID);
    if (pid == null) {
      return;
    }
    ProcessHandle.of(Long.parseLong(pid))
        .ifPresent(
            process -> {
              process.destroy();
              try {
                process.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
              } catch (java.util.concurrent.TimeoutException e) {
                process.destroyForcibly();
                process.onExit().join();
              } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
              }
            });
  }

  /** Per-JVM scratch space under the module's target folder, never the system temp folder. */
  private static Path workDir() {
    try {
      Path target = Path.of("target");
      Path base =
          Files.isDirectory(target) ? target : Path.of(System.getProperty("java.io.tmpdir"));
      return Files.createDirectories(
          base.resolve("tanso-test").resolve(Long.toString(ProcessHandle.current().pid())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort clean-up at exit
    }
  }
}
