package org.tanso.registry.unit.domain;

/** Serials {@code start..end} (both included) of one unit identifier. */
public record SerialRange(String unitId, long start, long end) {

  public SerialRange {
    if (unitId == null || unitId.isBlank()) {
      throw new IllegalArgumentException("unitId is required");
    }
    if (start < 1 || end < start) {
      throw new IllegalArgumentException("serial range must satisfy 1 <= start <= end");
    }
  }

  public long quantity() {
    return end - start + 1;
  }

  public boolean overlaps(SerialRange other) {
    return unitId.equals(other.unitId) && start <= other.end && other.start <= end;
  }
}
