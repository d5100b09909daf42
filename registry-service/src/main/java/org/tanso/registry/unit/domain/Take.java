package org.tanso.registry.unit.domain;

/**
 * The part {@code start..end} of {@code block} that a movement takes; the rest stays where it is.
 */
public record Take(HeldBlock block, long start, long end) {

  public Take {
    if (start < block.start() || end > block.end() || end < start) {
      throw new IllegalArgumentException("take outside its block");
    }
  }

  public long quantity() {
    return end - start + 1;
  }

  public boolean wholeBlock() {
    return start == block.start() && end == block.end();
  }
}
