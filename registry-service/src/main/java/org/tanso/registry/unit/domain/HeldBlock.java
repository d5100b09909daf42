package org.tanso.registry.unit.domain;

/** An ACTIVE block held by one account, as the planner sees it. */
public record HeldBlock(long id, String unitId, int vintage, long start, long end) {

  public HeldBlock {
    if (start < 1 || end < start) {
      throw new IllegalArgumentException("bad serial range " + start + ".." + end);
    }
  }

  public long quantity() {
    return end - start + 1;
  }
}
