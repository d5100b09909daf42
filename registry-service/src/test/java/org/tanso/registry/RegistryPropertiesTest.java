package org.tanso.registry;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.registry.RegistryFixture.admin;
import static org.tanso.registry.RegistryFixture.awaitBalance;
import static org.tanso.registry.RegistryFixture.developer;
import static org.tanso.registry.RegistryFixture.holdingAccount;
import static org.tanso.registry.RegistryFixture.participant;
import static org.tanso.registry.RegistryFixture.publish;
import static org.tanso.registry.RegistryFixture.unique;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.tanso.events.issuance.IssuanceApproved;
import org.tanso.registry.account.AccountService;

/**
 * Model-based test of the registry's movements against the running service and its PostgreSQL
 * database. Random sequences of issuances (consumed from the real topic), transfers by quantity and
 * by serial ranges, retirements, cancellations and refused attempts (too many units, serials not
 * held, retired or cancelled serials, another participant's account, the same account) go through
 * the REST API. A model written from DESIGN.md's rules, independently of the production code,
 * predicts each response and the resulting blocks; after every operation the test reads the
 * credit_block and account rows and requires exactly the predicted blocks (unit id, serial range,
 * holding account, state) and balances, no gaps or overlaps per unit id, conserved totals, and
 * every retired or cancelled range unchanged since it stopped.
 *
 * <p>jqwik does not run inside a {@code @QuarkusTest}, so the sequences come from a seeded {@link
 * Random}; the seed is printed and named in every failure. Defaults: 6 sequences of 30 operations;
 * {@code -Dtanso.properties.sequences=N}, {@code -Dtanso.properties.operations=N} run more, {@code
 * -Dtanso.properties.seed=S} repeats a run.
 */
@QuarkusTest
class RegistryPropertiesTest {

  private static final long SEED = Long.getLong("tanso.properties.seed", System.nanoTime());
  private static final int SEQUENCES = Integer.getInteger("tanso.properties.sequences", 6);
  private static final int OPERATIONS = Integer.getInteger("tanso.properties.operations", 30);

  @Inject AgroalDataSource dataSource;
  @Inject AccountService accountService;

  @Test
  void generatedSequencesOfMovementsLeaveTheDatabaseAsTheModelPredicts() throws Exception {
    System.out.printf(
        "RegistryPropertiesTest: seed %d, %d sequences of %d operations (-Dtanso.properties.seed=%d repeats them)%n",
        SEED, SEQUENCES, OPERATIONS, SEED);
    Random random = new Random(SEED);
    String cancellation = accountService.cancellationAccount();
    int succeeded = 0;
    int refused = 0;
    for (int s = 0; s < SEQUENCES; s++) {
      Sequence sequence = new Sequence(random, cancellation, "seed " + SEED + ", sequence " + s);
      sequence.run();
      succeeded += sequence.succeeded;
      refused += sequence.refused;
    }
    System.out.printf(
        "RegistryPropertiesTest: %d operations succeeded, %d were refused as predicted%n",
        succeeded, refused);
    // the generator must exercise both sides, or the run proves little
    assertTrue(
        succeeded > SEQUENCES * OPERATIONS / 5, "too few successful operations: " + succeeded);
    assertTrue(refused > SEQUENCES * OPERATIONS / 10, "too few refused operations: " + refused);
  }

  /** One block as the model holds it. */
  record Row(String unit, int vintage, long start, long end, String account, String state) {
    long size() {
      return end - start + 1;
    }

    boolean overlaps(String otherUnit, long s, long e) {
      return unit.equals(otherUnit) && start <= e && s <= end;
    }

    String key() {
      return unit + " " + start + ".." + end + " " + account + " " + state;
    }
  }

  /** The part start..end of a row that a movement takes. */
  record Cut(Row row, long start, long end) {}

  record Range(String unit, long start, long end) {}

  /** What the model predicts for one request: a refusal (status, code) or the cuts that move. */
  record Outcome(int status, String code, List<Cut> cuts) {
    static Outcome refused(int status, String code) {
      return new Outcome(status, code, List.of());
    }

    static Outcome moves(List<Cut> cuts) {
      return new Outcome(201, null, cuts);
    }
  }

  final class Sequence {
    private final Random random;
    private final String cancellation;
    private final String label;
    private final List<String> participants = new ArrayList<>();
    private final List<String> accounts = new ArrayList<>();
    private final Map<String, String> holderOf = new HashMap<>();
    private final Map<String, Long> issued = new LinkedHashMap<>();
    private final List<Row> rows = new ArrayList<>();

    /** Every range at the moment it was retired or cancelled. */
    private final List<Row> terminal = new ArrayList<>();

    private final List<String> log = new ArrayList<>();
    int succeeded;
    int refused;

    Sequence(Random random, String cancellation, String label) {
      this.random = random;
      this.cancellation = cancellation;
      this.label = label;
    }

    void run() throws Exception {
      for (String party : List.of("VN", "JP")) {
        String participant = participant(party);
        participants.add(participant);
        for (int a = 0; a < 2; a++) {
          String account = holdingAccount(participant);
          accounts.add(account);
          holderOf.put(account, participant);
        }
      }
      int units = 2 + random.nextInt(3);
      for (int u = 0; u < units; u++) {
        String account = pick(accounts);
        int vintage = 2021 + random.nextInt(3);
        long quantity = 20 + random.nextInt(300);
        IssuanceApproved approval =
            RegistryFixture.approval(
                unique("PR"),
                "JCM",
                vintage,
                LocalDate.of(vintage, 1, 1),
                LocalDate.of(vintage, 12, 31),
                quantity,
                Map.of(account, 100),
                null);
        String unit = "JCM-VN-" + approval.project() + "-" + vintage + "-0001";
        long before = active(account);
        publish(approval);
        awaitBalance(account, before + quantity);
        issued.put(unit, quantity);
        rows.add(new Row(unit, vintage, 1, quantity, account, "ACTIVE"));
        log.add("minted " + unit + " 1.." + quantity + " into " + account);
      }
      verify("after the issuances");
      for (int i = 0; i < OPERATIONS; i++) {
        step();
        verify("after operation " + i + ": " + log.get(log.size() - 1));
      }
      for (String account : accounts) {
        assertEquals(
            active(account),
            RegistryFixture.balance(account),
            context("balance read through GET /accounts/" + account));
      }
    }

    private void step() {
      int kind = random.nextInt(100);
      String from = pick(accounts);
      String to = pick(accounts);
      boolean wrongCaller = random.nextInt(15) == 0;
      String caller = wrongCaller ? other(holderOf.get(from)) : holderOf.get(from);
      if (kind < 30) {
        long quantity = 1 + random.nextInt((int) active(from) + 10);
        Outcome expected =
            from.equals(to)
                ? Outcome.refused(400, "SAME_ACCOUNT")
                : wrongCaller ? Outcome.refused(403, "FORBIDDEN") : byQuantity(from, quantity);
        Map<String, Object> body = RegistryFixture.transferBody(from, to, quantity);
        perform(
            "transfer "
                + quantity
                + " "
                + from
                + " -> "
                + to
                + (wrongCaller ? " by " + caller : ""),
            expected,
            RegistryFixture.transfer(developer(caller), body),
            to,
            "ACTIVE");
      } else if (kind < 62) {
        List<Range> ranges = ranges(from);
        Outcome expected =
            from.equals(to)
                ? Outcome.refused(400, "SAME_ACCOUNT")
                : wrongCaller ? Outcome.refused(403, "FORBIDDEN") : byRanges(from, ranges);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", from);
        body.put("to", to);
        body.put(
            "serials",
            ranges.stream()
                .map(r -> Map.of("unitId", r.unit(), "start", r.start(), "end", r.end()))
                .toList());
        perform(
            "transfer " + ranges + " " + from + " -> " + to + (wrongCaller ? " by " + caller : ""),
            expected,
            RegistryFixture.transfer(developer(caller), body),
            to,
            "ACTIVE");
      } else if (kind < 80) {
        long quantity = 1 + random.nextInt((int) active(from) + 5);
        Outcome expected =
            wrongCaller ? Outcome.refused(403, "FORBIDDEN") : byQuantity(from, quantity);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("account", from);
        body.put("quantity", quantity);
        body.put("beneficiary", "Model Ltd");
        body.put("purpose", random.nextBoolean() ? "NDC" : "OIMP");
        body.put("usingParty", "JP");
        perform(
            "retire " + quantity + " of " + from + (wrongCaller ? " by " + caller : ""),
            expected,
            given()
                .auth()
                .oauth2(developer(caller))
                .contentType(ContentType.JSON)
                .body(body)
                .post("/retirements"),
            from,
            "RETIRED");
      } else if (kind < 93) {
        long quantity = 1 + random.nextInt((int) active(from) + 5);
        Outcome expected =
            wrongCaller ? Outcome.refused(403, "FORBIDDEN") : byQuantity(from, quantity);
        Map<String, Object> body =
            Map.of("account", from, "quantity", quantity, "reason", "voluntary cancellation");
        perform(
            "cancel " + quantity + " of " + from + (wrongCaller ? " by " + caller : ""),
            expected,
            given()
                .auth()
                .oauth2(developer(caller))
                .contentType(ContentType.JSON)
                .body(body)
                .post("/cancellations"),
            cancellation,
            "CANCELLED");
      } else {
        // cancelled serials, named from the cancellation account by an administrator: that account
        // never sends
        List<Row> cancelled = terminal.stream().filter(r -> r.state().equals("CANCELLED")).toList();
        if (cancelled.isEmpty()) {
          log.add("(no cancelled serials yet)");
          return;
        }
        Row row = pick(cancelled);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", cancellation);
        body.put("to", to);
        body.put(
            "serials",
            List.of(Map.of("unitId", row.unit(), "start", row.start(), "end", row.end())));
        perform(
            "transfer cancelled " + row.key() + " -> " + to,
            Outcome.refused(422, "ACCOUNT_TYPE_NOT_ALLOWED"),
            RegistryFixture.transfer(admin(), body),
            to,
            "ACTIVE");
      }
    }

    /**
     * Checks the response against the prediction and, on success, applies the predicted cuts to the
     * model.
     */
    private void perform(
        String what, Outcome expected, Response response, String newAccount, String newState) {
      log.add(
          what
              + " => expect "
              + (expected.code() == null
                  ? "201 moving " + expected.cuts().size() + " part(s)"
                  : expected.status() + " " + expected.code()));
      String ctx = context(what);
      assertEquals(
          expected.status(), response.statusCode(), ctx + "; response " + response.asString());
      JsonPath json = response.jsonPath();
      if (expected.code() != null) {
        assertEquals(expected.code(), json.getString("code"), ctx);
        refused++;
        return;
      }
      List<String> predicted = new ArrayList<>();
      for (Cut cut : expected.cuts()) {
        predicted.add(
            new Row(
                    cut.row().unit(),
                    cut.row().vintage(),
                    cut.start(),
                    cut.end(),
                    newAccount,
                    newState)
                .key());
      }
      List<String> answered = new ArrayList<>();
      List<Map<String, Object>> blocks = json.getList("blocks");
      for (Map<String, Object> b : blocks) {
        answered.add(
            b.get("unitId")
                + " "
                + b.get("start")
                + ".."
                + b.get("end")
                + " "
                + b.get("account")
                + " "
                + b.get("state"));
      }
      assertEquals(predicted, answered, ctx + ": the blocks the response names, in order");
      assertEquals(
          expected.cuts().stream().mapToLong(c -> c.end() - c.start() + 1).sum(),
          json.getLong("quantity"),
          ctx);
      apply(expected.cuts(), newAccount, newState);
      succeeded++;
    }

    /**
     * DESIGN.md: oldest vintage, then unit id, then lowest serial first; the last block is split
     * and the sender keeps its low end.
     */
    private Outcome byQuantity(String from, long quantity) {
      if (quantity > active(from)) {
        return Outcome.refused(409, "INSUFFICIENT_BALANCE");
      }
      List<Row> held =
          rows.stream()
              .filter(r -> r.account().equals(from) && r.state().equals("ACTIVE"))
              .sorted(
                  Comparator.comparingInt(Row::vintage)
                      .thenComparing(Row::unit)
                      .thenComparingLong(Row::start))
              .toList();
      List<Cut> cuts = new ArrayList<>();
      long needed = quantity;
      for (Row row : held) {
        if (needed == 0) {
          break;
        }
        long take = Math.min(needed, row.size());
        cuts.add(new Cut(row, row.end() - take + 1, row.end()));
        needed -= take;
      }
      return Outcome.moves(cuts);
    }

    /**
     * Exactly the named serials, all of which the sender must hold ACTIVE; retired ones it holds
     * are named as such.
     */
    private Outcome byRanges(String from, List<Range> ranges) {
      for (int i = 0; i < ranges.size(); i++) {
        for (int j = i + 1; j < ranges.size(); j++) {
          Range a = ranges.get(i);
          Range b = ranges.get(j);
          if (a.unit().equals(b.unit()) && a.start() <= b.end() && b.start() <= a.end()) {
            return Outcome.refused(400, "MALFORMED_REQUEST");
          }
        }
      }
      List<Cut> cuts = new ArrayList<>();
      boolean allHeld = true;
      for (Range range : ranges) {
        List<Row> covering =
            rows.stream()
                .filter(
                    r ->
                        r.account().equals(from)
                            && r.state().equals("ACTIVE")
                            && r.overlaps(range.unit(), range.start(), range.end()))
                .sorted(Comparator.comparingLong(Row::start))
                .toList();
        long next = range.start();
        for (Row row : covering) {
          if (row.start() > next) {
            break;
          }
          long end = Math.min(row.end(), range.end());
          cuts.add(new Cut(row, Math.max(row.start(), next), end));
          next = end + 1;
        }
        allHeld &= next > range.end();
      }
      if (allHeld) {
        return Outcome.moves(cuts);
      }
      boolean inactive =
          rows.stream()
              .anyMatch(
                  r ->
                      r.account().equals(from)
                          && !r.state().equals("ACTIVE")
                          && ranges.stream()
                              .anyMatch(
                                  range -> r.overlaps(range.unit(), range.start(), range.end())));
      return Outcome.refused(409, inactive ? "UNITS_NOT_ACTIVE" : "UNITS_NOT_HELD");
    }

    /**
     * Each cut part changes hands; what is left of its row on either side stays ACTIVE with the
     * sender.
     */
    private void apply(List<Cut> cuts, String newAccount, String newState) {
      Map<Row, List<Cut>> byRow = new LinkedHashMap<>();
      cuts.forEach(c -> byRow.computeIfAbsent(c.row(), r -> new ArrayList<>()).add(c));
      byRow.forEach(
          (row, parts) -> {
            assertTrue(rows.remove(row), "model: the row exists");
            parts.sort(Comparator.comparingLong(Cut::start));
            long next = row.start();
            for (Cut part : parts) {
              if (part.start() > next) {
                rows.add(
                    new Row(
                        row.unit(),
                        row.vintage(),
                        next,
                        part.start() - 1,
                        row.account(),
                        "ACTIVE"));
              }
              Row moved =
                  new Row(
                      row.unit(), row.vintage(), part.start(), part.end(), newAccount, newState);
              rows.add(moved);
              if (!newState.equals("ACTIVE")) {
                terminal.add(moved);
              }
              next = part.end() + 1;
            }
            if (next <= row.end()) {
              rows.add(
                  new Row(row.unit(), row.vintage(), next, row.end(), row.account(), "ACTIVE"));
            }
          });
    }

    /**
     * Ranges to name: mostly inside what the sender holds, sometimes across holders, beyond the
     * issued serials, or retired.
     */
    private List<Range> ranges(String from) {
      List<Range> ranges = new ArrayList<>();
      int count = random.nextInt(4) == 0 ? 2 : 1;
      for (int n = 0; n < count; n++) {
        List<Row> activeHeld =
            rows.stream()
                .filter(r -> r.account().equals(from) && r.state().equals("ACTIVE"))
                .toList();
        List<Row> retiredHeld =
            rows.stream()
                .filter(r -> r.account().equals(from) && r.state().equals("RETIRED"))
                .toList();
        int mode = random.nextInt(10);
        if (mode < 6 && !activeHeld.isEmpty()) {
          Row row = pick(activeHeld);
          long start = row.start() + random.nextInt((int) row.size());
          long end = start + random.nextInt((int) (row.end() - start + 1));
          ranges.add(new Range(row.unit(), start, end));
        } else if (mode < 8 && !retiredHeld.isEmpty()) {
          Row row = pick(retiredHeld);
          ranges.add(new Range(row.unit(), row.start(), row.end()));
        } else {
          String unit = pick(new ArrayList<>(issued.keySet()));
          long start = 1 + random.nextInt((int) (long) issued.get(unit));
          ranges.add(new Range(unit, start, start + random.nextInt(40)));
        }
      }
      return ranges;
    }

    /** The database against the model and against DESIGN.md's invariants. */
    private void verify(String when) throws Exception {
      String ctx = context(when);
      List<Row> stored = new ArrayList<>();
      Map<String, Long> balances = new TreeMap<>();
      try (Connection c = dataSource.getConnection()) {
        Array units = c.createArrayOf("text", issued.keySet().toArray());
        Array numbers = c.createArrayOf("text", accounts.toArray());
        try (PreparedStatement s =
            c.prepareStatement(
                "SELECT unit_id, vintage, serial_start, serial_end, account, state FROM credit_block WHERE unit_id = ANY(?) OR account = ANY(?)")) {
          s.setArray(1, units);
          s.setArray(2, numbers);
          try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
              stored.add(
                  new Row(
                      r.getString(1),
                      r.getInt(2),
                      r.getLong(3),
                      r.getLong(4),
                      r.getString(5),
                      r.getString(6)));
            }
          }
        }
        try (PreparedStatement s =
            c.prepareStatement("SELECT number, balance FROM account WHERE number = ANY(?)")) {
          s.setArray(1, numbers);
          try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
              balances.put(r.getString(1), r.getLong(2));
            }
          }
        }
      }
      // exactly the predicted blocks: unit id, serial range, holding account, state
      assertEquals(
          rows.stream().map(Row::key).sorted().toList(),
          stored.stream().map(Row::key).sorted().toList(),
          ctx + ": blocks");
      // conservation and no overlap: per unit id the stored blocks tile 1..issued exactly
      for (Map.Entry<String, Long> unit : issued.entrySet()) {
        List<Row> ofUnit =
            stored.stream()
                .filter(r -> r.unit().equals(unit.getKey()))
                .sorted(Comparator.comparingLong(Row::start))
                .toList();
        long next = 1;
        for (Row row : ofUnit) {
          assertEquals(
              next, row.start(), ctx + ": gap or overlap in " + unit.getKey() + " at " + row.key());
          next = row.end() + 1;
        }
        assertEquals(
            unit.getValue() + 1,
            next,
            ctx
                + ": "
                + unit.getKey()
                + " holds "
                + (next - 1)
                + " of "
                + unit.getValue()
                + " issued units");
      }
      // balances: the model's, and the sum of the stored ACTIVE blocks
      Map<String, Long> predicted = new TreeMap<>();
      Map<String, Long> activeStored = new TreeMap<>();
      for (String account : accounts) {
        predicted.put(account, active(account));
        activeStored.put(
            account,
            stored.stream()
                .filter(r -> r.account().equals(account) && r.state().equals("ACTIVE"))
                .mapToLong(Row::size)
                .sum());
      }
      assertEquals(predicted, balances, ctx + ": balances");
      assertEquals(activeStored, balances, ctx + ": balances against the ACTIVE blocks held");
      // retired and cancelled serials never move again: each such range is still where and what it
      // became
      for (Row done : terminal) {
        long covered =
            stored.stream()
                .filter(r -> r.overlaps(done.unit(), done.start(), done.end()))
                .peek(
                    r ->
                        assertEquals(
                            done.account() + " " + done.state(),
                            r.account() + " " + r.state(),
                            ctx + ": " + done.key() + " moved"))
                .mapToLong(
                    r -> Math.min(r.end(), done.end()) - Math.max(r.start(), done.start()) + 1)
                .sum();
        assertEquals(done.size(), covered, ctx + ": " + done.key());
      }
    }

    private long active(String account) {
      return rows.stream()
          .filter(r -> r.account().equals(account) && r.state().equals("ACTIVE"))
          .mapToLong(Row::size)
          .sum();
    }

    private String other(String participant) {
      return participants.stream().filter(p -> !p.equals(participant)).findFirst().orElseThrow();
    }

    private <T> T pick(List<T> list) {
      return list.get(random.nextInt(list.size()));
    }

    private String context(String what) {
      List<String> recent = log.subList(Math.max(0, log.size() - 6), log.size());
      return label
          + ", "
          + what
          + " (repeat with -Dtanso.properties.seed="
          + SEED
          + "); last steps: "
          + recent;
    }
  }
}
