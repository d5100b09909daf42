package org.tanso.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GatlingStatsTest {

  @Test
  void readsTheStatisticsTableOfAGatlingReport() throws IOException {
    String html;
    try (InputStream in = getClass().getResourceAsStream("/gatling-statistics-table.html")) {
      html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    GatlingStats stats = GatlingStats.parse(html);

    assertEquals(2, stats.requests().size());
    GatlingStats.Row transfers = stats.requests().get("POST /transfers");
    assertEquals(
        new GatlingStats.Row(6315, 6315, 0, 185.74, 17, 8412, 10632, 12117, 12851, 13580, 7558),
        transfers);
    assertEquals(transfers, stats.all());
  }

  @Test
  void aPageWithoutTheTableIsRefused() {
    assertThrows(
        IllegalStateException.class,
        () -> GatlingStats.parse("<html><body>no report</body></html>"));
  }
}
