package org.tanso.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's index.html: one page, no scripts, an inline SVG chart; Gatling's own reports are
 * linked.
 */
final class HtmlReport {

  private HtmlReport() {}

  static String render(JsonNode r) {
    StringBuilder h = new StringBuilder();
    h.append(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Tanso benchmark</title><style>")
        .append(
            "body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:1em 0}")
        .append(
            "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}")
        .append(".ok{color:#070}.bad{color:#b00;font-weight:bold}</style></head><body>");
    h.append("<h1>Tanso benchmark</h1><p>").append(esc(r.path("label").asText())).append("</p>");
    h.append("<p>")
        .append(esc(r.path("startedAt").asText()))
        .append(" to ")
        .append(esc(r.path("finishedAt").asText()))
        .append("</p>");
    JsonNode m = r.path("machine");
    h.append("<p>Machine: ")
        .append(m.path("cpus").asInt())
        .append(" CPUs (")
        .append(esc(m.path("cpuModel").asText()))
        .append("), ")
        .append(m.path("memoryMiB").asLong())
        .append(" MiB, ")
        .append(esc(m.path("os").asText()))
        .append(", ")
        .append(esc(m.path("java").asText()))
        .append("</p>");
    h.append("<p>Settings: <code>")
        .append(esc(r.path("settings").toString()))
        .append("</code></p>");

    if (r.has("targets")) {
      h.append(
          "<h2>Targets (transfer storm)</h2><table><tr><th>target</th><th>goal</th><th>measured</th><th>met</th></tr>");
      for (JsonNode t : r.get("targets")) {
        boolean met = t.path("met").asBoolean();
        h.append("<tr><td>")
            .append(esc(t.path("target").asText()))
            .append("</td><td>")
            .append(esc(t.path("goal").asText()))
            .append("</td><td>")
            .append(esc(t.path("measured").asText()))
            .append("</td><td class=\"")
            .append(met ? "ok\">yes" : "bad\">no")
            .append("</td></tr>");
      }
      h.append("</table>");
    }

    h.append(
            "<h2>Scenarios</h2><table><tr><th>scenario</th><th>offered/s</th><th>sustained/s</th><th>ratio to JDBC</th><th>request</th><th>count</th><th>KO</th>")
        .append(
            "<th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th><th>event lag p50 ms</th><th>event lag p99 ms</th><th>invariants</th><th>report</th></tr>");
    List<String[]> bars = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : iterable(r.path("scenarios"))) {
      JsonNode s = e.getValue();
      JsonNode requests = s.path("requests");
      boolean first = true;
      for (Map.Entry<String, JsonNode> q : iterable(requests)) {
        if (q.getKey().equals(GatlingStats.ALL) && requests.size() > 2) {
          continue;
        }
        if (q.getKey().equals(GatlingStats.ALL) && requests.size() == 2) {
          continue;
        }
        JsonNode row = q.getValue();
        h.append("<tr><td>")
            .append(first ? esc(e.getKey()) : "")
            .append("</td><td>")
            .append(first ? fmt(s.path("offeredPerSecond").asDouble()) : "")
            .append("</td><td>")
            .append(first ? fmt(s.path("sustainedPerSecond").asDouble()) : "")
            .append("</td><td>")
            .append(
                first && s.has("ratioToJdbcBaseline") ? s.get("ratioToJdbcBaseline").asText() : "")
            .append("</td><td>")
            .append(esc(q.getKey()))
            .append("</td><td>")
            .append(row.path("total").asLong())
            .append("</td><td class=\"")
            .append(row.path("ko").asLong() == 0 ? "ok" : "bad")
            .append("\">")
            .append(row.path("ko").asLong())
            .append("</td><td>")
            .append(row.path("p50").asLong())
            .append("</td><td>")
            .append(row.path("p95").asLong())
            .append("</td><td>")
            .append(row.path("p99").asLong())
            .append("</td><td>")
            .append(row.path("max").asLong())
            .append("</td><td>")
            .append(first ? fmt(s.path("eventLagMillis").path("p50Millis").asDouble()) : "")
            .append("</td><td>")
            .append(first ? fmt(s.path("eventLagMillis").path("p99Millis").asDouble()) : "")
            .append("</td><td>");
        if (first) {
          boolean ok = s.path("invariants").path("ok").asBoolean();
          h.append("<span class=\"").append(ok ? "ok\">hold" : "bad\">BROKEN").append("</span>");
        }
        h.append("</td><td>")
            .append(
                first
                    ? "<a href=\"" + esc(s.path("gatlingReport").asText()) + "\">Gatling</a>"
                    : "")
            .append("</td></tr>");
        first = false;
      }
      bars.add(new String[] {e.getKey(), Double.toString(s.path("sustainedPerSecond").asDouble())});
    }
    h.append("</table>");

    JsonNode jdbc = r.path("baselines").path("jdbcTransfer");
    if (!jdbc.isMissingNode()) {
      h.append(
          "<h2>Physical-limit baselines</h2><table><tr><th>raw-JDBC transfer, clients</th><th>transfers/s</th></tr>");
      for (JsonNode p : jdbc.path("points")) {
        h.append("<tr><td>")
            .append(p.path("clients").asInt())
            .append("</td><td>")
            .append(fmt(p.path("transfersPerSecond").asDouble()))
            .append("</td></tr>");
      }
      h.append("</table>");
      bars.add(
          new String[] {
            "raw-JDBC baseline (best)",
            Double.toString(jdbc.path("bestTransfersPerSecond").asDouble())
          });
      JsonNode k = r.path("baselines").path("kafkaProducer");
      h.append("<p>Kafka producer, acks=all, idempotent: ")
          .append(fmt(k.path("recordsPerSecond").asDouble()))
          .append(" records/s of ")
          .append(k.path("recordBytes").asInt())
          .append(" bytes (")
          .append(k.path("megabytesPerSecond").asText())
          .append(" MB/s)</p>");
    }
    h.append("<h2>Throughput</h2>").append(chart(bars));
    h.append(
        "<h2>Where the CPU went (CPU ms per successful request, and cores busy)</h2><table><tr><th>scenario</th><th>part</th><th>CPU ms/request</th><th>cores busy</th></tr>");
    for (Map.Entry<String, JsonNode> e : iterable(r.path("scenarios"))) {
      boolean first = true;
      for (Map.Entry<String, JsonNode> p : iterable(e.getValue().path("cpu").path("parts"))) {
        h.append("<tr><td>")
            .append(first ? esc(e.getKey()) : "")
            .append("</td><td>")
            .append(esc(p.getKey()))
            .append("</td><td>")
            .append(p.getValue().path("cpuMillisPerRequest").asText())
            .append("</td><td>")
            .append(p.getValue().path("coresBusy").asText())
            .append("</td></tr>");
        first = false;
      }
    }
    h.append("</table>");
    h.append("<h2>Peak resident memory (MiB) after each scenario</h2><table><tr><th>scenario</th>");
    List<String> processes = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : iterable(r.path("scenarios"))) {
      for (Map.Entry<String, JsonNode> p : iterable(e.getValue().path("peakRssMiB"))) {
        if (!processes.contains(p.getKey())) {
          processes.add(p.getKey());
        }
      }
    }
    processes.forEach(p -> h.append("<th>").append(esc(p)).append("</th>"));
    h.append("</tr>");
    for (Map.Entry<String, JsonNode> e : iterable(r.path("scenarios"))) {
      h.append("<tr><td>").append(esc(e.getKey())).append("</td>");
      processes.forEach(
          p ->
              h.append("<td>")
                  .append(e.getValue().path("peakRssMiB").path(p).asLong())
                  .append("</td>"));
      h.append("</tr>");
    }
    h.append(
        "</table><p>Machine-readable: <a href=\"summary.json\">summary.json</a></p></body></html>\n");
    return h.toString();
  }

  private static String chart(List<String[]> bars) {
    double max = bars.stream().mapToDouble(b -> Double.parseDouble(b[1])).max().orElse(1);
    int rowHeight = 26;
    StringBuilder svg = new StringBuilder();
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"")
        .append(bars.size() * rowHeight + 10)
        .append("\" role=\"img\" aria-label=\"throughput per scenario\">");
    for (int i = 0; i < bars.size(); i++) {
      double v = Double.parseDouble(bars.get(i)[1]);
      int width = (int) Math.round(v / max * 420);
      int y = i * rowHeight + 5;
      svg.append("<text x=\"0\" y=\"")
          .append(y + 16)
          .append("\" font-size=\"13\">")
          .append(esc(bars.get(i)[0]))
          .append("</text>");
      svg.append("<rect x=\"200\" y=\"")
          .append(y)
          .append("\" width=\"")
          .append(width)
          .append("\" height=\"20\" fill=\"")
          .append(bars.get(i)[0].startsWith("raw-JDBC") ? "#999" : "#2a7")
          .append("\"/>");
      svg.append("<text x=\"")
          .append(205 + width)
          .append("\" y=\"")
          .append(y + 16)
          .append("\" font-size=\"13\">")
          .append(fmt(v))
          .append("/s</text>");
    }
    return svg.append("</svg>").toString();
  }

  private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
    return node::fields;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
