package org.tanso.audit.log.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.tanso.audit.log.domain.HoldingsReplay.Holding;

/**
 * Conservation of units in one registry, per unit identifier, from the log alone: units come in by
 * issuance here or by acquisition from another registry and go out for good by a completed
 * international transfer; whatever came in and did not go out is held here, spendable or not:
 * {@code issued + acquired - transferredOut = active + reserved + retired + cancelled}. A serial
 * that goes out and is acquired again later counts once as out and once as acquired, so the
 * equation holds however often a serial crosses the border. Ranges in state TRANSFERRED_OUT are
 * still listed under the sending account but are not held; a range in any state this class does not
 * know is not held either, so it shows as a difference.
 */
public final class UnitConservation {

  /** What an event does to the units this registry has. */
  public enum Flow {
    ISSUED,
    ACQUIRED,
    TRANSFERRED_OUT
  }

  /** One unit identifier's account in this registry. */
  public record Unit(
      String unitId,
      long issued,
      long acquired,
      long transferredOut,
      long active,
      long reserved,
      long retired,
      long cancelled) {

    /** Units that came in and did not go out. */
    public long in() {
      return issued + acquired - transferredOut;
    }

    /** Units held here in any state but TRANSFERRED_OUT. */
    public long held() {
      return active + reserved + retired + cancelled;
    }

    public boolean conserved() {
      return in() == held();
    }
  }

  private final Map<String, long[]> flows = new TreeMap<>();

  /** Counts {@code quantity} units of {@code unitId} as issued, acquired or transferred out. */
  public void record(Flow flow, String unitId, long quantity) {
    if (quantity < 0) {
      throw new IllegalArgumentException("negative quantity " + quantity);
    }
    flows.computeIfAbsent(unitId, u -> new long[Flow.values().length])[flow.ordinal()] += quantity;
  }

  /**
   * Every unit identifier that has a flow or a holding, ordered by unit identifier, with what the
   * holdings (as {@link HoldingsReplay#blocks()} gives them) hold of it in each state.
   */
  public List<Unit> summary(List<Holding> holdings) {
    Map<String, long[]> held = new TreeMap<>();
    for (Holding h : holdings) {
      long[] states = held.computeIfAbsent(h.unitId(), u -> new long[4]);
      switch (h.state()) {
        case "ACTIVE" -> states[0] += h.quantity();
        case "RESERVED" -> states[1] += h.quantity();
        case "RETIRED" -> states[2] += h.quantity();
        case "CANCELLED" -> states[3] += h.quantity();
        default -> {
          // TRANSFERRED_OUT: gone from this registry; anything else is not a state units are held
          // in
        }
      }
    }
    TreeSet<String> unitIds = new TreeSet<>(flows.keySet());
    unitIds.addAll(held.keySet());
    List<Unit> units = new ArrayList<>();
    for (String unitId : unitIds) {
      long[] f = flows.getOrDefault(unitId, new long[Flow.values().length]);
      long[] s = held.getOrDefault(unitId, new long[4]);
      units.add(
          new Unit(
              unitId,
              f[Flow.ISSUED.ordinal()],
              f[Flow.ACQUIRED.ordinal()],
              f[Flow.TRANSFERRED_OUT.ordinal()],
              s[0],
              s[1],
              s[2],
              s[3]));
    }
    return units;
  }
}
