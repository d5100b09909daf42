package org.tanso.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

final class Report {
  Report(Path out, String label, String command) {}
  void setting(String k, Object v) {}
  void jdbcBaseline(List<JdbcBaseline.Point> p) {}
  void kafkaBaseline(KafkaBaseline.Result r) {}
  void scenario(String name, Path report, GatlingStats stats, Checks.Lag lag, Checks.Lag approvals, Duration catchUp, Checks.Invariants inv, Map<String, Long> mem) {}
  String line(String s) { return s; }
  void write() {}
}
