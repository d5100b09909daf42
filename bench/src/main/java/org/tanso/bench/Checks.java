package org.tanso.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What is measured and checked after each load: event lag, invariants, reconciliation, memory. */
final class Checks {

  record Lag(long events, double p50Millis, double p99Millis, double maxMillis) {}

  record Invariants(
      boolean ok,
      boolean reconciliationOk,
      int accountsReconciled,
      JsonNode reconciliationDiscrepancies,
      boolean verificationOk,
      long auditEntries,
      double verificationSeconds,
      List<String> conservationViolations,
      List<String> balanceViolations,
      long creditBlocks,
      long unitsInExistence) {}

  private final LocalStack stack;
  private final Http http = new Http();
  private final String regulator;

  Checks(LocalStack stack) {
    this.stack = stack;
    this.regulator = stack.token("regulator", null, "bench-regulator");
  }

  /**
   * Waits until the audit log holds every event both outboxes have recorded; returns how long that
   * took.
   */
  Duration awaitAuditCaughtUp(Duration timeout) throws SQLException, InterruptedException {
    Instant start = Instant.now();
    Instant deadline = start.plus(timeout);
    while (true) {
      long produced =
          count(stack.database("registry"), "SELECT count(*) FROM outbox_event")
              + count(stack.database("issuance"), "SELECT count(*) FROM outbox_event");
      long audited = count(stack.database("audit"), "SELECT count(*) FROM audit_entry");
      if (audited >= produced) {
        return Duration.between(start, Instant.now());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "the audit log holds "
                + audited
                + " entries, the outboxes "
                + produced
                + " events, after "
                + timeout.toSeconds()
                + " s");
      }
      Thread.sleep(200);
    }
  }

  /**
   * Registry commit to audit entry: the audit entry's recorded time minus the event's occurred
   * time.
   */
  Lag lag(String eventType, Instant from, Instant to) throws SQLException {
    return lagOf(
        "audit",
        "SELECT extract(epoch FROM (CAST(recorded_at AS timestamptz) - occurred_ts)) * 1000 AS lag FROM audit_entry"
            + " WHERE type = ? AND occurred_ts >= ? AND occurred_ts < ?",
        (c, s) -> {
          s.setString(1, eventType);
          s.setTimestamp(2, Timestamp.from(from));
          s.setTimestamp(3, Timestamp.from(to));
        });
  }

  /** Approval to ISSUED for the burst's requests, from issuance-service's own timestamps. */
  Lag approvalToIssued(List<String> requests) throws SQLException {
    return lagOf(
        "issuance",
        "SELECT extract(epoch FROM (completed_at - decided_at)) * 1000 AS lag FROM issuance_request WHERE id = ANY (?) AND status = 'ISSUED'",
        (c, s) -> s.setArray(1, c.createArrayOf("varchar", requests.toArray())));
  }

  /** Binds the parameters of a lag query. */
  private interface Binder {
    void bind(Connection c, PreparedStatement s) throws SQLException;
  }

  /**
   * Count, p50, p99 and max of the {@code lag} column (milliseconds) that {@code lags} selects in
   * {@code service}'s database.
   */
  private Lag lagOf(String service, String lags, Binder binder) throws SQLException {
    String sql =
        "SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY lag), percentile_cont(0.99) WITHIN GROUP (ORDER BY lag), max(lag)"
            + " FROM ("
            + lags
            + ") l";
    try (Connection c = stack.connect(stack.database(service));
        PreparedStatement s = c.prepareStatement(sql)) {
      binder.bind(c, s);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return new Lag(rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4));
      }
    }
  }

  /** Movements of {@code kind} that registry-service committed in [from, to). */
  long committed(String kind, Instant from, Instant to) throws SQLException {
    try (Connection c = stack.connect(stack.database("registry"));
        PreparedStatement s =
            c.prepareStatement(
                "SELECT count(*) FROM registry_transaction WHERE kind = ? AND created_at >= ? AND created_at < ?")) {
      s.setString(1, kind);
      s.setTimestamp(2, Timestamp.from(from));
      s.setTimestamp(3, Timestamp.from(to));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  long requestsIn(List<String> requests, String status) throws SQLException {
    try (Connection c = stack.connect(stack.database("issuance"));
        PreparedStatement s =
            c.prepareStatement(
                "SELECT count(*) FROM issuance_request WHERE id = ANY (?) AND status = ?")) {
      s.setArray(1, c.createArrayOf("varchar", requests.toArray()));
      s.setString(2, status);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * Invariant 1 (issued = active + retired + cancelled, serials 1..N exactly covered), balances
   * equal to the active blocks held, and the regulator's reconciliation and chain verification.
   */
  Invariants invariants() throws SQLException {
    List<String> conservation = new ArrayList<>();
    List<String> balances = new ArrayList<>();
    long blocks;
    long units;
    try (Connection c = stack.connect(stack.database("registry"));
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT u.unit_id, u.quantity, b.total, b.low, b.high FROM unit_issuance u LEFT JOIN"
                  + " (SELECT unit_id, sum(serial_end - serial_start + 1) AS total, min(serial_start) AS low, max(serial_end) AS high"
                  + " FROM credit_block GROUP BY unit_id) b ON b.unit_id = u.unit_id"
                  + " WHERE b.total IS DISTINCT FROM u.quantity OR b.low <> 1 OR b.high <> u.quantity")) {
        while (rs.next()) {
          conservation.add(
              rs.getString(1)
                  + ": issued "
                  + rs.getLong(2)
                  + ", held "
                  + rs.getLong(3)
                  + " in serials "
                  + rs.getLong(4)
                  + ".."
                  + rs.getLong(5));
        }
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT a.number, a.balance, coalesce(b.active, 0) FROM account a LEFT JOIN"
                  + " (SELECT account, sum(serial_end - serial_start + 1) AS active FROM credit_block WHERE state = 'ACTIVE' GROUP BY account) b"
                  + " ON b.account = a.number WHERE a.balance <> coalesce(b.active, 0)")) {
        while (rs.next()) {
          balances.add(
              rs.getString(1) + ": balance " + rs.getLong(2) + ", active units " + rs.getLong(3));
        }
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT count(*), coalesce(sum(serial_end - serial_start + 1), 0) FROM credit_block")) {
        rs.next();
        blocks = rs.getLong(1);
        units = rs.getLong(2);
      }
    }
    JsonNode reconciliation = getOrFailure(stack.auditUrl() + "/audit/reconciliation");
    long started = System.nanoTime();
    JsonNode verification = getOrFailure(stack.auditUrl() + "/audit/verification");
    double verificationSeconds = (System.nanoTime() - started) / 1e9;
    boolean ok =
        conservation.isEmpty()
            && balances.isEmpty()
            && reconciliation.get("ok").asBoolean()
            && verification.get("ok").asBoolean();
    return new Invariants(
        ok,
        reconciliation.get("ok").asBoolean(),
        reconciliation.path("accountsChecked").asInt(),
        reconciliation.has("discrepancies") ? reconciliation.get("discrepancies") : reconciliation,
        verification.get("ok").asBoolean(),
        verification.path("entries").asLong(),
        verificationSeconds,
        conservation,
        balances,
        blocks,
        units);
  }

  /**
   * The regulator's answer, or {"ok": false, "error": ...} when there is none: a check that cannot
   * run has not passed.
   */
  private JsonNode getOrFailure(String url) {
    try {
      return http.get(url, regulator);
    } catch (RuntimeException e) {
      return Http.JSON.createObjectNode().put("ok", false).put("error", e.getMessage());
    }
  }

  /** Resident memory of every service process now and at its peak (VmRSS, VmHWM), in MiB. */
  Map<String, Map<String, Long>> memory() throws IOException {
    Map<String, Map<String, Long>> result = new LinkedHashMap<>();
    for (LocalStack.Component c : stack.components()) {
      Path status = Path.of("/proc", Long.toString(c.pid()), "status");
      if (!Files.exists(status)) {
        continue;
      }
      Map<String, Long> m = new LinkedHashMap<>();
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmRSS:") || line.startsWith("VmHWM:")) {
          long kb = Long.parseLong(line.replaceAll("\\D", ""));
          m.put(line.startsWith("VmRSS:") ? "rssMiB" : "peakRssMiB", kb / 1024);
        }
      }
      result.put(c.name(), m);
    }
    return result;
  }

  private long count(String database, String sql) throws SQLException {
    try (Connection c = stack.connect(database);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
