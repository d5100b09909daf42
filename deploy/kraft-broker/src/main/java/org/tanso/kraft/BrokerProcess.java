package org.tanso.kraft;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Starts and stops a {@link BrokerMain} JVM. This class uses no Kafka types, so callers (the test
 * harness, the local stack) load it without Kafka's server jars on their classpath.
 */
public final class BrokerProcess {

  /** Printed by the broker JVM once it serves requests and its topics exist. */
  public static final String READY_MARKER = "TANSO-KRAFT-READY";

  private final Process process;
  private final Settings settings;

  private BrokerProcess(Process process, Settings settings) {
    this.process = process;
    this.settings = settings;
  }

  /**
   * How to run the broker.
   *
   * @param workDir storage and configuration; kept between runs unless the caller deletes it
   * @param boundToParent the broker exits when the starting JVM exits (tests); otherwise it is
   *     detached into its own session and outlives the starter (local stack)
   */
  public record Settings(
      Path workDir,
      int brokerPort,
      int controllerPort,
      Map<String, Integer> topics,
      Path logFile,
      boolean boundToParent,
      String maxHeap,
      Duration startTimeout) {

    public Settings {
      Objects.requireNonNull(workDir, "workDir");
      Objects.requireNonNull(logFile, "logFile");
      topics = topics == null ? Map.of() : new LinkedHashMap<>(topics);
      maxHeap = maxHeap == null ? "256m" : maxHeap;
      startTimeout = startTimeout == null ? Duration.ofSeconds(90) : startTimeout;
    }
  }

  /** Starts the broker JVM and waits until it reports ready. */
  public static BrokerProcess start(Settings settings) throws IOException {
    Files.createDirectories(settings.workDir());
    Files.createDirectories(settings.logFile().toAbsolutePath().getParent());
    List<String> command = command(settings);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(settings.logFile().toFile()));
    if (!settings.boundToParent()) {
      builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    long logOffset = Files.exists(settings.logFile()) ? Files.size(settings.logFile()) : 0;
    Process process = builder.start();
    BrokerProcess broker = new BrokerProcess(process, settings);
    broker.awaitReady(logOffset);
    return broker;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + settings.brokerPort();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Stops the broker gracefully, forcibly after 20 seconds. */
  public void stop() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  static List<String> command(Settings settings) {
    List<String> command = new ArrayList<>();
    if (!settings.boundToParent() && new File("/usr/bin/setsid").canExecute()) {
      // own session: a closing terminal's SIGHUP must not reach the broker
      command.add("/usr/bin/setsid");
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + settings.maxHeap());
    command.add("-Xms64m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
    command.add("-cp");
    command.add(classpath());
    command.add(BrokerMain.class.getName());
    command.add(settings.workDir().toAbsolutePath().toString());
    command.add(Integer.toString(settings.brokerPort()));
    command.add(Integer.toString(settings.controllerPort()));
    if (!settings.topics().isEmpty()) {
      command.add("--topics");
      command.add(
          settings.topics().entrySet().stream()
              .map(e -> e.getKey() + ":" + e.getValue())
              .collect(Collectors.joining(",")));
    }
    if (settings.boundToParent()) {
      command.add("--exit-on-stdin-eof");
    }
    return command;
  }

  /** This module's own classes plus the broker's runtime jars recorded at build time. */
  static String classpath() {
    String self;
    try {
      self =
          Path.of(BrokerProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = BrokerProcess.class.getResourceAsStream("broker.classpath")) {
      if (in == null) {
        throw new IllegalStateException(
            "broker.classpath resource missing: build the kraft-broker module with ./mvnw");
      }
      String jars = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      return self + File.pathSeparator + jars;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady(long logOffset) throws IOException {
    Instant deadline = Instant.now().plus(settings.startTimeout());
    while (Instant.now().isBefore(deadline)) {
      String log = readFrom(settings.logFile(), logOffset);
      if (log.contains(READY_MARKER)) {
        return;
      }
      if (!process.isAlive()) {
        throw new IOException(
            "Kafka broker exited with code "
                + process.exitValue()
                + " before it was ready:\n"
                + tail(log));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop();
        throw new IOException("interrupted while waiting for the Kafka broker", e);
      }
    }
    stop();
    throw new IOException(
        "Kafka broker not ready after "
            + settings.startTimeout().toSeconds()
            + " s:\n"
            + tail(readFrom(settings.logFile(), logOffset)));
  }

  private static String readFrom(Path file, long offset) throws IOException {
    if (!Files.exists(file)) {
      return "";
    }
    byte[] all = Files.readAllBytes(file);
    int start = (int) Math.min(offset, all.length);
    return new String(all, start, all.length - start, StandardCharsets.UTF_8);
  }

  private static String tail(String text) {
    return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
  }
}
