package org.tanso.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the packaged {@code tanso} command as a user would, on free ports, its own state folder
 * and its own databases: up, a second up, status, tokens accepted by every service, down.
 */
class LocalStackIT {

  private static final Path HOME = Path.of("../..").toAbsolutePath().normalize();
  private static final Path STATE = Path.of("target/local-stack-it").toAbsolutePath();
  private static final String PG_URL = env("TANSO_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
  private static final String PG_USER = env("TANSO_TEST_PG_USER", "postgres");
  private static final String PG_PASSWORD = env("TANSO_TEST_PG_PASSWORD", "");
  private static final String DB_PREFIX = "tanso_it_" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);

  private static int[] ports;

  record Result(int exitCode, String output) {}

  @BeforeAll
  static void freePorts() throws IOException {
    ports = new int[] {freePort(), freePort(), freePort(), freePort(), freePort()};
  }

  @AfterAll
  static void cleanUp() throws Exception {
    tanso("down");
    if (UpCommand.reachable(PG_URL, PG_USER, PG_PASSWORD)) {
      try (Connection connection = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD)) {
        for (Services.Service service : Services.ALL) {
          connection.createStatement().execute("DROP DATABASE IF EXISTS " + service.database(DB_PREFIX) + " WITH (FORCE)");
        }
      } catch (SQLException ignored) {
        // best effort
      }
    }
  }

  @Test
  void upStatusTokenDown() throws Exception {
    Result up = up();
    assertEquals(0, up.exitCode(), up.output());
    assertTrue(up.output().contains("Tanso is up"), up.output());
    List<StackState.Component> started = StackState.load(STATE.resolve("stack.properties")).components();
    assertTrue(started.stream().map(StackState.Component::name).toList().containsAll(
        List.of("kafka", "registry-service", "issuance-service", "audit-service")), started.toString());

    Result status = tanso("status");
    assertEquals(0, status.exitCode(), status.output());

    Result again = up();
    assertEquals(0, again.exitCode(), again.output());
    assertTrue(again.output().contains("already running"), again.output());
    assertEquals(started, StackState.load(STATE.resolve("stack.properties")).components(), "a second up changes nothing");

    Result token = tanso("token", "project-developer", "P-ACME");
    assertEquals(0, token.exitCode(), token.output());
    HttpClient http = HttpClient.newHttpClient();
    for (int port : new int[] {ports[2], ports[3], ports[4]}) {
      HttpResponse<String> me =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/me"))
                  .header("Authorization", "Bearer " + token.output().trim())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, me.statusCode(), me.body());
      assertTrue(me.body().contains("\"participant\":\"P-ACME\""), me.body());
      HttpResponse<String> anonymous =
          http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/me")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(401, anonymous.statusCode());
    }
    assertEquals(2, tanso("token", "emperor").exitCode());

    Result down = tanso("down");
    assertEquals(0, down.exitCode(), down.output());
    for (StackState.Component component : started) {
      assertFalse(ProcessHandle.of(component.pid()).map(ProcessHandle::isAlive).orElse(false), component + " still alive");
    }
    assertEquals(3, tanso("status").exitCode());
  }

  private static Result up() throws Exception {
    return tanso(
        "up",
        "--kafka-port", Integer.toString(ports[0]),
        "--kafka-controller-port", Integer.toString(ports[1]),
        "--registry-port", Integer.toString(ports[2]),
        "--issuance-port", Integer.toString(ports[3]),
        "--audit-port", Integer.toString(ports[4]),
        "--pg-url", PG_URL,
        "--pg-user", PG_USER,
        "--pg-password", PG_PASSWORD,
        "--embedded-pg-port", "0",
        "--db-prefix", DB_PREFIX);
  }

  private static Result tanso(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(Path.of("target/tanso-local.jar").toAbsolutePath().toString());
    command.add("--home");
    command.add(HOME.toString());
    command.add("--state-dir");
    command.add(STATE.toString());
    command.addAll(List.of(args));
    Files.createDirectories(STATE);
    Path out = Files.createTempFile(STATE, "cli", ".out");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("tanso " + String.join(" ", args) + " did not finish:\n" + Files.readString(out));
    }
    String output = Files.readString(out, StandardCharsets.UTF_8);
    Files.delete(out);
    return new Result(process.exitValue(), output);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
