package org.tanso.registry.unit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlockPlannerTest {

  private static final String JCM_2025 = "JCM-VN-VN001-2025-0003";
  private static final String JCM_2024 = "JCM-VN-VN001-2024-0002";
  private static final String JCM_2023 = "JCM-MN-MN002-2023-0001";
  private static final String A64_2025 = "A6_4-MN-MN003-2025-0001";

  // Expected take order: vintage 2023 first, then 2024 by serial, then 2025 by unit id
  // ("A6_4-..." sorts before "JCM-..."). The ids are deliberately not in that order.
  private static final HeldBlock OLDEST = new HeldBlock(5, JCM_2023, 2023, 10, 19); // 10 units
  private static final HeldBlock Y2024_LOW = new HeldBlock(3, JCM_2024, 2024, 1, 50); // 50 units
  private static final HeldBlock Y2024_HIGH =
      new HeldBlock(2, JCM_2024, 2024, 201, 300); // 100 units
  private static final HeldBlock Y2025_A64 =
      new HeldBlock(4, A64_2025, 2025, 500, 599); // 100 units
  private static final HeldBlock Y2025_JCM = new HeldBlock(1, JCM_2025, 2025, 1, 100); // 100 units
  private static final List<HeldBlock> IN_TAKE_ORDER =
      List.of(OLDEST, Y2024_LOW, Y2024_HIGH, Y2025_A64, Y2025_JCM);
  private static final long HELD = 10 + 50 + 100 + 100 + 100;

  /** Written out independently of the planner: vintage, then unit id, then first serial. */
  private static final Comparator<HeldBlock> OLDEST_FIRST =
      (a, b) -> {
        if (a.vintage() != b.vintage()) {
          return Integer.compare(a.vintage(), b.vintage());
        }
        int byUnit = a.unitId().compareTo(b.unitId());
        return byUnit != 0 ? byUnit : Long.compare(a.start(), b.start());
      };

  private static List<HeldBlock> shuffled(List<HeldBlock> blocks, long seed) {
    List<HeldBlock> copy = new ArrayList<>(blocks);
    Collections.shuffle(copy, new Random(seed));
    return List.copyOf(copy);
  }

  private static long total(List<Take> takes) {
    return takes.stream().mapToLong(Take::quantity).sum();
  }

  private static String refusalCode(Executable plan) {
    return assertThrows(BlockPlanner.Refusal.class, plan).code();
  }

  private static SerialRange range(String unitId, long start, long end) {
    return new SerialRange(unitId, start, end);
  }

  // ---------------------------------------------------------------------------------------------
  // by quantity

  @Test
  void takesOldestVintageThenUnitIdThenLowestSerialWhateverTheGivenOrder() {
    for (long seed = 1; seed <= 25; seed++) {
      List<HeldBlock> given = shuffled(IN_TAKE_ORDER, seed);

      List<Take> takes = BlockPlanner.byQuantity(given, HELD);

      assertEquals(
          IN_TAKE_ORDER, takes.stream().map(Take::block).toList(), "holdings given as " + given);
      assertTrue(
          takes.stream().allMatch(Take::wholeBlock), "taking the whole balance splits nothing");
      assertEquals(HELD, total(takes));
    }
  }

  @Test
  void takesWholeBlocksThenTheHighEndOfTheLastOne() {
    // 10 + 50 + 100 = 160 in whole blocks, then 30 more from the A6_4 block 500..599
    List<Take> takes = BlockPlanner.byQuantity(shuffled(IN_TAKE_ORDER, 42), 190);

    assertEquals(
        List.of(
            new Take(OLDEST, 10, 19),
            new Take(Y2024_LOW, 1, 50),
            new Take(Y2024_HIGH, 201, 300),
            new Take(Y2025_A64, 570, 599)),
        takes);
    assertFalse(takes.get(3).wholeBlock());
    assertEquals(190, total(takes));
  }

  @Test
  void theSenderKeepsTheLowEndOfASplitBlock() {
    HeldBlock block = new HeldBlock(7, JCM_2025, 2025, 1, 100);

    List<Take> takes = BlockPlanner.byQuantity(List.of(block), 30);

    assertEquals(List.of(new Take(block, 71, 100)), takes);
    assertFalse(takes.get(0).wholeBlock());
    assertEquals(30, total(takes));
  }

  @Test
  void splitsTheFirstBlockWhenItAloneIsEnough() {
    assertEquals(
        List.of(new Take(OLDEST, 15, 19)), BlockPlanner.byQuantity(shuffled(IN_TAKE_ORDER, 7), 5));
    assertEquals(
        List.of(new Take(OLDEST, 10, 19)), BlockPlanner.byQuantity(shuffled(IN_TAKE_ORDER, 8), 10));
    assertEquals(
        List.of(new Take(OLDEST, 10, 19), new Take(Y2024_LOW, 50, 50)),
        BlockPlanner.byQuantity(shuffled(IN_TAKE_ORDER, 9), 11));
  }

  @Test
  void theExactBalanceCanBeTaken() {
    HeldBlock a = new HeldBlock(1, JCM_2025, 2025, 1, 60);
    HeldBlock b = new HeldBlock(2, JCM_2025, 2025, 61, 100);

    List<Take> takes = BlockPlanner.byQuantity(List.of(b, a), 100);

    assertEquals(List.of(new Take(a, 1, 60), new Take(b, 61, 100)), takes);
    assertEquals(100, total(takes));
  }

  @Test
  void refusesMoreThanTheBalance() {
    assertEquals(
        "INSUFFICIENT_BALANCE",
        refusalCode(() -> BlockPlanner.byQuantity(shuffled(IN_TAKE_ORDER, 3), HELD + 1)));
    assertEquals("INSUFFICIENT_BALANCE", refusalCode(() -> BlockPlanner.byQuantity(List.of(), 1)));
    assertEquals(
        "INSUFFICIENT_BALANCE",
        refusalCode(() -> BlockPlanner.byQuantity(List.of(OLDEST), Long.MAX_VALUE)));
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1, -100, Long.MIN_VALUE})
  void refusesAQuantityBelowOne(long quantity) {
    assertEquals(
        "INVALID_QUANTITY", refusalCode(() -> BlockPlanner.byQuantity(IN_TAKE_ORDER, quantity)));
    assertEquals(
        "INVALID_QUANTITY", refusalCode(() -> BlockPlanner.byQuantity(List.of(), quantity)));
  }

  @Test
  void randomHoldingsAndQuantities() {
    Random random = new Random(97);
    for (int round = 0; round < 300; round++) {
      List<HeldBlock> held = randomHoldings(random);
      long available = held.stream().mapToLong(HeldBlock::quantity).sum();
      long quantity = 1 + (long) (random.nextDouble() * available);

      List<Take> takes = BlockPlanner.byQuantity(held, quantity);

      assertEquals(quantity, total(takes), "round " + round);
      List<HeldBlock> order = new ArrayList<>(held);
      order.sort(OLDEST_FIRST);
      assertEquals(
          order.subList(0, takes.size()),
          takes.stream().map(Take::block).toList(),
          "blocks must be taken oldest first");
      for (int i = 0; i < takes.size() - 1; i++) {
        assertTrue(takes.get(i).wholeBlock(), "only the last block may be split: " + takes);
      }
      Take last = takes.get(takes.size() - 1);
      assertEquals(last.block().end(), last.end(), "a split block gives away its high end");
      long beforeLast = total(takes) - last.quantity();
      assertTrue(beforeLast < quantity, "no block is taken once the quantity is reached");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // by serial ranges

  @Test
  void takesARangeInsideOneBlock() {
    HeldBlock block = new HeldBlock(1, JCM_2025, 2025, 1, 100);

    List<Take> takes = BlockPlanner.byRanges(List.of(block), List.of(range(JCM_2025, 20, 29)));

    assertEquals(List.of(new Take(block, 20, 29)), takes);
    assertEquals(10, total(takes));
  }

  @Test
  void takesAWholeBlockByItsRange() {
    HeldBlock block = new HeldBlock(1, JCM_2025, 2025, 1, 100);

    List<Take> takes = BlockPlanner.byRanges(List.of(block), List.of(range(JCM_2025, 1, 100)));

    assertEquals(1, takes.size());
    assertTrue(takes.get(0).wholeBlock());
    assertEquals(100, total(takes));
  }

  @Test
  void takesARangeAcrossTwoAdjacentBlocks() {
    HeldBlock low = new HeldBlock(11, JCM_2025, 2025, 1, 50);
    HeldBlock high = new HeldBlock(12, JCM_2025, 2025, 51, 100);

    List<Take> takes = BlockPlanner.byRanges(List.of(high, low), List.of(range(JCM_2025, 40, 60)));

    assertEquals(List.of(new Take(low, 40, 50), new Take(high, 51, 60)), takes);
    assertEquals(21, total(takes));
  }

  @Test
  void takesSeveralRangesFromOneBlock() {
    HeldBlock block = new HeldBlock(1, JCM_2025, 2025, 1, 100);

    List<Take> takes =
        BlockPlanner.byRanges(
            List.of(block), List.of(range(JCM_2025, 50, 59), range(JCM_2025, 10, 19)));

    Set<List<Long>> taken = new HashSet<>();
    takes.forEach(t -> taken.add(List.of(t.start(), t.end())));
    assertEquals(Set.of(List.of(10L, 19L), List.of(50L, 59L)), taken);
    assertEquals(20, total(takes));
  }

  @Test
  void sameSerialsOfDifferentUnitsAreDifferentUnits() {
    HeldBlock y2025 = new HeldBlock(1, JCM_2025, 2025, 1, 100);
    HeldBlock y2024 = new HeldBlock(2, JCM_2024, 2024, 1, 100);

    List<Take> takes =
        BlockPlanner.byRanges(
            List.of(y2025, y2024), List.of(range(JCM_2025, 1, 10), range(JCM_2024, 1, 10)));

    assertEquals(Set.of(new Take(y2025, 1, 10), new Take(y2024, 1, 10)), Set.copyOf(takes));
    assertEquals(20, total(takes));
  }

  @Test
  void refusesARangeWithAGapInTheHoldings() {
    List<HeldBlock> held =
        List.of(new HeldBlock(1, JCM_2025, 2025, 1, 50), new HeldBlock(2, JCM_2025, 2025, 61, 100));

    assertEquals(
        "UNITS_NOT_HELD",
        refusalCode(() -> BlockPlanner.byRanges(held, List.of(range(JCM_2025, 40, 70)))));
    // either side of the gap alone is fine
    assertEquals(11, total(BlockPlanner.byRanges(held, List.of(range(JCM_2025, 40, 50)))));
    assertEquals(10, total(BlockPlanner.byRanges(held, List.of(range(JCM_2025, 61, 70)))));
  }

  @Test
  void refusesARangeReachingPastEitherEndOfTheHoldings() {
    List<HeldBlock> held = List.of(new HeldBlock(1, JCM_2025, 2025, 10, 50));

    assertEquals(
        "UNITS_NOT_HELD",
        refusalCode(() -> BlockPlanner.byRanges(held, List.of(range(JCM_2025, 40, 60)))));
    assertEquals(
        "UNITS_NOT_HELD",
        refusalCode(() -> BlockPlanner.byRanges(held, List.of(range(JCM_2025, 5, 20)))));
    assertEquals(
        "UNITS_NOT_HELD",
        refusalCode(() -> BlockPlanner.byRanges(held, List.of(range(JCM_2025, 51, 60)))));
    assertEquals(
        "UNITS_NOT_HELD",
        refusalCode(() -> BlockPlanner.byRanges(List.of(), List.of(range(JCM_2025, 10, 20)))));
  }

  @Test
  void refusesARangeOfAnotherUnit() {
    List<HeldBlock> held = List.of(new HeldBlock(1, JCM_2025, 2025, 1, 100));

    assertEquals(
        "UNITS_NOT_HELD",
        refusalCode(() -> BlockPlanner.byRanges(held, List.of(range(JCM_2024, 1, 10)))));
    // one good range does not carry a bad one
    assertEquals(
        "UNITS_NOT_HELD",
        refusalCode(
            () ->
                BlockPlanner.byRanges(
                    held, List.of(range(JCM_2025, 1, 10), range(JCM_2024, 1, 10)))));
  }

  @Test
  void refusesOverlappingRanges() {
    List<HeldBlock> held = List.of(new HeldBlock(1, JCM_2025, 2025, 1, 100));

    assertEquals(
        "MALFORMED_REQUEST",
        refusalCode(
            () ->
                BlockPlanner.byRanges(
                    held, List.of(range(JCM_2025, 1, 10), range(JCM_2025, 10, 20)))));
    assertEquals(
        "MALFORMED_REQUEST",
        refusalCode(
            () ->
                BlockPlanner.byRanges(
                    held, List.of(range(JCM_2025, 5, 9), range(JCM_2025, 5, 9)))));
    assertEquals(
        "MALFORMED_REQUEST",
        refusalCode(
            () ->
                BlockPlanner.byRanges(
                    held, List.of(range(JCM_2025, 1, 50), range(JCM_2025, 20, 30)))));
    assertEquals(
        "MALFORMED_REQUEST",
        refusalCode(
            () ->
                BlockPlanner.byRanges(
                    held,
                    List.of(
                        range(JCM_2025, 1, 5), range(JCM_2025, 60, 70), range(JCM_2025, 65, 65)))));
  }

  @Test
  void refusesNoRanges() {
    List<HeldBlock> held = List.of(new HeldBlock(1, JCM_2025, 2025, 1, 100));

    assertEquals("MALFORMED_REQUEST", refusalCode(() -> BlockPlanner.byRanges(held, List.of())));
    assertEquals("MALFORMED_REQUEST", refusalCode(() -> BlockPlanner.byRanges(held, null)));
  }

  @Test
  void randomRangesWithinRandomHoldings() {
    Random random = new Random(6962);
    for (int round = 0; round < 300; round++) {
      List<HeldBlock> held = randomHoldings(random);
      List<SerialRange> ranges = randomHeldRanges(random, held);
      long requested = ranges.stream().mapToLong(SerialRange::quantity).sum();

      List<Take> takes = BlockPlanner.byRanges(held, ranges);

      assertEquals(requested, total(takes), "round " + round + ": " + ranges);
      Set<String> serials = new HashSet<>();
      for (Take take : takes) {
        assertTrue(held.contains(take.block()), "take from a block that is not held: " + take);
        assertTrue(
            ranges.stream()
                .anyMatch(
                    r ->
                        r.unitId().equals(take.block().unitId())
                            && r.start() <= take.start()
                            && take.end() <= r.end()),
            "take outside every requested range: " + take);
        for (long s = take.start(); s <= take.end(); s++) {
          assertTrue(serials.add(take.block().unitId() + "#" + s), "serial taken twice: " + take);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // random data

  /**
   * One to four unit ids, each held as a few non-overlapping blocks, sometimes adjacent, sometimes
   * with gaps.
   */
  private static List<HeldBlock> randomHoldings(Random random) {
    String[] units = {JCM_2023, JCM_2024, JCM_2025, A64_2025};
    int[] vintages = {2023, 2024, 2025, 2025};
    List<HeldBlock> held = new ArrayList<>();
    long id = 1;
    int unitCount = 1 + random.nextInt(units.length);
    for (int u = 0; u < unitCount; u++) {
      long next = 1 + random.nextInt(20);
      int blocks = 1 + random.nextInt(4);
      for (int b = 0; b < blocks; b++) {
        long length = 1 + random.nextInt(60);
        held.add(new HeldBlock(id++, units[u], vintages[u], next, next + length - 1));
        next += length + (random.nextBoolean() ? 0 : 1 + random.nextInt(10));
      }
    }
    Collections.shuffle(held, random);
    return held;
  }

  /** Disjoint ranges that lie entirely in held serials, possibly across adjacent blocks. */
  private static List<SerialRange> randomHeldRanges(Random random, List<HeldBlock> held) {
    // runs of contiguous serials per unit id
    List<HeldBlock> ordered = new ArrayList<>(held);
    ordered.sort(OLDEST_FIRST);
    List<SerialRange> runs = new ArrayList<>();
    for (HeldBlock block : ordered) {
      SerialRange last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
      if (last != null && last.unitId().equals(block.unitId()) && last.end() + 1 == block.start()) {
        runs.set(runs.size() - 1, new SerialRange(last.unitId(), last.start(), block.end()));
      } else {
        runs.add(new SerialRange(block.unitId(), block.start(), block.end()));
      }
    }
    List<SerialRange> ranges = new ArrayList<>();
    for (SerialRange run : runs) {
      if (ranges.isEmpty() || random.nextBoolean()) {
        // one or two disjoint pieces of the run
        long cut = run.start() + (long) (random.nextDouble() * run.quantity());
        long start = run.start() + (long) (random.nextDouble() * (cut - run.start() + 1));
        long end = Math.max(start, Math.min(cut, run.end()));
        ranges.add(new SerialRange(run.unitId(), start, end));
        if (end + 1 < run.end() && random.nextBoolean()) {
          long secondStart = end + 2 + (long) (random.nextDouble() * (run.end() - end - 1));
          if (secondStart <= run.end()) {
            ranges.add(new SerialRange(run.unitId(), secondStart, run.end()));
          }
        }
      }
    }
    Collections.shuffle(ranges, random);
    return ranges;
  }
}
