package org.tanso.kraft;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Entry point of the broker JVM: formats the KRaft storage on first use, starts a combined
 * broker/controller node, creates the requested topics, then prints {@link
 * BrokerProcess#READY_MARKER}.
 *
 * <p>Arguments: {@code <work dir> <broker port> <controller port> [--topics a:3,b:1]
 * [--exit-on-stdin-eof]}. With {@code --exit-on-stdin-eof} the JVM exits when its standard input
 * closes, so a broker started by a test JVM never outlives it, even when that JVM is killed.
 */
public final class BrokerMain {

  private BrokerMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println(
          "usage: BrokerMain <work dir> <broker port> <controller port> [--topics name:partitions,...] [--exit-on-stdin-eof]");
      System.exit(2);
    }
    Path workDir = Path.of(args[0]).toAbsolutePath();
    int brokerPort = Integer.parseInt(args[1]);
    int controllerPort = Integer.parseInt(args[2]);
    List<NewTopic> topics = new ArrayList<>();
    boolean watchStdin = false;
    for (int i = 3; i < args.length; i++) {
      if ("--exit-on-stdin-eof".equals(args[i])) {
        watchStdin = true;
      } else if ("--topics".equals(args[i]) && i + 1 < args.length) {
        topics.addAll(parseTopics(args[++i]));
      } else {
        System.err.println("unknown argument: " + args[i]);
        System.exit(2);
      }
    }
    if (watchStdin) {
      startStdinWatchdog();
    }

    Path config = writeServerProperties(workDir, brokerPort, controllerPort);
    format(config);

    Thread server =
        new Thread(() -> kafka.Kafka.main(new String[] {config.toString()}), "kafka-main");
    server.setDaemon(false);
    server.start();

    createTopics(brokerPort, topics);
    System.out.println(BrokerProcess.READY_MARKER + " 127.0.0.1:" + brokerPort);
    System.out.flush();
    server.join();
  }

  static List<NewTopic> parseTopics(String spec) {
    List<NewTopic> topics = new ArrayList<>();
    for (String part : spec.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      String[] nameAndPartitions = part.split(":");
      int partitions = nameAndPartitions.length > 1 ? Integer.parseInt(nameAndPartitions[1]) : 1;
      topics.add(new NewTopic(nameAndPartitions[0].trim(), partitions, (short) 1));
    }
    return topics;
  }

  private static void startStdinWatchdog() {
    Thread watchdog =
        new Thread(
            () -> {
              try (InputStream in = System.in) {
                byte[] buffer = new byte[256];
                while (in.read(buffer) >= 0) {
                  // the parent never writes; we only wait for the pipe to close
                }
              } catch (IOException ignored) {
                // a broken pipe means the parent is gone, same as EOF
              }
              System.err.println("parent process gone, stopping broker");
              System.exit(0);
            },
            "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private static Path writeServerProperties(Path workDir, int brokerPort, int controllerPort)
      throws IOException {
    Files.createDirectories(workDir.resolve("data"));
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    props.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("log.dirs", workDir.resolve("data").toString());
    props.put("num.partitions", "1");
    props.put("auto.create.topics.enable", "true");
    // single node: every internal topic has one replica
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "5");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "5");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    Path config = workDir.resolve("server.properties");
    try (Writer out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
      props.store(out, "single-node KRaft broker");
    }
    return config;
  }

  private static void format(Path config) {
    if (Files.exists(config.getParent().resolve("data").resolve("meta.properties"))) {
      return;
    }
    String clusterId = Uuid.randomUuid().toString();
    PrintStream out = System.out;
    int rc =
        kafka.tools.StorageTool.execute(
            new String[] {"format", "-t", clusterId, "-c", config.toString(), "--ignore-formatted"},
            out);
    if (rc != 0) {
      throw new IllegalStateException("formatting KRaft storage failed with exit code " + rc);
    }
  }

  private static void createTopics(int brokerPort, List<NewTopic> topics) throws Exception {
    Map<String, Object> config =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            "127.0.0.1:" + brokerPort,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            60_000);
    try (Admin admin = Admin.create(config)) {
      // waits until the broker answers metadata requests, topics or not
      admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
      for (NewTopic topic : topics) {
        try {
          admin.createTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    }
  }
}
