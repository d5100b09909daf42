package org.tanso.issuance.publicproject.domain;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How many units the serial ranges of an event hold per unit identifier: what a retirement or a
 * cancellation adds to the public totals of the issuance each unit id stands for.
 */
public final class UnitCounts {

  /** The serial range [start, end] of one unit id, in the state the event left it in. */
  public record Range(String unitId, long start, long end, String state) {
    public Range {
      if (unitId == null || unitId.isBlank()) {
        throw new IllegalArgumentException("a range without a unit id");
      }
      if (start < 1 || end < start) {
        throw new IllegalArgumentException(
            "serial range " + start + ".." + end + " of " + unitId + " is not a range");
      }
    }

    public long quantity() {
      return end - start + 1;
    }
  }

  private UnitCounts() {}

  /** Units per unit id, in unit id order (the order their counters are locked in). */
  public static SortedMap<String, Long> perUnit(List<Range> ranges) {
    SortedMap<String, Long> counts = new TreeMap<>();
    for (Range range : ranges) {
      counts.merge(range.unitId(), range.quantity(), Long::sum);
    }
    return counts;
  }

  /**
   * Units of a new issuance that were minted CANCELLED: the overall mitigation cancellation of an
   * A6_4 issuance. They are cancelled units of that vintage, as a later cancellation is.
   */
  public static long cancelledAtIssuance(List<Range> minted) {
    return minted.stream()
        .filter(r -> "CANCELLED".equals(r.state()))
        .mapToLong(Range::quantity)
        .sum();
  }
}
