package org.tanso.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A stack of which one component died: {@code up} starts exactly that one again and leaves the
 * others running, first registry-service, then the broker, both killed with SIGKILL. One stack for
 * the whole class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PartialRestartIT {

  private static StackRunner stack;

  @BeforeAll
  static void up() throws Exception {
    stack = new StackRunner("partial-restart-it");
    StackRunner.Result up = stack.up();
    assertEquals(0, up.exitCode(), up.output());
  }

  @AfterAll
  static void down() throws Exception {
    stack.tearDown();
  }

  @Test
  @Order(1)
  void aKilledServiceIsStartedAgainAndTheRestIsLeftRunning() throws Exception {
    Map<String, Long> before = pids();
    kill("registry-service");

    StackRunner.Result up = stack.up();
    assertEquals(0, up.exitCode(), up.output());
    assertTrue(up.output().contains("starting registry-service; left running: "), up.output());
    assertTrue(up.output().contains("Tanso is up"), up.output());
    Map<String, Long> after = pids();
    assertNotEquals(before.get("registry-service"), after.get("registry-service"));
    for (String untouched : new String[] {"kafka", "issuance-service", "audit-service"}) {
      assertEquals(
          before.get(untouched),
          after.get(untouched),
          untouched + " should have been left running: " + up.output());
    }
    assertEquals(200, ready(stack.registryPort));
    StackRunner.Result status = stack.tanso("status");
    assertEquals(0, status.exitCode(), status.output());
  }

  @Test
  @Order(2)
  void aKilledBrokerIsStartedAgainOnItsPort() throws Exception {
    Map<String, Long> before = pids();
    kill("kafka");

    StackRunner.Result up = stack.up();
    assertEquals(0, up.exitCode(), up.output());
    assertTrue(up.output().contains("starting kafka; left running: "), up.output());
    Map<String, Long> after = pids();
    assertNotEquals(before.get("kafka"), after.get("kafka"));
    assertEquals(before.get("registry-service"), after.get("registry-service"));
    StackRunner.Result status = stack.tanso("status");
    assertEquals(0, status.exitCode(), status.output());
    assertTrue(status.output().contains("port " + stack.kafkaPort), status.output());
  }

  private static Map<String, Long> pids() throws Exception {
    return StackState.load(stack.state.resolve("stack.properties")).components().stream()
        .collect(Collectors.toMap(StackState.Component::name, StackState.Component::pid));
  }

  private static void kill(String component) throws Exception {
    ProcessHandle handle = ProcessHandle.of(pids().get(component)).orElseThrow();
    // SIGKILL: no shutdown hook, the state file still names the dead process
    handle.destroyForcibly();
    handle.onExit().get();
  }

  private static int ready(int port) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
