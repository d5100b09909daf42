package org.tanso.registry.unit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the pure domain rules over generated cases: issuance always splits into parts that
 * sum to the quantity, and the block planner takes exactly the serials DESIGN.md prescribes. The
 * database-backed sequences of movements are {@code org.tanso.registry.RegistryPropertiesTest}. The
 * number of tries per property is jqwik's default (1,000) in the normal run; {@code
 * -Djqwik.tries.default=100000} runs longer.
 */
class DomainPropertiesTest {

  @Property
  void issuancePartsSumToTheQuantity(
      @ForAll @LongRange(min = 1, max = 1_000_000_000_000L) long quantity,
      @ForAll boolean a64,
      @ForAll("tables") List<IssuanceSplit.Share> table) {
    List<IssuanceSplit.Part> parts = IssuanceSplit.split(quantity, a64, table);
    assertEquals(quantity, parts.stream().mapToLong(IssuanceSplit.Part::quantity).sum());
    assertTrue(parts.stream().allMatch(p -> p.quantity() > 0));
    long sop =
        parts.stream()
            .filter(p -> p.kind() == IssuanceSplit.Kind.SHARE_OF_PROCEEDS)
            .mapToLong(IssuanceSplit.Part::quantity)
            .sum();
    long omge =
        parts.stream()
            .filter(p -> p.kind() == IssuanceSplit.Kind.OMGE_CANCELLATION)
            .mapToLong(IssuanceSplit.Part::quantity)
            .sum();
    assertEquals(a64 ? quantity * 5 / 100 : 0, sop);
    assertEquals(a64 ? quantity * 2 / 100 : 0, omge);
    long rest = quantity - sop - omge;
    // every share but the first gets exactly its floored percentage
    for (IssuanceSplit.Part part : parts) {
      if (part.kind() == IssuanceSplit.Kind.ALLOCATION
          && !part.account().equals(table.get(0).account())) {
        BigDecimal percent =
            table.stream()
                .filter(s -> s.account().equals(part.account()))
                .findFirst()
                .orElseThrow()
                .percent();
        assertEquals(
            BigDecimal.valueOf(rest)
                .multiply(percent)
                .divide(BigDecimal.valueOf(100), 0, RoundingMode.FLOOR)
                .longValue(),
            part.quantity());
      }
    }
  }

  /**
   * By quantity, the planner takes exactly what DESIGN.md says, computed here on its own: blocks in
   * order of vintage, unit id and first serial, whole blocks while they fit, the last one from its
   * high end (the sender keeps the low end); refused when the account holds less.
   */
  @Property
  void byQuantityTakesOldestVintageLowestSerialFirstAndSplitsTheLastFromItsHighEnd(
      @ForAll("holdings") List<HeldBlock> held,
      @ForAll @IntRange(min = 1, max = 400) int quantity,
      @ForAll long shuffleSeed) {
    List<HeldBlock> given = new ArrayList<>(held);
    java.util.Collections.shuffle(given, new java.util.Random(shuffleSeed));
    long available = held.stream().mapToLong(b -> b.end() - b.start() + 1).sum();
    Statistics.label("enough").collect(quantity <= available);
    Statistics.label("enough").coverage(check -> check.check(true).percentage(p -> p > 30));
    if (quantity > available) {
      assertEquals(
          "INSUFFICIENT_BALANCE",
          assertThrows(BlockPlanner.Refusal.class, () -> BlockPlanner.byQuantity(given, quantity))
              .code());
      return;
    }
    List<HeldBlock> ordered = new ArrayList<>(held);
    ordered.sort(
        (a, b) ->
            a.vintage() != b.vintage()
                ? Integer.compare(a.vintage(), b.vintage())
                : !a.unitId().equals(b.unitId())
                    ? a.unitId().compareTo(b.unitId())
                    : Long.compare(a.start(), b.start()));
    List<String> expected = new ArrayList<>();
    long needed = quantity;
    for (HeldBlock b : ordered) {
      if (needed == 0) {
        break;
      }
      long size = b.end() - b.start() + 1;
      long first = size <= needed ? b.start() : b.end() - needed + 1;
      expected.add(b.id() + ":" + first + ".." + b.end());
      needed -= b.end() - first + 1;
    }
    List<String> actual =
        BlockPlanner.byQuantity(given, quantity).stream()
            .map(t -> t.block().id() + ":" + t.start() + ".." + t.end())
            .toList();
    assertEquals(expected, actual);
  }

  /**
   * By serial ranges, the planner takes exactly the named serials when all are held ACTIVE, else
   * refuses.
   */
  @Property
  void byRangesTakesExactlyTheNamedSerials(
      @ForAll("holdings") List<HeldBlock> held,
      @ForAll @IntRange(min = 0, max = 3) int unit,
      @ForAll @IntRange(min = 1, max = 300) int start,
      @ForAll @IntRange(min = 0, max = 60) int length,
      @ForAll @IntRange(min = 0, max = 3) int otherUnit,
      @ForAll @IntRange(min = 1, max = 300) int otherStart,
      @ForAll @IntRange(min = 0, max = 3) int inside) {
    // mostly ranges inside held blocks (one or both), else anywhere
    SerialRange first =
        inside >= 1
            ? within(held.get(start % held.size()), start, length)
            : new SerialRange("U" + unit, start, start + length);
    SerialRange other =
        inside >= 2
            ? within(held.get(otherStart % held.size()), otherStart, length / 2)
            : new SerialRange("U" + otherUnit, otherStart, otherStart + length / 2);
    List<SerialRange> ranges = new ArrayList<>(List.of(first));
    boolean overlapping =
        other.unitId().equals(ranges.get(0).unitId())
            && other.start() <= ranges.get(0).end()
            && ranges.get(0).start() <= other.end();
    ranges.add(other);
    Statistics.label("outcome").collect(overlapping ? "overlapping" : "disjoint");
    if (overlapping) {
      assertEquals(
          "MALFORMED_REQUEST",
          assertThrows(BlockPlanner.Refusal.class, () -> BlockPlanner.byRanges(held, ranges))
              .code());
      return;
    }
    java.util.Set<String> requested = new java.util.TreeSet<>();
    for (SerialRange r : ranges) {
      for (long s = r.start(); s <= r.end(); s++) {
        requested.add(r.unitId() + "#" + s);
      }
    }
    java.util.Set<String> heldSerials = new java.util.TreeSet<>();
    for (HeldBlock b : held) {
      for (long s = b.start(); s <= b.end(); s++) {
        heldSerials.add(b.unitId() + "#" + s);
      }
    }
    Statistics.label("held").collect(heldSerials.containsAll(requested));
    Statistics.label("held").coverage(check -> check.check(true).percentage(p -> p > 30));
    if (!heldSerials.containsAll(requested)) {
      assertEquals(
          "UNITS_NOT_HELD",
          assertThrows(BlockPlanner.Refusal.class, () -> BlockPlanner.byRanges(held, ranges))
              .code());
      return;
    }
    java.util.Set<String> taken = new java.util.TreeSet<>();
    for (Take take : BlockPlanner.byRanges(held, ranges)) {
      assertTrue(held.contains(take.block()), "takes only from the given blocks");
      for (long s = take.start(); s <= take.end(); s++) {
        assertTrue(taken.add(take.block().unitId() + "#" + s), "serial taken twice: " + take);
      }
    }
    assertEquals(requested, taken);
  }

  /** A range inside {@code block}, from an offset and a length folded into it. */
  private static SerialRange within(HeldBlock block, int offset, int length) {
    long start = block.start() + offset % block.quantity();
    return new SerialRange(block.unitId(), start, Math.min(block.end(), start + length));
  }

  /**
   * Disjoint ACTIVE blocks of up to four unit identifiers, two vintages, with gaps between them.
   */
  @Provide
  Arbitrary<List<HeldBlock>> holdings() {
    Arbitrary<int[]> piece =
        Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(1, 60),
                Arbitraries.integers().between(0, 6))
            .as((unit, length, gap) -> new int[] {unit, length, gap});
    return piece
        .list()
        .ofMinSize(1)
        .ofMaxSize(20)
        .map(
            pieces -> {
              long[] next = {1, 1, 1, 1};
              List<HeldBlock> blocks = new ArrayList<>();
              long id = 100;
              for (int[] p : pieces) {
                int unit = p[0];
                long first = next[unit] + p[2];
                // unit ids sort against their vintage: U3 and U1 are 2021, U2 and U0 are 2022
                blocks.add(
                    new HeldBlock(
                        id--, "U" + unit, unit % 2 == 1 ? 2021 : 2022, first, first + p[1] - 1));
                next[unit] = first + p[1];
              }
              return blocks;
            });
  }

  @Provide
  Arbitrary<List<IssuanceSplit.Share>> tables() {
    return Arbitraries.integers()
        .between(1, 1000)
        .list()
        .ofMinSize(1)
        .ofMaxSize(6)
        .map(
            weights -> {
              long total = weights.stream().mapToLong(Integer::longValue).sum();
              List<IssuanceSplit.Share> shares = new ArrayList<>();
              BigDecimal assigned = BigDecimal.ZERO;
              for (int i = 0; i < weights.size(); i++) {
                BigDecimal percent =
                    i == weights.size() - 1
                        ? BigDecimal.valueOf(100).subtract(assigned)
                        : BigDecimal.valueOf(weights.get(i) * 100.0 / total)
                            .setScale(2, RoundingMode.FLOOR)
                            .max(new BigDecimal("0.01"));
                assigned = assigned.add(percent);
                shares.add(new IssuanceSplit.Share("ACC-" + i, percent));
              }
              return shares;
            })
        .filter(shares -> IssuanceSplit.allocationProblem(shares) == null);
  }
}
