package org.tanso.audit.reconciliation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.tanso.audit.log.domain.HoldingsReplay;
import org.tanso.audit.log.domain.HoldingsReplay.Holding;
import org.tanso.audit.log.domain.UnitConservation;
import org.tanso.audit.log.domain.UnitConservation.Flow;
import org.tanso.audit.log.domain.UnitConservation.Unit;
import org.tanso.http.ApiException;

/**
 * Reconciliation in the three phases of the UN ITL, applied to ourselves: replay the log's credit
 * events into holdings; fetch registry-service's holdings; compare totals per account, then block
 * by block, listing every difference.
 */
@ApplicationScoped
public class ReconciliationService {

  static final String ISSUED = "tanso.registry.CreditsIssued.v1";
  static final String ACQUIRED = "tanso.registry.UnitsAcquired.v1";
  static final String COMPLETED = "tanso.registry.InternationalTransferCompleted.v1";

  /**
   * The events whose blocks place serial ranges, each block as it stands after the event. An
   * international transfer reserves (Proposed: RESERVED), then sends (Completed: TRANSFERRED_OUT)
   * or releases (Terminated: ACTIVE again); the receiving registry gets UnitsAcquired. A
   * FirstTransferRecorded repeats the state its triggering action left, so it changes nothing but
   * must not be missed either. InternationalTransferAnswered is not here: the receiver holds
   * nothing until UnitsAcquired.
   */
  static final List<String> CREDIT_EVENTS =
      List.of(
          ISSUED,
          "tanso.registry.CreditsTransferred.v1",
          "tanso.registry.CreditsRetired.v1",
          "tanso.registry.CreditsCancelled.v1",
          "tanso.registry.InternationalTransferProposed.v1",
          COMPLETED,
          "tanso.registry.InternationalTransferTerminated.v1",
          ACQUIRED,
          "tanso.registry.FirstTransferRecorded.v1");

  /**
   * What the credit events that bring units into or take them out of this registry count for
   * (conservation).
   */
  static final Map<String, Flow> FLOWS =
      Map.of(ISSUED, Flow.ISSUED, ACQUIRED, Flow.ACQUIRED, COMPLETED, Flow.TRANSFERRED_OUT);

  /**
   * One difference between the log's account of holdings and registry-service's ({@code BLOCK},
   * {@code ACCOUNT_TOTAL}), or, {@code UNIT_CONSERVATION}, a unit identifier whose units in the log
   * do not add up: then {@code log} says what came in and went out, {@code registry} what the log
   * has held, both from the log alone.
   */
  public record Discrepancy(
      String kind,
      String account,
      String unitId,
      Long start,
      Long end,
      String log,
      String registry) {}

  /** {@code units}: per unit identifier, what came in, went out and is held, from the log alone. */
  public record Result(
      boolean ok,
      int accountsChecked,
      long entriesReplayed,
      long registryBlocks,
      List<Discrepancy> discrepancies,
      List<Unit> units) {}

  private final AgroalDataSource dataSource;
  private final ObjectMapper mapper;
  private final String registryUrl;
  private final Optional<String> registryToken;
  private final HttpClient http;
  private final Duration timeout;
  private final Duration settle;

  /** First pause before a comparison that differed is repeated; it doubles each time. */
  static final Duration SETTLE_POLL = Duration.ofMillis(250);

  ReconciliationService(
      AgroalDataSource dataSource,
      ObjectMapper mapper,
      @ConfigProperty(name = "tanso.audit.registry.url", defaultValue = "http://127.0.0.1:8081")
          String registryUrl,
      @ConfigProperty(name = "tanso.audit.registry.token") Optional<String> registryToken,
      @ConfigProperty(name = "tanso.audit.registry.timeout", defaultValue = "PT10S")
          Duration timeout,
      @ConfigProperty(name = "tanso.audit.reconciliation.settle", defaultValue = "PT5S")
          Duration settle) {
    this.dataSource = dataSource;
    this.mapper = mapper;
    this.registryUrl = registryUrl.replaceAll("/+$", "");
    this.registryToken = registryToken.filter(t -> !t.isBlank());
    this.timeout = timeout;
    this.settle = settle;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** One comparison of the log with registry-service, as of now. */
  interface Pass {
    Result run() throws SQLException, IOException, InterruptedException;
  }

  public Result reconcile() throws SQLException, IOException, InterruptedException {
    if (registryToken.isEmpty()) {
      throw new ApiException(
          503,
          "RECONCILIATION_UNAVAILABLE",
          "no credentials for registry-service are configured (tanso.audit.registry.token)");
    }
    return settled(this::once, settle, SETTLE_POLL);
  }

  /**
   * Events reach the log a little after registry-service commits them (outbox relay, Kafka, batched
   * append), so a change made just before a comparison shows as a difference that is only in
   * flight. A clean comparison answers at once; otherwise the comparison is repeated until one is
   * clean or the settle time has passed, and only then are the differences of the last comparison
   * reported. A real difference therefore takes the settle time to report. The pause between
   * comparisons doubles (from {@code poll}), so a persistent difference costs a handful of full
   * comparisons, not one every {@code poll}.
   */
  static Result settled(Pass pass, Duration settle, Duration poll)
      throws SQLException, IOException, InterruptedException {
    long deadline = System.nanoTime() + settle.toNanos();
    long pause = Math.max(1, poll.toMillis());
    Result result = pass.run();
    while (!result.ok() && System.nanoTime() < deadline) {
      Thread.sleep(Math.max(1, Math.min(pause, (deadline - System.nanoTime()) / 1_000_000)));
      pause *= 2;
      result = pass.run();
    }
    return result;
  }

  private Result once() throws SQLException, IOException, InterruptedException {
    HoldingsReplay replay = new HoldingsReplay();
    UnitConservation conservation = new UnitConservation();
    long replayed = replay(replay, conservation);
    List<Holding> registry = fetchRegistryHoldings();
    List<Holding> log = replay.blocks();
    return withConservation(
        compare(log, HoldingsReplay.normalise(registry), replayed, registry.size()),
        conservation.summary(log));
  }

  long replay(HoldingsReplay replay) throws SQLException, IOException {
    return replay(replay, new UnitConservation());
  }

  long replay(HoldingsReplay replay, UnitConservation conservation)
      throws SQLException, IOException {
    long count = 0;
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      // Event time, not log order: events keyed by different accounts come over different
      // partitions,
      // so the log may hold B's onward transfer of a serial before A's transfer of it to B. Two
      // movements of one serial are ordered by the sender's row lock, and each event's time is
      // taken
      // after that lock, so event time orders them as the registry committed them. The same holds
      // for
      // international transfers: Proposed, then Completed or Terminated, all under the sending
      // account's lock; UnitsAcquired under the receiving account's lock, before anything it
      // received
      // can move on, and a serial re-acquired after it went out is acquired after it went out.
      // FirstTransferRecorded (keyed by unit id, so on yet another partition) carries its
      // triggering
      // action's time and the very blocks that action left: whichever of the two comes first in a
      // tie, the result is the same.
      try (PreparedStatement q =
          c.prepareStatement(
              "SELECT type, payload FROM audit_entry WHERE type = ANY (?) AND payload_json ORDER BY occurred_ts, seq")) {
        q.setArray(1, c.createArrayOf("varchar", CREDIT_EVENTS.toArray()));
        q.setFetchSize(2_000);
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            if (replayEvent(
                rs.getString(1), mapper.readTree(rs.getString(2)), replay, conservation)) {
              count++;
            }
          }
        }
      } finally {
        c.rollback();
      }
    }
    return count;
  }

  /**
   * Applies one logged event: each of its blocks to the replay, and, for an event that brings units
   * in or takes them out, their quantity to the conservation count. Returns false, changing
   * nothing, for an event that is not a credit event.
   */
  static boolean replayEvent(
      String type, JsonNode payload, HoldingsReplay replay, UnitConservation conservation) {
    if (!CREDIT_EVENTS.contains(type)) {
      return false;
    }
    Flow flow = FLOWS.get(type);
    JsonNode blocks = payload == null ? null : payload.get("blocks");
    if (blocks != null) {
      for (JsonNode b : blocks) {
        String unitId = b.get("unitId").asText();
        long start = b.get("start").asLong();
        long end = b.get("end").asLong();
        replay.apply(unitId, start, end, b.get("account").asText(), b.get("state").asText());
        if (flow != null) {
          conservation.record(flow, unitId, end - start + 1);
        }
      }
    }
    return true;
  }

  private List<Holding> fetchRegistryHoldings() throws IOException, InterruptedException {
    List<Holding> holdings = new ArrayList<>();
    String after = null;
    do {
      String url =
          registryUrl
              + "/holdings?limit=1000"
              + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
      HttpResponse<String> response;
      try {
        response =
            http.send(
                HttpRequest.newBuilder(URI.create(url))
                    .timeout(timeout)
                    .header("Authorization", "Bearer " + registryToken.get())
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
      } catch (IOException unreachable) {
        // refused, reset or timed out: say so, as the non-200 answer below does
        throw new ApiException(
            502,
            "REGISTRY_UNAVAILABLE",
            "registry-service could not be reached for GET /holdings: "
                + unreachable.getClass().getSimpleName());
      }
      if (response.statusCode() != 200) {
        throw new ApiException(
            502,
            "REGISTRY_UNAVAILABLE",
            "registry-service answered GET /holdings with " + response.statusCode());
      }
      JsonNode page = mapper.readTree(response.body());
      for (JsonNode item : page.get("items")) {
        holdings.add(
            new Holding(
                item.get("unitId").asText(),
                item.get("start").asLong(),
                item.get("end").asLong(),
                item.get("account").asText(),
                item.get("state").asText()));
      }
      after = page.hasNonNull("next") ? page.get("next").asText() : null;
    } while (after != null);
    return holdings;
  }

  static Result compare(
      List<Holding> log, List<Holding> registry, long replayed, long registryBlocks) {
    List<Discrepancy> discrepancies = new ArrayList<>();
    Map<String, Map<String, Long>> logTotals = totals(log);
    Map<String, Map<String, Long>> registryTotals = totals(registry);
    TreeSet<String> accounts = new TreeSet<>(logTotals.keySet());
    accounts.addAll(registryTotals.keySet());
    for (String account : accounts) {
      Map<String, Long> l = logTotals.getOrDefault(account, Map.of());
      Map<String, Long> r = registryTotals.getOrDefault(account, Map.of());
      if (!l.equals(r)) {
        discrepancies.add(
            new Discrepancy(
                "ACCOUNT_TOTAL", account, null, null, null, l.toString(), r.toString()));
      }
    }
    Map<String, List<Holding>> logByKey = byAccountAndUnit(log);
    Map<String, List<Holding>> registryByKey = byAccountAndUnit(registry);
    TreeSet<String> keys = new TreeSet<>(logByKey.keySet());
    keys.addAll(registryByKey.keySet());
    for (String key : keys) {
      List<Holding> l = logByKey.getOrDefault(key, List.of());
      List<Holding> r = registryByKey.getOrDefault(key, List.of());
      for (Holding h : l) {
        if (!r.contains(h)) {
          discrepancies.add(
              new Discrepancy(
                  "BLOCK", h.account(), h.unitId(), h.start(), h.end(), h.state(), describe(r, h)));
        }
      }
      for (Holding h : r) {
        if (!l.contains(h)) {
          discrepancies.add(
              new Discrepancy(
                  "BLOCK", h.account(), h.unitId(), h.start(), h.end(), describe(l, h), h.state()));
        }
      }
    }
    return new Result(
        discrepancies.isEmpty(),
        accounts.size(),
        replayed,
        registryBlocks,
        discrepancies,
        List.of());
  }

  /**
   * Adds the per-unit summary and a {@code UNIT_CONSERVATION} discrepancy for each unit that does
   * not add up.
   */
  static Result withConservation(Result compared, List<Unit> units) {
    List<Discrepancy> discrepancies = new ArrayList<>(compared.discrepancies());
    for (Unit u : units) {
      if (!u.conserved()) {
        discrepancies.add(
            new Discrepancy(
                "UNIT_CONSERVATION",
                null,
                u.unitId(),
                null,
                null,
                "issued "
                    + u.issued()
                    + " + acquired "
                    + u.acquired()
                    + " - transferred out "
                    + u.transferredOut()
                    + " = "
                    + u.in(),
                "active "
                    + u.active()
                    + " + reserved "
                    + u.reserved()
                    + " + retired "
                    + u.retired()
                    + " + cancelled "
                    + u.cancelled()
                    + " = "
                    + u.held()));
      }
    }
    return new Result(
        discrepancies.isEmpty(),
        compared.accountsChecked(),
        compared.entriesReplayed(),
        compared.registryBlocks(),
        discrepancies,
        units);
  }

  private static String describe(List<Holding> side, Holding wanted) {
    return side.stream()
        .filter(h -> h.start() <= wanted.end() && wanted.start() <= h.end())
        .map(h -> h.start() + ".." + h.end() + " " + h.state())
        .reduce((a, b) -> a + ", " + b)
        .orElse("absent");
  }

  private static Map<String, Map<String, Long>> totals(List<Holding> holdings) {
    Map<String, Map<String, Long>> totals = new HashMap<>();
    for (Holding h : holdings) {
      totals
          .computeIfAbsent(h.account(), a -> new TreeMap<>())
          .merge(h.state(), h.quantity(), Long::sum);
    }
    return totals;
  }

  private static Map<String, List<Holding>> byAccountAndUnit(List<Holding> holdings) {
    Map<String, List<Holding>> grouped = new LinkedHashMap<>();
    for (Holding h : holdings) {
      grouped
          .computeIfAbsent(
              Objects.requireNonNull(h.account()) + "|" + h.unitId(), k -> new ArrayList<>())
          .add(h);
    }
    return grouped;
  }
}
