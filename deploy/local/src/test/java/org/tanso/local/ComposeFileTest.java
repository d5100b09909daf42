package org.tanso.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/compose/compose.yaml cannot be started on machines without a Docker engine, so it is
 * checked here against the services themselves: the environment each service gets is exactly made
 * of variables its application.properties reads, every variable it reads without a default is set,
 * and the image is built from the service's own Dockerfile, listening where the port mapping and
 * the health check expect it.
 */
class ComposeFileTest {

  private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
  private static final Path COMPOSE = ROOT.resolve("deploy/compose/compose.yaml");
  private static final Pattern READS = Pattern.compile("\\$\\{(TANSO_[A-Z0-9_]+)(:[^}]*)?}");

  @ParameterizedTest
  @ValueSource(strings = {"registry-service", "issuance-service", "audit-service"})
  void theServiceGetsExactlyTheVariablesItReads(String name) throws IOException {
    JsonNode service = compose().path("services").path(name);
    assertTrue(service.isObject(), "compose.yaml has no service " + name);

    Map<String, Boolean> reads = new TreeMap<>(); // variable -> has a default
    Matcher m =
        READS.matcher(
            Files.readString(ROOT.resolve(name + "/src/main/resources/application.properties")));
    while (m.find()) {
      reads.merge(m.group(1), m.group(2) != null, Boolean::logicalOr);
    }
    Set<String> set = environment(service);

    Set<String> unknown = new TreeSet<>(set);
    unknown.removeAll(reads.keySet());
    assertTrue(unknown.isEmpty(), name + " is given variables it never reads: " + unknown);
    Set<String> missing = new TreeSet<>();
    reads.forEach(
        (variable, hasDefault) -> {
          if (!hasDefault && !set.contains(variable)) {
            missing.add(variable);
          }
        });
    assertTrue(missing.isEmpty(), name + " needs variables compose.yaml does not set: " + missing);
  }

  @ParameterizedTest
  @ValueSource(strings = {"registry-service", "issuance-service", "audit-service"})
  void theImageIsBuiltFromTheServiceDockerfileAndListensWhereExpected(String name)
      throws IOException {
    JsonNode service = compose().path("services").path(name);
    Path context =
        COMPOSE.getParent().resolve(service.path("build").path("context").asText()).normalize();
    assertEquals(ROOT.resolve(name), context);
    Path dockerfile = context.resolve(service.path("build").path("dockerfile").asText());
    assertTrue(Files.exists(dockerfile), "missing " + dockerfile);
    String docker = Files.readString(dockerfile);
    assertTrue(
        docker.contains("EXPOSE 8080") && docker.contains("COPY --chown=185 target/quarkus-app/"),
        dockerfile + " is not the Quarkus JVM layout");
    assertEquals("8080", environmentValues(service).get("TANSO_HTTP_PORT"));
    assertTrue(service.path("ports").get(0).asText().endsWith(":8080"));
    assertTrue(
        service
            .path("healthcheck")
            .path("test")
            .toString()
            .contains("http://localhost:8080/q/health/ready"));
    assertEquals(
        "service_healthy", service.path("depends_on").path("postgres").path("condition").asText());
    String database = environmentValues(service).get("TANSO_DB_URL");
    assertTrue(database.startsWith("jdbc:postgresql://postgres:5432/tanso_"), database);
    assertTrue(
        Files.readString(COMPOSE.getParent().resolve("initdb/01-databases.sql"))
            .contains(database.substring(database.lastIndexOf('/') + 1)),
        "initdb creates " + database);
  }

  /**
   * The Compose client's own check ({@code config}), where a client is installed: Compose v2
   * ({@code docker compose}), else v1 ({@code docker-compose}, which needs no engine for this and
   * does not know the Compose Specification's top-level {@code name}, so it reads a copy without
   * it). A misspelt key in a copy must make the same client fail, so a client that checks nothing
   * cannot pass. CI must have a client.
   */
  @Test
  void theComposeClientAcceptsTheFile() throws Exception {
    List<String> client = composeClient();
    if (client == null) {
      if (System.getenv("CI") != null || Boolean.getBoolean("tanso.compose.require-client")) {
        fail(
            "CI (or -Dtanso.compose.require-client) needs docker compose or docker-compose on the PATH to check deploy/compose/compose.yaml");
      }
      System.err.println(
          "ComposeFileTest: no docker compose or docker-compose on the PATH: the client's own check did not run");
      return;
    }
    String text = Files.readString(COMPOSE);
    if (client.equals(List.of("docker-compose"))) {
      text = text.replaceAll("(?m)^name: .*\\R", "");
    }
    Result accepted = config(client, text);
    assertEquals(
        0,
        accepted.exitCode(),
        String.join(" ", client) + " config refused compose.yaml:\n" + accepted.output());

    Result misspelt = config(client, text.replace("    healthcheck:", "    healthchek:"));
    assertNotEquals(0, misspelt.exitCode(), "a misspelt key was accepted:\n" + misspelt.output());
    assertTrue(misspelt.output().contains("healthchek"), misspelt.output());
  }

  private record Result(int exitCode, String output) {}

  private static List<String> composeClient() {
    for (List<String> candidate :
        List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
      List<String> version = new ArrayList<>(candidate);
      version.add("version");
      try {
        if (run(version, Map.of()).exitCode() == 0) {
          return candidate;
        }
      } catch (IOException notInstalled) {
        // next candidate
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }

  private static Result config(List<String> client, String compose)
      throws IOException, InterruptedException {
    Path copy = Files.createTempFile(Path.of("target").toAbsolutePath(), "compose", ".yaml");
    try {
      Files.writeString(copy, compose);
      List<String> command = new ArrayList<>(client);
      command.addAll(
          List.of(
              "-f",
              copy.toString(),
              "--project-directory",
              COMPOSE.getParent().toString(),
              "config",
              "-q"));
      // the one variable compose.yaml requires from whoever starts it
      return run(command, Map.of("TANSO_AUDIT_REGISTRY_TOKEN", "token-for-the-check"));
    } finally {
      Files.deleteIfExists(copy);
    }
  }

  private static Result run(List<String> command, Map<String, String> environment)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output =
        new String(
            process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return new Result(-1, "timed out: " + output);
    }
    return new Result(process.exitValue(), output);
  }

  /** Read with SnakeYAML, which resolves anchors, aliases and merge keys as compose does. */
  private static JsonNode compose() throws IOException {
    Object yaml = new Yaml().load(Files.readString(COMPOSE));
    return new ObjectMapper().valueToTree(yaml);
  }

  private static Set<String> environment(JsonNode service) {
    return new TreeSet<>(environmentValues(service).keySet());
  }

  /** The service's environment (merge keys already resolved by the YAML reader). */
  private static Map<String, String> environmentValues(JsonNode service) {
    Map<String, String> env = new TreeMap<>();
    JsonNode environment = service.path("environment");
    JsonNode merged = environment.path("<<");
    for (JsonNode source : new JsonNode[] {merged, environment}) {
      for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getKey().equals("<<")) {
          env.put(e.getKey(), e.getValue().asText());
        }
      }
    }
    return env;
  }
}
