package org.tanso.registry.unit.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * How an issuance of N units is cut: for A6_4 first 5 % (floored) share of proceeds and 2 %
 * (floored) overall mitigation cancellation, then the rest by the allocation table, each share
 * floored and the remainder to the first share. The parts always sum to exactly N.
 */
public final class IssuanceSplit {

  public static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  public enum Kind {
    SHARE_OF_PROCEEDS,
    OMGE_CANCELLATION,
    ALLOCATION
  }

  /** One allocation table row. */
  public record Share(String account, BigDecimal percent) {}

  /**
   * A part of the issuance; {@code account} is null for the two deductions (their accounts are the
   * registry's).
   */
  public record Part(Kind kind, String account, long quantity) {}

  private IssuanceSplit() {}

  /** Null when the table is acceptable, else why not. */
  public static String allocationProblem(List<Share> shares) {
    if (shares == null || shares.isEmpty()) {
      return "the allocation table is empty";
    }
    BigDecimal sum = BigDecimal.ZERO;
    for (Share share : shares) {
      if (share == null || share.percent() == null || share.account() == null) {
        return "every allocation row needs an account and a percent";
      }
      if (share.percent().signum() <= 0 || share.percent().compareTo(HUNDRED) > 0) {
        return "every percent must be above 0 and at most 100";
      }
      if (share.percent().stripTrailingZeros().scale() > 4) {
        return "percentages have at most four decimals";
      }
      sum = sum.add(share.percent());
    }
    if (sum.compareTo(HUNDRED) != 0) {
      return "percentages sum to " + sum.stripTrailingZeros().toPlainString() + ", not 100";
    }
    return null;
  }

  public static List<Part> split(long quantity, boolean withDeductions, List<Share> shares) {
    if (quantity <= 0) {
      throw new IllegalArgumentException("quantity must be positive");
    }
    String problem = allocationProblem(shares);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    List<Part> parts = new ArrayList<>();
    long sop = withDeductions ? percentOf(quantity, BigDecimal.valueOf(5)) : 0;
    long omge = withDeductions ? percentOf(quantity, BigDecimal.valueOf(2)) : 0;
    if (sop > 0) {
      parts.add(new Part(Kind.SHARE_OF_PROCEEDS, null, sop));
    }
    if (omge > 0) {
      parts.add(new Part(Kind.OMGE_CANCELLATION, null, omge));
    }
    long rest = quantity - sop - omge;
    long[] amounts = new long[shares.size()];
    long allocated = 0;
    for (int i = 0; i < shares.size(); i++) {
      amounts[i] = percentOf(rest, shares.get(i).percent());
      allocated += amounts[i];
    }
    amounts[0] += rest - allocated;
    for (int i = 0; i < shares.size(); i++) {
      if (amounts[i] > 0) {
        parts.add(new Part(Kind.ALLOCATION, shares.get(i).account(), amounts[i]));
      }
    }
    return parts;
  }

  static long percentOf(long quantity, BigDecimal percent) {
    return BigDecimal.valueOf(quantity)
        .multiply(percent)
        .divide(HUNDRED, 0, RoundingMode.FLOOR)
        .longValueExact();
  }
}
