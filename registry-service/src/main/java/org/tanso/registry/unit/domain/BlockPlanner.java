package org.tanso.registry.unit.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses which serials a movement takes from an account's ACTIVE blocks. By quantity: oldest
 * vintage and lowest serial first, splitting the last block where needed so that the sender keeps
 * the low end. By serial ranges: exactly the named serials, which must all be held.
 */
public final class BlockPlanner {

  /** Why a plan is impossible; the caller turns it into an error code. */
  public static final class Refusal extends RuntimeException {
    private final String code;

    Refusal(String code, String detail) {
      super(detail);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  public static final Comparator<HeldBlock> TAKE_ORDER =
      Comparator.comparingInt(HeldBlock::vintage)
          .thenComparing(HeldBlock::unitId)
          .thenComparingLong(HeldBlock::start);

  private BlockPlanner() {}

  public static List<Take> byQuantity(List<HeldBlock> active, long quantity) {
    if (quantity <= 0) {
      throw new Refusal("INVALID_QUANTITY", "quantity must be a positive whole number");
    }
    List<HeldBlock> ordered = new ArrayList<>(active);
    ordered.sort(TAKE_ORDER);
    long available = ordered.stream().mapToLong(HeldBlock::quantity).sum();
    if (available < quantity) {
      throw new Refusal(
          "INSUFFICIENT_BALANCE", "requested " + quantity + " units, " + available + " available");
    }
    List<Take> takes = new ArrayList<>();
    long needed = quantity;
    for (HeldBlock block : ordered) {
      if (needed == 0) {
        break;
      }
      if (block.quantity() <= needed) {
        takes.add(new Take(block, block.start(), block.end()));
        needed -= block.quantity();
      } else {
        // the sender keeps the low end of a split block
        takes.add(new Take(block, block.end() - needed + 1, block.end()));
        needed = 0;
      }
    }
    return takes;
  }

  /**
   * @param active the account's ACTIVE blocks that overlap any of the ranges
   */
  public static List<Take> byRanges(List<HeldBlock> active, List<SerialRange> ranges) {
    if (ranges == null || ranges.isEmpty()) {
      throw new Refusal("MALFORMED_REQUEST", "at least one serial range is required");
    }
    for (int i = 0; i < ranges.size(); i++) {
      for (int j = i + 1; j < ranges.size(); j++) {
        if (ranges.get(i).overlaps(ranges.get(j))) {
          throw new Refusal("MALFORMED_REQUEST", "serial ranges overlap each other");
        }
      }
    }
    List<Take> takes = new ArrayList<>();
    for (SerialRange range : ranges) {
      List<HeldBlock> covering =
          active.stream()
              .filter(
                  b ->
                      b.unitId().equals(range.unitId())
                          && b.start() <= range.end()
                          && range.start() <= b.end())
              .sorted(Comparator.comparingLong(HeldBlock::start))
              .toList();
      long next = range.start();
      for (HeldBlock block : covering) {
        if (block.start() > next) {
          break;
        }
        long takeEnd = Math.min(block.end(), range.end());
        takes.add(new Take(block, Math.max(block.start(), next), takeEnd));
        next = takeEnd + 1;
      }
      if (next <= range.end()) {
        throw new Refusal(
            "UNITS_NOT_HELD",
            "serials "
                + range.unitId()
                + " "
                + next
                + ".."
                + range.end()
                + " are not held as ACTIVE units by the sender");
      }
    }
    return takes;
  }
}
