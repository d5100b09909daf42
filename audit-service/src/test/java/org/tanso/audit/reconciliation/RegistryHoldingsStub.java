package org.tanso.audit.reconciliation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.tanso.events.registry.Block;

/**
 * Stands in for registry-service's {@code GET /holdings} (every block row in every state, paged
 * with {@code limit} and {@code after}, bearer token required), answering what a test says the
 * registry holds. audit-service cannot run registry-service's code, only its contract. Pages are
 * small, so reconciliation follows {@code next} as it must with a real registry.
 */
public class RegistryHoldingsStub implements QuarkusTestResourceLifecycleManager {

  static final String TOKEN = "registry-holdings-stub-token";
  static final int PAGE = 4;

  private static volatile List<Block> holdings = List.of();
  private HttpServer server;

  /** What the registry holds from now on: its block rows. */
  static void holds(List<Block> rows) {
    holdings = List.copyOf(rows);
  }

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext("/holdings", this::answer);
    server.start();
    return Map.of(
        "tanso.audit.registry.url",
        "http://127.0.0.1:" + server.getAddress().getPort(),
        "tanso.audit.registry.token",
        TOKEN,
        // the tests wait until their events are consumed: a real difference need not wait long
        "tanso.audit.reconciliation.settle",
        "PT1S");
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      String query = exchange.getRequestURI().getQuery();
      int after = 0;
      for (String param : query == null ? new String[0] : query.split("&")) {
        if (param.startsWith("after=")) {
          after = Integer.parseInt(param.substring("after=".length()));
        }
      }
      List<Block> rows = holdings;
      ObjectNode page = RegistryEvents.JSON.createObjectNode();
      ArrayNode items = page.putArray("items");
      int end = Math.min(rows.size(), after + PAGE);
      for (Block b : rows.subList(after, end)) {
        items
            .addObject()
            .put("account", b.account())
            .put("serial", b.serial())
            .put("unitId", b.unitId())
            .put("start", b.start())
            .put("end", b.end())
            .put("quantity", b.quantity())
            .put("project", b.unitId().split("-")[2])
            .put("vintage", Integer.parseInt(b.unitId().split("-")[3]))
            .put("state", b.state());
      }
      if (end < rows.size()) {
        page.put("next", String.valueOf(end));
      }
      byte[] body = RegistryEvents.JSON.writeValueAsBytes(page);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }
}
