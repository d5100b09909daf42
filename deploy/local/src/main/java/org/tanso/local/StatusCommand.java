package org.tanso.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "status",
    description =
        "Reports each component of the local stack. Exit code 0 when all are up and ready, 3 otherwise.")
final class StatusCommand implements Callable<Integer> {

  @ParentCommand TansoCommand parent;

  @Override
  public Integer call() throws Exception {
    StackLayout layout = parent.layout();
    StackState stack = StackState.load(layout.stateFile());
    List<StackState.Component> components = stack.components();
    if (components.isEmpty()) {
      System.out.println("Tanso is not running.");
      return 3;
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    boolean allUp = true;
    for (StackState.Component component : components) {
      boolean alive = StackState.live(component).isPresent();
      String state = alive ? "running" : "STOPPED";
      if (alive && component.name().contains("-service")) {
        String readiness = readiness(http, component.port());
        state = "running, " + readiness;
        alive = readiness.equals("ready");
      } else if (alive && !UpCommand.portFree(component.port())) {
        state = "running, listening";
      }
      allUp &= alive;
      System.out.printf(
          "  %-23s pid %-8d port %-6d %s%n",
          component.name(), component.pid(), component.port(), state);
    }
    stack
        .setting("peer.party")
        .map(Registries::peer)
        .ifPresent(
            peer ->
                System.out.printf(
                    "  %-23s %s (%s), party %s: %s%n",
                    "peer registry",
                    peer.id(),
                    peer.name(),
                    peer.party(),
                    String.join(
                        ", ", Registries.PEER_SERVICES.stream().map(peer::component).toList())));
    System.out.printf("  %-23s %s%n", "logs", layout.logs());
    return allUp ? 0 : 3;
  }

  private static String readiness(HttpClient http, int port) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                  .timeout(Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? "ready" : "NOT READY (" + response.statusCode() + ")";
    } catch (IOException e) {
      return "NOT ANSWERING";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
