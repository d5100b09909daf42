package org.tanso.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL server for machines that have none: the real postgres binaries from Maven Central,
 * run by a small JVM that stops them when it is told to stop. Its data stays under the stack's
 * state folder between runs.
 */
final class EmbeddedPostgresMain {

  static final String READY_MARKER = "TANSO-PG-READY";

  private EmbeddedPostgresMain() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    Path workDir = Files.createDirectories(dataDir.resolveSibling("postgres-binaries"));
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setOverrideWorkingDirectory(workDir.toFile())
            .setPort(port)
            .setPGStartupWait(Duration.ofSeconds(60))
            .setRegisterShutdownHook(false)
            .start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    postgres.close();
                  } catch (IOException e) {
                    System.err.println("stopping PostgreSQL failed: " + e);
                  }
                },
                "postgres-stop"));
    System.out.println(READY_MARKER + " 127.0.0.1:" + port);
    System.out.flush();
    Thread.currentThread().join();
  }

  /** Starts the server in its own detached JVM and waits until it accepts connections. */
  static StackState.Component launch(StackLayout layout, int port)
      throws IOException, InterruptedException {
    Path log = layout.logs().resolve("postgres.log");
    long offset = Files.exists(log) ? Files.size(log) : 0;
    List<String> command = new ArrayList<>();
    if (new File("/usr/bin/setsid").canExecute()) {
      command.add("/usr/bin/setsid");
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(ownClasspath());
    command.add(EmbeddedPostgresMain.class.getName());
    command.add(layout.postgresData().toString());
    command.add(Integer.toString(port));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    Instant deadline = Instant.now().plusSeconds(90);
    while (Instant.now().isBefore(deadline)) {
      byte[] all = Files.readAllBytes(log);
      String since =
          new String(
              all,
              (int) Math.min(offset, all.length),
              (int) Math.max(0, all.length - offset),
              StandardCharsets.UTF_8);
      if (since.contains(READY_MARKER)) {
        return new StackState.Component(
            "postgres", process.pid(), port, StackState.startedAt(process.toHandle()));
      }
      if (!process.isAlive()) {
        throw new IOException(
            "embedded PostgreSQL exited with code " + process.exitValue() + "; see " + log);
      }
      Thread.sleep(200);
    }
    process.destroy();
    throw new IOException("embedded PostgreSQL not ready after 90 s; see " + log);
  }

  /**
   * The jar of this program and the jars beside it in lib/ (a manifest class path is not
   * inherited); else this JVM's class path.
   */
  private static String ownClasspath() throws IOException {
    String self = System.getProperty("java.class.path");
    Path first;
    try {
      first =
          Path.of(
                  EmbeddedPostgresMain.class
                      .getProtectionDomain()
                      .getCodeSource()
                      .getLocation()
                      .toURI())
              .toAbsolutePath();
    } catch (java.net.URISyntaxException e) {
      return self;
    }
    Path lib = first.getParent().resolve("lib");
    if (!first.toString().endsWith(".jar") || !Files.isDirectory(lib)) {
      return self;
    }
    StringBuilder classpath = new StringBuilder(first.toString());
    try (Stream<Path> jars = Files.list(lib)) {
      jars.filter(p -> p.toString().endsWith(".jar"))
          .sorted()
          .forEach(p -> classpath.append(File.pathSeparator).append(p));
    }
    return classpath.toString();
  }
}
