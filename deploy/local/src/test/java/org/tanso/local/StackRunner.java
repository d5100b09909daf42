package org.tanso.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged {@code tanso} command the way a user does, with its own state folder, free
 * ports and throw-away databases, so tests never touch a stack a developer is running.
 */
final class StackRunner {

  static final Path HOME = Path.of("../..").toAbsolutePath().normalize();
  static final String PG_URL =
      env("TANSO_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
  static final String PG_USER = env("TANSO_TEST_PG_USER", "postgres");
  static final String PG_PASSWORD = env("TANSO_TEST_PG_PASSWORD", "");

  record Result(int exitCode, String output) {}

  final Path state;
  final String dbPrefix =
      "tanso_it_" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
  final int kafkaPort;
  final int controllerPort;
  final int registryPort;
  final int issuancePort;
  final int auditPort;

  /** Extra environment of the {@code tanso} command, which the services it starts inherit. */
  final Map<String, String> environment = new LinkedHashMap<>();

  StackRunner(String name) throws IOException {
    state = Path.of("target", name).toAbsolutePath();
    // a fresh stack each run: no Kafka data or keys from an earlier one
    if (Files.exists(state)) {
      try (var paths = Files.walk(state)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    kafkaPort = freePort();
    controllerPort = freePort();
    registryPort = freePort();
    issuancePort = freePort();
    auditPort = freePort();
  }

  /**
   * Starts the stack on the test's PostgreSQL server; {@code options} are further {@code tanso up}
   * options.
   */
  Result up(String... options) throws Exception {
    return up(PG_URL, 0, options);
  }

  /**
   * Starts the stack with an embedded PostgreSQL of its own on {@code port}, whatever else runs.
   */
  Result upWithEmbeddedPostgres(int port) throws Exception {
    return up("jdbc:postgresql://127.0.0.1:1/postgres", port);
  }

  private Result up(String pgUrl, int embeddedPort, String... options) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "up",
                "--kafka-port",
                Integer.toString(kafkaPort),
                "--kafka-controller-port",
                Integer.toString(controllerPort),
                "--registry-port",
                Integer.toString(registryPort),
                "--issuance-port",
                Integer.toString(issuancePort),
                "--audit-port",
                Integer.toString(auditPort),
                "--pg-url",
                pgUrl,
                "--pg-user",
                PG_USER,
                "--pg-password",
                PG_PASSWORD,
                "--embedded-pg-port",
                Integer.toString(embeddedPort),
                "--db-prefix",
                dbPrefix));
    args.addAll(List.of(options));
    return tanso(args.toArray(String[]::new));
  }

  /** Stops the stack and drops its databases. */
  void tearDown() throws Exception {
    tanso("down");
    if (UpCommand.reachable(PG_URL, PG_USER, PG_PASSWORD)) {
      try (Connection connection = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD)) {
        // the main registry's databases and a peer registry's (<prefix>_registry_jp_jcm, ...)
        List<String> databases = new ArrayList<>();
        try (var rs =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT datname FROM pg_database WHERE datname LIKE '" + dbPrefix + "\\_%'")) {
          while (rs.next()) {
            databases.add(rs.getString(1));
          }
        }
        for (String database : databases) {
          connection
              .createStatement()
              .execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
      } catch (SQLException ignored) {
        // best effort
      }
    }
  }

  Result tanso(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(Path.of("target/tanso-local.jar").toAbsolutePath().toString());
    command.add("--home");
    command.add(HOME.toString());
    command.add("--state-dir");
    command.add(state.toString());
    command.addAll(List.of(args));
    Files.createDirectories(state);
    Path out = Files.createTempFile(state, "cli", ".out");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          "tanso " + String.join(" ", args) + " did not finish:\n" + Files.readString(out));
    }
    String output = Files.readString(out, StandardCharsets.UTF_8);
    Files.delete(out);
    return new Result(process.exitValue(), output);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
