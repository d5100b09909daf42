package org.tanso.registry.unit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties of DESIGN.md's invariants over generated cases: issuance always splits into parts that
 * sum to the quantity; any sequence of movements conserves units, never overlaps serials, never
 * drives a balance below zero, and never moves a retired serial. The number of tries per property
 * is jqwik's default (1,000) in the normal run; {@code -Djqwik.tries.default=100000} runs longer.
 */
class RegistryPropertiesTest {

  @Property
  void issuancePartsSumToTheQuantity(@ForAll @LongRange(min = 1, max = 1_000_000_000_000L) long quantity, @ForAll boolean a64,
      @ForAll("tables") List<IssuanceSplit.Share> table) {
    List<IssuanceSplit.Part> parts = IssuanceSplit.split(quantity, a64, table);
    assertEquals(quantity, parts.stream().mapToLong(IssuanceSplit.Part::quantity).sum());
    assertTrue(parts.stream().allMatch(p -> p.quantity() > 0));
    long sop = parts.stream().filter(p -> p.kind() == IssuanceSplit.Kind.SHARE_OF_PROCEEDS).mapToLong(IssuanceSplit.Part::quantity).sum();
    long omge = parts.stream().filter(p -> p.kind() == IssuanceSplit.Kind.OMGE_CANCELLATION).mapToLong(IssuanceSplit.Part::quantity).sum();
    assertEquals(a64 ? quantity * 5 / 100 : 0, sop);
    assertEquals(a64 ? quantity * 2 / 100 : 0, omge);
    long rest = quantity - sop - omge;
    // every share but the first gets exactly its floored percentage
    for (IssuanceSplit.Part part : parts) {
      if (part.kind() == IssuanceSplit.Kind.ALLOCATION && !part.account().equals(table.get(0).account())) {
        BigDecimal percent = table.stream().filter(s -> s.account().equals(part.account())).findFirst().orElseThrow().percent();
        assertEquals(BigDecimal.valueOf(rest).multiply(percent).divide(BigDecimal.valueOf(100), 0, RoundingMode.FLOOR).longValue(), part.quantity());
      }
    }
  }

  @Property
  void movementsConserveUnitsAndNeverOverlapOrOverdraw(@ForAll("operations") List<int[]> operations, @ForAll @IntRange(min = 1, max = 4) int units) {
    Ledger ledger = new Ledger();
    long serialsPerUnit = 1_000;
    for (int u = 0; u < units; u++) {
      // each unit identifier minted into accounts 0..2 in three blocks
      ledger.blocks.add(new Ledger.Row("U" + u, 2020 + u, 1, 400, 0, "ACTIVE"));
      ledger.blocks.add(new Ledger.Row("U" + u, 2020 + u, 401, 700, 1, "ACTIVE"));
      ledger.blocks.add(new Ledger.Row("U" + u, 2020 + u, 701, serialsPerUnit, 2, "ACTIVE"));
    }
    for (int[] op : operations) {
      int from = op[0];
      int to = op[1];
      long quantity = op[2];
      boolean retire = op[3] == 1;
      long before = ledger.active(from);
      List<HeldBlock> held = ledger.heldActive(from);
      if (quantity > before) {
        assertThrows(BlockPlanner.Refusal.class, () -> BlockPlanner.byQuantity(held, quantity));
        continue;
      }
      List<Take> takes = BlockPlanner.byQuantity(held, quantity);
      assertEquals(quantity, takes.stream().mapToLong(Take::quantity).sum());
      ledger.apply(takes, from, retire ? from : to, retire ? "RETIRED" : "ACTIVE");
      long expected = retire || from != to ? before - quantity : before;
      assertEquals(expected, ledger.active(from), "balance of the sender");
      assertTrue(ledger.active(from) >= 0);
    }
    // conservation and no overlap, per unit identifier
    for (int u = 0; u < units; u++) {
      String unit = "U" + u;
      List<Ledger.Row> rows = ledger.blocks.stream().filter(r -> r.unitId.equals(unit)).sorted(Comparator.comparingLong(r -> r.start)).toList();
      long next = 1;
      for (Ledger.Row row : rows) {
        assertEquals(next, row.start, "gap or overlap in " + unit);
        next = row.end + 1;
      }
      assertEquals(serialsPerUnit + 1, next, "units of " + unit + " conserved");
    }
  }

  @Provide
  Arbitrary<List<IssuanceSplit.Share>> tables() {
    return Arbitraries.integers().between(1, 1000).list().ofMinSize(1).ofMaxSize(6).map(weights -> {
      long total = weights.stream().mapToLong(Integer::longValue).sum();
      List<IssuanceSplit.Share> shares = new ArrayList<>();
      BigDecimal assigned = BigDecimal.ZERO;
      for (int i = 0; i < weights.size(); i++) {
        BigDecimal percent = i == weights.size() - 1
            ? BigDecimal.valueOf(100).subtract(assigned)
            : BigDecimal.valueOf(weights.get(i) * 100.0 / total).setScale(2, RoundingMode.FLOOR).max(new BigDecimal("0.01"));
        assigned = assigned.add(percent);
        shares.add(new IssuanceSplit.Share("ACC-" + i, percent));
      }
      return shares;
    }).filter(shares -> IssuanceSplit.allocationProblem(shares) == null);
  }

  @Provide
  Arbitrary<List<int[]>> operations() {
    Arbitrary<int[]> op = Combinators.combine(
            Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 3), Arbitraries.integers().between(1, 600), Arbitraries.integers().between(0, 4))
        .as((from, to, quantity, kind) -> new int[] {from, to, quantity, kind == 0 ? 1 : 0});
    return op.list().ofMaxSize(30);
  }

  /** An in-memory registry with the same split rule as the database code: the taken part moves, the rest stays. */
  static final class Ledger {
    static final class Row {
      final String unitId;
      final int vintage;
      long start;
      long end;
      int account;
      String state;

      Row(String unitId, int vintage, long start, long end, int account, String state) {
        this.unitId = unitId;
        this.vintage = vintage;
        this.start = start;
        this.end = end;
        this.account = account;
        this.state = state;
      }
    }

    final List<Row> blocks = new ArrayList<>();
    private final Map<Long, Row> byId = new HashMap<>();

    long active(int account) {
      return blocks.stream().filter(r -> r.account == account && r.state.equals("ACTIVE")).mapToLong(r -> r.end - r.start + 1).sum();
    }

    List<HeldBlock> heldActive(int account) {
      byId.clear();
      List<HeldBlock> held = new ArrayList<>();
      long id = 0;
      for (Row row : blocks) {
        id++;
        if (row.account == account && row.state.equals("ACTIVE")) {
          byId.put(id, row);
          held.add(new HeldBlock(id, row.unitId, row.vintage, row.start, row.end));
        }
      }
      return held;
    }

    void apply(List<Take> takes, int from, int to, String state) {
      for (Take take : takes) {
        Row row = byId.get(take.block().id());
        assertEquals("ACTIVE", row.state, "only ACTIVE units move");
        long start = row.start;
        long end = row.end;
        row.start = take.start();
        row.end = take.end();
        row.account = to;
        row.state = state;
        if (take.start() > start) {
          blocks.add(new Row(row.unitId, row.vintage, start, take.start() - 1, from, "ACTIVE"));
        }
        if (take.end() < end) {
          blocks.add(new Row(row.unitId, row.vintage, take.end() + 1, end, from, "ACTIVE"));
        }
      }
    }
  }
}
