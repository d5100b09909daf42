package org.tanso.registry.unit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tanso.registry.unit.domain.IssuanceSplit.Kind;
import org.tanso.registry.unit.domain.IssuanceSplit.Part;
import org.tanso.registry.unit.domain.IssuanceSplit.Share;

class IssuanceSplitTest {

  private static final String A = "VN-100-000015-06";
  private static final String B = "VN-200-000003-90";
  private static final String C = "JP-200-000004-63";

  private static final long[] QUANTITIES = {1, 7, 99, 100, 1_000_003};

  private static final Map<String, List<Share>> TABLES = new LinkedHashMap<>();

  static {
    TABLES.put("100", List.of(share(A, "100")));
    TABLES.put("60/40", List.of(share(A, "60"), share(B, "40")));
    TABLES.put("50/30/20", List.of(share(A, "50"), share(B, "30"), share(C, "20")));
    TABLES.put(
        "33.33/33.33/33.34", List.of(share(A, "33.33"), share(B, "33.33"), share(C, "33.34")));
    TABLES.put("1/99", List.of(share(A, "1"), share(B, "99")));
  }

  private static Share share(String account, String percent) {
    return new Share(account, new BigDecimal(percent));
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (long quantity : QUANTITIES) {
      for (boolean withDeductions : new boolean[] {false, true}) {
        TABLES.forEach((name, table) -> cases.add(Arguments.of(quantity, withDeductions, name)));
      }
    }
    return cases.stream();
  }

  /**
   * The split as the design states it, in plain long arithmetic: percentages are taken in
   * hundredths of a percent (all tables here have at most two decimals), so a share of {@code rest}
   * is {@code floor(rest * hundredths / 10000)}.
   */
  private static List<Part> expectedSplit(
      long quantity, boolean withDeductions, List<Share> table) {
    List<Part> parts = new ArrayList<>();
    long sop = withDeductions ? quantity * 5 / 100 : 0;
    long omge = withDeductions ? quantity * 2 / 100 : 0;
    if (sop > 0) {
      parts.add(new Part(Kind.SHARE_OF_PROCEEDS, null, sop));
    }
    if (omge > 0) {
      parts.add(new Part(Kind.OMGE_CANCELLATION, null, omge));
    }
    long rest = quantity - sop - omge;
    long[] amounts = new long[table.size()];
    long floors = 0;
    for (int i = 0; i < table.size(); i++) {
      long hundredths = table.get(i).percent().movePointRight(2).longValueExact();
      amounts[i] = rest * hundredths / 10_000;
      floors += amounts[i];
    }
    long remainder = rest - floors;
    assertTrue(
        remainder >= 0 && remainder < table.size(),
        "flooring n shares loses less than n units, lost " + remainder);
    amounts[0] += remainder;
    for (int i = 0; i < table.size(); i++) {
      if (amounts[i] > 0) {
        parts.add(new Part(Kind.ALLOCATION, table.get(i).account(), amounts[i]));
      }
    }
    return parts;
  }

  private static int rank(Kind kind) {
    return switch (kind) {
      case SHARE_OF_PROCEEDS -> 0;
      case OMGE_CANCELLATION -> 1;
      case ALLOCATION -> 2;
    };
  }

  @ParameterizedTest(name = "{0} units, deductions {1}, table {2}")
  @MethodSource("cases")
  void splitsByTheTableAfterTheDeductions(long quantity, boolean withDeductions, String tableName) {
    List<Share> table = TABLES.get(tableName);

    List<Part> parts = IssuanceSplit.split(quantity, withDeductions, table);

    assertEquals(
        quantity,
        parts.stream().mapToLong(Part::quantity).sum(),
        "parts must sum to exactly the issued quantity");
    for (Part part : parts) {
      assertTrue(part.quantity() > 0, "zero or negative part " + part);
    }
    for (int i = 1; i < parts.size(); i++) {
      assertTrue(
          rank(parts.get(i - 1).kind()) <= rank(parts.get(i).kind()),
          "order must be SOP, OMGE, allocation: " + parts);
    }

    long sop =
        parts.stream()
            .filter(p -> p.kind() == Kind.SHARE_OF_PROCEEDS)
            .mapToLong(Part::quantity)
            .sum();
    long omge =
        parts.stream()
            .filter(p -> p.kind() == Kind.OMGE_CANCELLATION)
            .mapToLong(Part::quantity)
            .sum();
    if (withDeductions) {
      assertEquals(quantity * 5 / 100, sop, "share of proceeds is 5 % rounded down");
      assertEquals(quantity * 2 / 100, omge, "OMGE is 2 % rounded down");
    } else {
      assertEquals(0, sop, "no share of proceeds without deductions");
      assertEquals(0, omge, "no OMGE without deductions");
    }
    parts.stream()
        .filter(p -> p.kind() != Kind.ALLOCATION)
        .forEach(p -> assertNull(p.account(), "deductions name no account: " + p));

    assertEquals(expectedSplit(quantity, withDeductions, table), parts);
  }

  @Test
  void sixtyFortyOfAMillionAndThreeWithDeductions() {
    // 5 % of 1_000_003 = 50_000.15 -> 50_000; 2 % = 20_000.06 -> 20_000; rest 930_003
    // 60 % of the rest = 558_001.8 -> 558_001; 40 % = 372_001.2 -> 372_001; together 930_002,
    // so the first share gets the one unit left over: 558_002
    List<Part> parts = IssuanceSplit.split(1_000_003, true, TABLES.get("60/40"));

    assertEquals(
        List.of(
            new Part(Kind.SHARE_OF_PROCEEDS, null, 50_000),
            new Part(Kind.OMGE_CANCELLATION, null, 20_000),
            new Part(Kind.ALLOCATION, A, 558_002),
            new Part(Kind.ALLOCATION, B, 372_001)),
        parts);
  }

  @Test
  void thirdsOfAMillionAndThreeWithoutDeductions() {
    // 33.33 % of 1_000_003 = 333_300.9999 -> 333_300 (twice); 33.34 % = 333_401.0002 -> 333_401;
    // together 1_000_001, the two units left over go to the first share
    List<Part> parts = IssuanceSplit.split(1_000_003, false, TABLES.get("33.33/33.33/33.34"));

    assertEquals(
        List.of(
            new Part(Kind.ALLOCATION, A, 333_302),
            new Part(Kind.ALLOCATION, B, 333_300),
            new Part(Kind.ALLOCATION, C, 333_401)),
        parts);
  }

  @Test
  void thirdsOfNinetyNineWithDeductions() {
    // 5 % of 99 = 4.95 -> 4; 2 % = 1.98 -> 1; rest 94; 33.33 % = 31.3302 -> 31; 33.34 % = 31.3396
    // -> 31
    List<Part> parts = IssuanceSplit.split(99, true, TABLES.get("33.33/33.33/33.34"));

    assertEquals(
        List.of(
            new Part(Kind.SHARE_OF_PROCEEDS, null, 4),
            new Part(Kind.OMGE_CANCELLATION, null, 1),
            new Part(Kind.ALLOCATION, A, 32),
            new Part(Kind.ALLOCATION, B, 31),
            new Part(Kind.ALLOCATION, C, 31)),
        parts);
  }

  @Test
  void sevenUnitsFiftyThirtyTwenty() {
    // 3.5 -> 3, 2.1 -> 2, 1.4 -> 1; one unit left over for the first share
    assertEquals(
        List.of(
            new Part(Kind.ALLOCATION, A, 4),
            new Part(Kind.ALLOCATION, B, 2),
            new Part(Kind.ALLOCATION, C, 1)),
        IssuanceSplit.split(7, false, TABLES.get("50/30/20")));
  }

  @Test
  void hundredUnitsWithDeductionsToOneAccount() {
    assertEquals(
        List.of(
            new Part(Kind.SHARE_OF_PROCEEDS, null, 5),
            new Part(Kind.OMGE_CANCELLATION, null, 2),
            new Part(Kind.ALLOCATION, A, 93)),
        IssuanceSplit.split(100, true, TABLES.get("100")));
  }

  @Test
  void aSingleUnitGoesToTheFirstShareAndNoEmptyPartIsMade() {
    // 1 % and 99 % of one unit both floor to 0; the remainder rule gives the unit to the first row
    assertEquals(
        List.of(new Part(Kind.ALLOCATION, A, 1)),
        IssuanceSplit.split(1, false, TABLES.get("1/99")));
    // deductions of one unit floor to 0 and are left out
    assertEquals(
        List.of(new Part(Kind.ALLOCATION, A, 1)),
        IssuanceSplit.split(1, true, TABLES.get("60/40")));
  }

  @Test
  void randomTablesAndQuantitiesAlwaysAddUp() {
    Random random = new Random(20260301L);
    for (int round = 0; round < 500; round++) {
      int rows = 1 + random.nextInt(6);
      // rows positive hundredths of a percent that sum to 10_000
      long[] hundredths = new long[rows];
      long left = 10_000;
      for (int i = 0; i < rows - 1; i++) {
        long most = left - (rows - 1 - i);
        hundredths[i] = 1 + (long) (random.nextDouble() * most * 0.6);
        hundredths[i] = Math.min(hundredths[i], most);
        left -= hundredths[i];
      }
      hundredths[rows - 1] = left;
      List<Share> table = new ArrayList<>();
      for (int i = 0; i < rows; i++) {
        assertTrue(hundredths[i] > 0);
        table.add(new Share("ACC-" + i, BigDecimal.valueOf(hundredths[i], 2)));
      }
      assertNull(IssuanceSplit.allocationProblem(table), "random table should be valid: " + table);
      long quantity = 1 + (long) (random.nextDouble() * 5_000_000);
      boolean withDeductions = random.nextBoolean();

      List<Part> parts = IssuanceSplit.split(quantity, withDeductions, table);

      assertEquals(
          expectedSplit(quantity, withDeductions, table),
          parts,
          "quantity " + quantity + " table " + table);
      assertEquals(quantity, parts.stream().mapToLong(Part::quantity).sum());
    }
  }

  @Test
  void refusesNonPositiveQuantitiesAndBadTables() {
    assertThrows(
        IllegalArgumentException.class, () -> IssuanceSplit.split(0, false, TABLES.get("100")));
    assertThrows(
        IllegalArgumentException.class, () -> IssuanceSplit.split(-5, true, TABLES.get("100")));
    assertThrows(IllegalArgumentException.class, () -> IssuanceSplit.split(10, false, List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> IssuanceSplit.split(10, false, List.of(share(A, "60"), share(B, "30"))));
  }

  static Stream<Arguments> badTables() {
    return Stream.of(
        Arguments.of("null table", null),
        Arguments.of("empty table", List.of()),
        Arguments.of("percent 0", List.of(share(A, "0"), share(B, "100"))),
        Arguments.of("negative percent", List.of(share(A, "-10"), share(B, "110"))),
        Arguments.of("above 100", List.of(share(A, "100.01"))),
        Arguments.of("sum 99.99", List.of(share(A, "50"), share(B, "49.99"))),
        Arguments.of("sum 100.01", List.of(share(A, "50"), share(B, "50.01"))),
        Arguments.of("sum 200", List.of(share(A, "100"), share(B, "100"))),
        Arguments.of("null row", Arrays.asList(share(A, "100"), null)),
        Arguments.of("null percent", List.of(new Share(A, null))),
        Arguments.of("null account", List.of(new Share(null, new BigDecimal("100")))),
        Arguments.of(
            "five decimals",
            List.of(share(A, "33.33333"), share(B, "33.33333"), share(C, "33.33334"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTables")
  void namesTheProblemOfABadTable(String name, List<Share> table) {
    assertNotNull(IssuanceSplit.allocationProblem(table), name);
  }

  static Stream<Arguments> goodTables() {
    List<Arguments> tables = new ArrayList<>();
    TABLES.forEach((name, table) -> tables.add(Arguments.of(name, table)));
    tables.add(Arguments.of("100.00", List.of(share(A, "100.00"))));
    tables.add(
        Arguments.of(
            "four decimals",
            List.of(share(A, "33.3333"), share(B, "33.3333"), share(C, "33.3334"))));
    tables.add(Arguments.of("trailing zeros", List.of(share(A, "60.000000"), share(B, "40"))));
    return tables.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goodTables")
  void acceptsATableSummingToOneHundred(String name, List<Share> table) {
    assertNull(IssuanceSplit.allocationProblem(table), name);
  }

  @Test
  void percentOfRoundsDown() {
    assertEquals(50_000, IssuanceSplit.percentOf(1_000_003, new BigDecimal("5")));
    assertEquals(0, IssuanceSplit.percentOf(49, new BigDecimal("2")));
    assertEquals(1, IssuanceSplit.percentOf(50, new BigDecimal("2")));
    assertEquals(31, IssuanceSplit.percentOf(94, new BigDecimal("33.34")));
  }
}
