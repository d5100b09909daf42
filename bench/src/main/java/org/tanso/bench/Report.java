package org.tanso.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** summary.json (machine-readable) and index.html (tables, a chart, links to Gatling's reports). */
final class Report {

  static final double TARGET_RATE = 2000;
  static final double TARGET_P99_MS = 50;
  static final double TARGET_LAG_P99_MS = 250;
  static final double TARGET_BASELINE_RATIO = 0.5;
  static final long TARGET_RSS_MIB = 512;

  private final Path out;
  private final ObjectNode root = Http.JSON.createObjectNode();
  private final ObjectNode scenarios;
  private final Map<String, String> lines = new java.util.HashMap<>();
  private double bestBaseline;

  Report(Path out, String label, String command) {
    this.out = out;
    root.put("label", label);
    root.put("command", command);
    root.put("startedAt", Instant.now().toString());
    ObjectNode machine = root.putObject("machine");
    machine.put("cpus", Runtime.getRuntime().availableProcessors());
    machine.put("cpuModel", cpuModel());
    machine.put("memoryMiB", memoryMiB());
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    machine.put(
        "java",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    machine.put(
        "benchJvm", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
    root.putObject("settings");
    root.putObject("baselines");
    scenarios = root.putObject("scenarios");
  }

  void setting(String key, Object value) {
    ((ObjectNode) root.get("settings")).putPOJO(key, value);
  }

  void versions(Map<String, String> versions) {
    ObjectNode v = ((ObjectNode) root.get("machine")).putObject("versions");
    versions.forEach(v::put);
  }

  void jdbcBaseline(List<JdbcBaseline.Point> points) {
    ObjectNode b = ((ObjectNode) root.get("baselines")).putObject("jdbcTransfer");
    ArrayNode arr = b.putArray("points");
    for (JdbcBaseline.Point p : points) {
      arr.addObject()
          .put("clients", p.clients())
          .put("transfersPerSecond", round(p.transfersPerSecond()))
          .put("transfers", p.transfers());
      bestBaseline = Math.max(bestBaseline, p.transfersPerSecond());
    }
    b.put("bestTransfersPerSecond", round(bestBaseline));
  }

  void kafkaBaseline(KafkaBaseline.Result r) {
    ((ObjectNode) root.get("baselines"))
        .putObject("kafkaProducer")
        .put("acks", "all")
        .put("idempotent", true)
        .put("records", r.records())
        .put("recordBytes", r.recordBytes())
        .put("recordsPerSecond", round(r.recordsPerSecond()))
        .put("megabytesPerSecond", round(r.megabytesPerSecond()));
  }

  void scenario(
      String name,
      Path report,
      GatlingStats stats,
      double offeredPerSecond,
      double sustainedPerSecond,
      Checks.Lag lag,
      Checks.Lag approvals,
      Duration catchUp,
      Checks.Invariants invariants,
      Map<String, Long> peakRss) {
    ObjectNode s = scenarios.putObject(name);
    s.put("gatlingReport", report.resolve("index.html").toString());
    s.put("offeredPerSecond", round(offeredPerSecond));
    s.put("sustainedPerSecond", round(sustainedPerSecond));
    if (bestBaseline > 0 && sustainedPerSecond > 0) {
      s.put("ratioToJdbcBaseline", round(sustainedPerSecond / bestBaseline));
    }
    ObjectNode requests = s.putObject("requests");
    stats.requests().forEach((request, row) -> requests.putPOJO(request, row));
    s.putPOJO("eventLagMillis", lag);
    if (approvals != null) {
      s.putPOJO("approvalToIssuedMillis", approvals);
    }
    s.put("auditCatchUpSecondsAfterLoad", round(catchUp.toMillis() / 1000.0));
    s.putPOJO("invariants", invariants);
    s.putPOJO("peakRssMiB", peakRss);
    GatlingStats.Row all = stats.all();
    lines.put(
        name,
        String.format(
            Locale.ROOT,
            "  %s: offered %.0f/s, sustained %.0f/s; all requests p50 %d ms, p95 %d ms, p99 %d ms, max %d ms, KO %d of %d; event lag p50 %.0f ms, p99 %.0f ms; invariants %s",
            name,
            offeredPerSecond,
            sustainedPerSecond,
            all.p50(),
            all.p95(),
            all.p99(),
            all.max(),
            all.ko(),
            all.total(),
            lag.p50Millis(),
            lag.p99Millis(),
            invariants.ok() ? "hold" : "BROKEN"));
    if (name.equals("transfer-storm")) {
      targets(stats, sustainedPerSecond, lag, invariants, peakRss);
    }
  }

  private void targets(
      GatlingStats stats,
      double sustained,
      Checks.Lag lag,
      Checks.Invariants invariants,
      Map<String, Long> rss) {
    ArrayNode t = root.putArray("targets");
    GatlingStats.Row transfers = stats.requests().get("POST /transfers");
    target(
        t,
        "sustained transfers per second",
        ">= " + (int) TARGET_RATE,
        round(sustained),
        sustained >= TARGET_RATE);
    target(
        t,
        "transfer p99 (ms)",
        "<= " + (int) TARGET_P99_MS,
        transfers.p99(),
        transfers.p99() <= TARGET_P99_MS);
    target(t, "transfer errors", "0", transfers.ko(), transfers.ko() == 0);
    if (bestBaseline > 0) {
      target(
          t,
          "ratio to raw-JDBC baseline",
          ">= " + TARGET_BASELINE_RATIO,
          round(sustained / bestBaseline),
          sustained / bestBaseline >= TARGET_BASELINE_RATIO);
    }
    target(
        t,
        "event lag p99 (ms)",
        "<= " + (int) TARGET_LAG_P99_MS,
        round(lag.p99Millis()),
        lag.p99Millis() <= TARGET_LAG_P99_MS);
    double verification =
        invariants.verificationSeconds() > 0
            ? invariants.auditEntries() / invariants.verificationSeconds()
            : 0;
    target(
        t,
        "audit verification (entries/s, over HTTP, log of " + invariants.auditEntries() + ")",
        ">= 500000",
        round(verification),
        verification >= 500_000);
    long worst =
        rss.entrySet().stream()
            .filter(e -> e.getKey().contains("-service"))
            .mapToLong(Map.Entry::getValue)
            .max()
            .orElse(0);
    target(
        t,
        "largest service peak RSS (MiB)",
        "<= " + TARGET_RSS_MIB,
        worst,
        worst <= TARGET_RSS_MIB);
    target(
        t,
        "invariants after the run",
        "all hold",
        invariants.ok() ? "all hold" : "BROKEN",
        invariants.ok());
  }

  private static void target(ArrayNode t, String what, String goal, Object measured, boolean met) {
    t.addObject()
        .put("target", what)
        .put("goal", goal)
        .putPOJO("measured", measured)
        .put("met", met);
  }

  /**
   * CPU seconds per part during the scenario, the cores' share they used, and CPU milliseconds per
   * successful request.
   */
  void cpu(String scenario, Map<String, Double> used, Duration elapsed, long requests) {
    ObjectNode s = (ObjectNode) scenarios.get(scenario);
    ObjectNode c = s.putObject("cpu");
    c.put("elapsedSeconds", round(elapsed.toMillis() / 1000.0));
    ObjectNode parts = c.putObject("parts");
    double total = 0;
    for (Map.Entry<String, Double> e : used.entrySet()) {
      total += e.getValue();
      parts
          .putObject(e.getKey())
          .put("cpuSeconds", e.getValue())
          .put("coresBusy", round(e.getValue() / Math.max(0.001, elapsed.toMillis() / 1000.0)))
          .put("cpuMillisPerRequest", requests == 0 ? 0 : round(e.getValue() * 1000 / requests));
    }
    c.put("totalCpuSeconds", round(total));
    c.put("totalCpuMillisPerRequest", requests == 0 ? 0 : round(total * 1000 / requests));
  }

  String line(String scenario) {
    return lines.getOrDefault(scenario, scenario);
  }

  void write() throws IOException {
    root.put("finishedAt", Instant.now().toString());
    Files.createDirectories(out);
    String json = Http.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    Files.writeString(out.resolve("summary.json"), json, StandardCharsets.UTF_8);
    Files.writeString(
        out.resolve("index.html"),
        HtmlReport.render(Http.JSON.readTree(json)),
        StandardCharsets.UTF_8);
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .findFirst()
          .map(l -> l.replaceFirst(".*:\\s*", ""))
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static long memoryMiB() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream()
          .filter(l -> l.startsWith("MemTotal"))
          .findFirst()
          .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024)
          .orElse(0L);
    } catch (IOException e) {
      return 0;
    }
  }
}
