package org.tanso.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the packaged {@code tanso} command as a user would, on free ports, its own state folder and
 * its own databases: up, a second up, status, tokens accepted by every service, down.
 */
class LocalStackIT {

  private static StackRunner stack;

  @BeforeAll
  static void stack() throws IOException {
    stack = new StackRunner("local-stack-it");
  }

  @AfterAll
  static void cleanUp() throws Exception {
    stack.tearDown();
  }

  @Test
  void upStatusTokenDown() throws Exception {
    StackRunner.Result up = stack.up();
    assertEquals(0, up.exitCode(), up.output());
    assertTrue(up.output().contains("Tanso is up"), up.output());
    List<StackState.Component> started =
        StackState.load(stack.state.resolve("stack.properties")).components();
    assertTrue(
        started.stream()
            .map(StackState.Component::name)
            .toList()
            .containsAll(List.of("kafka", "registry-service", "issuance-service", "audit-service")),
        started.toString());

    StackRunner.Result status = stack.tanso("status");
    assertEquals(0, status.exitCode(), status.output());

    StackRunner.Result again = stack.up();
    assertEquals(0, again.exitCode(), again.output());
    assertTrue(again.output().contains("already running"), again.output());
    assertEquals(
        started,
        StackState.load(stack.state.resolve("stack.properties")).components(),
        "a second up changes nothing");

    StackRunner.Result token = stack.tanso("token", "project-developer", "P-ACME");
    assertEquals(0, token.exitCode(), token.output());
    HttpClient http = HttpClient.newHttpClient();
    for (int port : new int[] {stack.registryPort, stack.issuancePort, stack.auditPort}) {
      HttpResponse<String> me =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/me"))
                  .header("Authorization", "Bearer " + token.output().trim())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, me.statusCode(), me.body());
      assertTrue(me.body().contains("\"participant\":\"P-ACME\""), me.body());
      HttpResponse<String> anonymous =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/me")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(401, anonymous.statusCode());
    }
    assertEquals(2, stack.tanso("token", "emperor").exitCode());

    StackRunner.Result down = stack.tanso("down");
    assertEquals(0, down.exitCode(), down.output());
    for (StackState.Component component : started) {
      assertFalse(
          ProcessHandle.of(component.pid()).map(ProcessHandle::isAlive).orElse(false),
          component + " still alive");
    }
    assertEquals(3, stack.tanso("status").exitCode());
  }
}
