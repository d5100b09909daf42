package org.tanso.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tanso.bench.scenarios.IssuanceBurst;
import org.tanso.bench.scenarios.RetirementWave;
import org.tanso.bench.scenarios.TransferStorm;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark: baselines first (raw JDBC transfer, Kafka producer), then the scenarios against
 * the running local stack, each followed by the event-lag measurement and the invariant checks.
 * Writes summary.json and index.html (with Gatling's HTML report per scenario) into --out.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks the running local stack (start it with deploy/local/tanso up).")
public final class BenchMain implements Callable<Integer> {

  static final List<String> ALL_SCENARIOS =
      List.of(
          "transfer-storm", "hot-account", "regulator-read", "retirement-wave", "issuance-burst");

  @Option(
      names = "--home",
      defaultValue = ".",
      description = "The Tanso checkout (default: the current directory)")
  Path home;

  @Option(
      names = "--state-dir",
      description = "The local stack's state directory (default: <home>/deploy/local/.run)")
  Path stateDir;

  @Option(
      names = "--out",
      description = "Where the reports go (default: <home>/bench/target/bench)")
  Path out;

  @Option(
      names = "--rate",
      defaultValue = "2000",
      description =
          "Transfers per second to offer in the transfer scenarios (default: ${DEFAULT-VALUE})")
  double rate;

  @Option(
      names = "--duration",
      defaultValue = "60",
      description =
          "Seconds of steady load per scenario, after the ramp (default: ${DEFAULT-VALUE})")
  int duration;

  @Option(
      names = "--ramp",
      defaultValue = "10",
      description = "Seconds of ramp to the rate (default: ${DEFAULT-VALUE})")
  int ramp;

  @Option(
      names = "--warmup",
      defaultValue = "30",
      description =
          "Seconds of unreported transfers first, so that the JIT and caches are warm (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(
      names = "--accounts",
      defaultValue = "200",
      description = "Funded holding accounts, one participant each (default: ${DEFAULT-VALUE})")
  int accounts;

  @Option(
      names = "--units",
      defaultValue = "4000000",
      description = "Units issued to the accounts before the load (default: ${DEFAULT-VALUE})")
  long units;

  @Option(
      names = "--hot-share",
      defaultValue = "0.2",
      description =
          "Share of transfers to the hot account in hot-account (default: ${DEFAULT-VALUE})")
  double hotShare;

  @Option(
      names = "--read-rate",
      defaultValue = "50",
      description =
          "Regulator read sequences per second in regulator-read (default: ${DEFAULT-VALUE})")
  double readRate;

  @Option(
      names = "--retirement-rate",
      defaultValue = "0",
      description = "Retirements per second in retirement-wave (default: the --rate)")
  double retirementRate;

  @Option(
      names = "--burst",
      defaultValue = "1000",
      description = "Issuance requests approved in issuance-burst (default: ${DEFAULT-VALUE})")
  int burst;

  @Option(
      names = "--burst-seconds",
      defaultValue = "5",
      description = "Seconds over which the burst's approvals arrive (default: ${DEFAULT-VALUE})")
  int burstSeconds;

  @Option(
      names = "--scenarios",
      split = ",",
      description = "Scenarios to run (default: all): ${COMPLETION-CANDIDATES}",
      completionCandidates = ScenarioNames.class)
  List<String> scenarios = new ArrayList<>(ALL_SCENARIOS);

  @Option(
      names = "--baseline-seconds",
      defaultValue = "10",
      description =
          "Seconds per client count of the raw-JDBC baseline; 0 skips the baselines (default: ${DEFAULT-VALUE})")
  int baselineSeconds;

  @Option(
      names = "--baseline-clients",
      split = ",",
      defaultValue = "1,4,8,16,32",
      description = "Client counts of the raw-JDBC baseline (default: ${DEFAULT-VALUE})")
  List<Integer> baselineClients;

  @Option(
      names = "--label",
      defaultValue = "",
      description = "Free text recorded with the run, e.g. '2 registry instances'")
  String label;

  static final class ScenarioNames extends ArrayList<String> {
    ScenarioNames() {
      super(ALL_SCENARIOS);
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    home = home.toAbsolutePath().normalize();
    if (retirementRate <= 0) {
      retirementRate = rate;
    }
    for (String s : scenarios) {
      if (!ALL_SCENARIOS.contains(s)) {
        System.err.println(
            "unknown scenario '" + s + "'; one of " + String.join(", ", ALL_SCENARIOS));
        return 2;
      }
    }
    LocalStack stack =
        LocalStack.load(stateDir != null ? stateDir : home.resolve("deploy/local/.run"));
    Path outDir = out != null ? out.toAbsolutePath() : home.resolve("bench/target/bench");
    Report report =
        new Report(
            outDir,
            label,
            String.join(" ", ProcessHandle.current().info().arguments().orElse(new String[0])));
    report.setting("rate", rate);
    report.setting("durationSeconds", duration);
    report.setting("rampSeconds", ramp);
    report.setting("accounts", accounts);
    report.setting("units", units);
    report.setting("registryInstances", stack.registryUrls().size());
    Checks checks = new Checks(stack);
    report.versions(versions(stack));

    if (baselineSeconds > 0) {
      step(
          "raw-JDBC transfer baseline, "
              + baselineClients
              + " clients, "
              + baselineSeconds
              + " s each");
      List<JdbcBaseline.Point> points =
          new JdbcBaseline(stack, home).run(baselineClients, baselineSeconds);
      points.forEach(
          p ->
              System.out.printf(
                  "  %2d clients: %,.0f transfers/s%n", p.clients(), p.transfersPerSecond()));
      report.jdbcBaseline(points);
      step("Kafka producer baseline (acks=all, idempotent)");
      KafkaBaseline.Result kafka =
          new KafkaBaseline(stack).run(500_000, KafkaBaseline.typicalEventBytes());
      System.out.printf(
          "  %,.0f records/s of %d bytes (%.1f MB/s)%n",
          kafka.recordsPerSecond(), kafka.recordBytes(), kafka.megabytesPerSecond());
      report.kafkaBaseline(kafka);
    }

    step(
        "fixture: "
            + accounts
            + " funded accounts, "
            + units
            + " units, "
            + burst
            + " issuance requests waiting");
    Fixture fixture =
        Fixture.create(
            stack,
            accounts,
            Math.max(1, units / accounts),
            scenarios.contains("issuance-burst") ? burst : 0);
    Path fixtureFile = outDir.resolve("fixture.json");
    fixture.save(fixtureFile);
    report.setting("runId", fixture.runId());
    Path gatlingDir = outDir.resolve("gatling");

    if (warmup > 0) {
      step("warm-up: " + warmup + " s of transfers at " + (int) (rate / 2) + "/s (not reported)");
      GatlingRun.run(
          TransferStorm.class,
          "warm-up",
          outDir.resolve("warmup"),
          props(fixtureFile, rate / 2, warmup, 0, Map.of()));
      checks.awaitAuditCaughtUp(Duration.ofMinutes(3));
    }

    boolean allOk = true;
    CpuMeter cpu = new CpuMeter(stack);
    for (String scenario : scenarios) {
      step("scenario " + scenario);
      Map<String, Double> cpuBefore = cpu.snapshot();
      Instant started = Instant.now();
      Path reportDir;
      String eventType;
      switch (scenario) {
        case "transfer-storm" -> {
          reportDir =
              GatlingRun.run(
                  TransferStorm.class,
                  scenario,
                  gatlingDir,
                  props(fixtureFile, rate, duration, ramp, Map.of()));
          eventType = "tanso.registry.CreditsTransferred.v1";
        }
        case "hot-account" -> {
          reportDir =
              GatlingRun.run(
                  TransferStorm.class,
                  scenario,
                  gatlingDir,
                  props(
                      fixtureFile,
                      rate,
                      duration,
                      ramp,
                      Map.of("bench.hotShare", Double.toString(hotShare))));
          eventType = "tanso.registry.CreditsTransferred.v1";
        }
        case "regulator-read" -> {
          reportDir =
              GatlingRun.run(
                  TransferStorm.class,
                  scenario,
                  gatlingDir,
                  props(
                      fixtureFile,
                      rate,
                      duration,
                      ramp,
                      Map.of("bench.readRate", Double.toString(readRate))));
          eventType = "tanso.registry.CreditsTransferred.v1";
        }
        case "retirement-wave" -> {
          reportDir =
              GatlingRun.run(
                  RetirementWave.class,
                  scenario,
                  gatlingDir,
                  props(fixtureFile, retirementRate, duration, ramp, Map.of()));
          eventType = "tanso.registry.CreditsRetired.v1";
        }
        case "issuance-burst" -> {
          reportDir =
              GatlingRun.run(
                  IssuanceBurst.class,
                  scenario,
                  gatlingDir,
                  props(
                      fixtureFile,
                      0,
                      0,
                      0,
                      Map.of("bench.burstSeconds", Integer.toString(burstSeconds))));
          eventType = "tanso.registry.CreditsIssued.v1";
        }
        default -> throw new IllegalStateException(scenario);
      }
      Instant ended = Instant.now();
      Map<String, Double> cpuUsed = CpuMeter.used(cpuBefore, cpu.snapshot());
      Map<String, Long> memory = new LinkedHashMap<>();
      checks.memory().forEach((name, m) -> memory.put(name, m.getOrDefault("peakRssMiB", -1L)));
      Duration catchUp = checks.awaitAuditCaughtUp(Duration.ofMinutes(5));
      Checks.Lag lag = checks.lag(eventType, started, ended);
      Checks.Lag approvals = null;
      if (scenario.equals("issuance-burst")) {
        awaitIssued(checks, fixture.pendingRequests());
        approvals = checks.approvalToIssued(fixture.pendingRequests());
      }
      Checks.Invariants invariants = checks.invariants();
      allOk &= invariants.ok();
      GatlingStats stats = GatlingStats.read(reportDir);
      double offered =
          switch (scenario) {
            case "retirement-wave" -> retirementRate;
            case "issuance-burst" -> burst / (double) burstSeconds;
            default -> rate;
          };
      // sustained: what the registry committed per second over the steady part of the load
      Instant steadyFrom = started.plusSeconds(ramp);
      Instant steadyTo = steadyFrom.plusSeconds(duration);
      double sustained =
          switch (scenario) {
            case "retirement-wave" ->
                checks.committed("RETIREMENT", steadyFrom, steadyTo) / (double) duration;
            case "issuance-burst" ->
                approvals == null
                    ? 0
                    : approvals.events()
                        / Math.max(0.001, Duration.between(started, ended).toMillis() / 1000.0);
            default -> checks.committed("TRANSFER", steadyFrom, steadyTo) / (double) duration;
          };
      report.scenario(
          scenario,
          outDir.relativize(reportDir),
          stats,
          offered,
          sustained,
          lag,
          approvals,
          catchUp,
          invariants,
          memory);
      report.cpu(scenario, cpuUsed, Duration.between(started, ended), stats.all().ok());
      System.out.println(report.line(scenario));
      report.write();
    }
    report.write();
    System.out.println(
        "Report: "
            + outDir.resolve("index.html")
            + "   summary: "
            + outDir.resolve("summary.json"));
    if (!allOk) {
      System.err.println("FAILED: an invariant did not hold after a run (see summary.json)");
      return 1;
    }
    return 0;
  }

  /**
   * Versions of what the run measured: the stack's PostgreSQL server, the services' build, the load
   * tools.
   */
  private static Map<String, String> versions(LocalStack stack) throws Exception {
    Map<String, String> v = new LinkedHashMap<>();
    try (java.sql.Connection c = stack.connect("postgres");
        java.sql.ResultSet rs = c.createStatement().executeQuery("SHOW server_version")) {
      rs.next();
      v.put("postgresql", rs.getString(1));
    }
    java.util.Properties p = new java.util.Properties();
    try (java.io.InputStream in =
        BenchMain.class.getResourceAsStream("/bench-versions.properties")) {
      p.load(in);
    }
    p.stringPropertyNames().stream().sorted().forEach(k -> v.put(k, p.getProperty(k)));
    try (java.sql.Connection c = stack.connect(stack.database("registry"));
        java.sql.ResultSet rs = c.createStatement().executeQuery("SHOW synchronous_commit")) {
      rs.next();
      v.put("postgresql synchronous_commit", rs.getString(1));
    }
    try (java.sql.Connection c = stack.connect(stack.database("registry"));
        java.sql.ResultSet rs = c.createStatement().executeQuery("SHOW fsync")) {
      rs.next();
      v.put("postgresql fsync", rs.getString(1));
    }
    return v;
  }

  private static void awaitIssued(Checks checks, List<String> requests) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (checks.requestsIn(requests, "ISSUED") + checks.requestsIn(requests, "FAILED")
        < requests.size()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "issuance burst: not every approved request ended within 5 minutes");
      }
      Thread.sleep(200);
    }
  }

  private static Map<String, String> props(
      Path fixture, double rate, int duration, int ramp, Map<String, String> extra) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("bench.fixture", fixture.toString());
    p.put("bench.rate", Double.toString(rate));
    p.put("bench.durationSeconds", Integer.toString(duration));
    p.put("bench.rampSeconds", Integer.toString(ramp));
    p.putAll(extra);
    return p;
  }

  private static void step(String what) {
    System.out.println("== " + Instant.now() + "  " + what);
  }
}
