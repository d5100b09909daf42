package org.tanso.issuance.project.domain;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A project's allocation table: every percent above 0, at most four decimals, distinct accounts,
 * summing to exactly 100.
 */
public final class AllocationTable {

  /** One row. */
  public record Row(String account, BigDecimal percent) {}

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private AllocationTable() {}

  /** Null when acceptable, else why not. */
  public static String problem(List<Row> rows) {
    if (rows == null || rows.isEmpty()) {
      return "the allocation table is empty";
    }
    BigDecimal sum = BigDecimal.ZERO;
    Set<String> accounts = new HashSet<>();
    for (Row row : rows) {
      if (row == null || row.account() == null || row.percent() == null) {
        return "every allocation row needs an account and a percent";
      }
      if (row.percent().signum() <= 0) {
        return "every percent must be above 0";
      }
      if (row.percent().stripTrailingZeros().scale() > 4) {
        return "percentages have at most four decimals";
      }
      if (!accounts.add(row.account())) {
        return "account " + row.account() + " appears twice";
      }
      sum = sum.add(row.percent());
    }
    if (sum.compareTo(HUNDRED) != 0) {
      return "percentages sum to " + sum.stripTrailingZeros().toPlainString() + ", not 100";
    }
    return null;
  }
}
