package org.tanso.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tanso up --peer-registry JP}: a second registry with its own registry-service and
 * audit-service on the same broker, listed by {@code status} and stopped by {@code down}.
 */
class PeerRegistryIT {

  private static StackRunner stack;
  private static int peerRegistryPort;
  private static int peerAuditPort;

  @BeforeAll
  static void stack() throws Exception {
    stack = new StackRunner("peer-registry-it");
    peerRegistryPort = StackRunner.freePort();
    peerAuditPort = StackRunner.freePort();
  }

  @AfterAll
  static void cleanUp() throws Exception {
    stack.tearDown();
  }

  @Test
  void upStatusDownWithAPeerRegistry() throws Exception {
    StackRunner.Result refused = stack.up("--peer-registry", "VN");
    assertEquals(2, refused.exitCode(), refused.output());
    assertTrue(refused.output().contains("main registry"), refused.output());

    StackRunner.Result up =
        stack.up(
            "--peer-registry",
            "JP",
            "--peer-registry-port",
            Integer.toString(peerRegistryPort),
            "--peer-audit-port",
            Integer.toString(peerAuditPort));
    assertEquals(0, up.exitCode(), up.output());
    List<StackState.Component> started =
        StackState.load(stack.state.resolve("stack.properties")).components();
    assertTrue(
        started.stream()
            .map(StackState.Component::name)
            .toList()
            .containsAll(
                List.of(
                    "kafka",
                    "registry-service",
                    "issuance-service",
                    "audit-service",
                    "registry-service.jp-jcm",
                    "audit-service.jp-jcm")),
        started.toString());

    HttpClient http = HttpClient.newHttpClient();
    for (int port : new int[] {stack.registryPort, peerRegistryPort, peerAuditPort}) {
      HttpResponse<String> ready =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ready.statusCode(), port + ": " + ready.body());
    }
    // the same development key: one token for both registries
    String token = stack.tanso("token", "regulator").output().trim();
    HttpResponse<String> reconciliation =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + peerAuditPort + "/audit/reconciliation"))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(
        200,
        reconciliation.statusCode(),
        "the peer's audit-service reconciles against the peer's registry-service: "
            + reconciliation.body());

    try (Admin admin =
        Admin.create(
            Map.<String, Object>of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + stack.kafkaPort))) {
      Set<String> topics = admin.listTopics().names().get();
      assertTrue(
          topics.containsAll(
              List.of(
                  "tanso.interregistry.VN-JCM",
                  "tanso.interregistry.JP-JCM",
                  "tanso.jp-jcm.registry.events",
                  "tanso.jp-jcm.issuance.events")),
          topics.toString());
    }

    StackRunner.Result status = stack.tanso("status");
    assertEquals(0, status.exitCode(), status.output());
    assertTrue(
        status.output().contains("registry-service.jp-jcm")
            && status.output().contains("JP-JCM (Japan JCM registry)"),
        status.output());

    StackRunner.Result down = stack.tanso("down");
    assertEquals(0, down.exitCode(), down.output());
    for (StackState.Component component : started) {
      assertFalse(
          ProcessHandle.of(component.pid()).map(ProcessHandle::isAlive).orElse(false),
          component + " still alive");
    }
  }
}
