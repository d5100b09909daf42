package org.tanso.audit.log.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.TreeMap;

/**
 * Rebuilds who holds which serials from the log's credit events alone. A block event says where a
 * serial range is after the event and in which state; applying it overwrites whatever the range was
 * before. The result is compared with registry-service's holdings by {@link #blocks()}, in a form
 * where adjacent ranges of the same account and state are merged.
 */
public final class HoldingsReplay {

  /** A serial range of a unit identifier, its account and state. */
  public record Holding(String unitId, long start, long end, String account, String state) {

    public long quantity() {
      return end - start + 1;
    }
  }

  private record Slot(long end, String account, String state) {}

  private final Map<String, TreeMap<Long, Slot>> units = new HashMap<>();

  /** Sets serials [start, end] of {@code unitId} to {@code account} and {@code state}. */
  public void apply(String unitId, long start, long end, String account, String state) {
    if (start < 1 || end < start) {
      throw new IllegalArgumentException("bad range " + start + ".." + end);
    }
    TreeMap<Long, Slot> slots = units.computeIfAbsent(unitId, u -> new TreeMap<>());
    // cut any slot that overlaps [start, end], keeping its parts outside
    Entry<Long, Slot> before = slots.floorEntry(start);
    if (before != null && before.getValue().end() >= start) {
      split(slots, before.getKey(), before.getValue(), start, end);
    }
    for (Entry<Long, Slot> inside = slots.ceilingEntry(start);
        inside != null && inside.getKey() <= end;
        inside = slots.ceilingEntry(start)) {
      split(slots, inside.getKey(), inside.getValue(), start, end);
    }
    slots.put(start, new Slot(end, account, state));
  }

  private static void split(
      TreeMap<Long, Slot> slots, long slotStart, Slot slot, long start, long end) {
    slots.remove(slotStart);
    if (slotStart < start) {
      slots.put(slotStart, new Slot(start - 1, slot.account(), slot.state()));
    }
    if (slot.end() > end) {
      slots.put(end + 1, new Slot(slot.end(), slot.account(), slot.state()));
    }
  }

  /**
   * Every range, adjacent ranges of the same account and state merged, ordered by unit and serial.
   */
  public List<Holding> blocks() {
    List<Holding> out = new ArrayList<>();
    units.keySet().stream()
        .sorted()
        .forEach(unitId -> out.addAll(merge(unitId, units.get(unitId))));
    return out;
  }

  /** Merges adjacent ranges of the same account and state into one, as {@link #blocks()} does. */
  public static List<Holding> normalise(List<Holding> holdings) {
    HoldingsReplay replay = new HoldingsReplay();
    holdings.forEach(h -> replay.apply(h.unitId(), h.start(), h.end(), h.account(), h.state()));
    return replay.blocks();
  }

  private static List<Holding> merge(String unitId, TreeMap<Long, Slot> slots) {
    List<Holding> merged = new ArrayList<>();
    Holding open = null;
    for (Entry<Long, Slot> e : slots.entrySet()) {
      Slot s = e.getValue();
      if (open != null
          && open.end() + 1 == e.getKey()
          && open.account().equals(s.account())
          && open.state().equals(s.state())) {
        open = new Holding(unitId, open.start(), s.end(), s.account(), s.state());
      } else {
        if (open != null) {
          merged.add(open);
        }
        open = new Holding(unitId, e.getKey(), s.end(), s.account(), s.state());
      }
    }
    if (open != null) {
      merged.add(open);
    }
    return merged;
  }
}
