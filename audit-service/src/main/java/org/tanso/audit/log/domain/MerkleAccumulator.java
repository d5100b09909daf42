package org.tanso.audit.log.domain;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/** Builds the RFC 9162 root of leaves pushed one by one, keeping only O(log n) hashes. */
public final class MerkleAccumulator {

  private record Subtree(int level, byte[] hash) {}

  private final Deque<Subtree> frontier = new ArrayDeque<>();
  private long size;

  public void add(byte[] leafHash) {
    Subtree current = new Subtree(0, leafHash);
    while (!frontier.isEmpty() && frontier.peekLast().level() == current.level()) {
      Subtree left = frontier.removeLast();
      current = new Subtree(current.level() + 1, Merkle.nodeHash(left.hash(), current.hash()));
    }
    frontier.addLast(current);
    size++;
  }

  public long size() {
    return size;
  }

  /** MTH of the leaves so far: the complete subtrees folded from the right. */
  public byte[] root() {
    if (size == 0) {
      return Merkle.sha256().digest();
    }
    Iterator<Subtree> fromRight = frontier.descendingIterator();
    byte[] hash = fromRight.next().hash();
    while (fromRight.hasNext()) {
      hash = Merkle.nodeHash(fromRight.next().hash(), hash);
    }
    return hash;
  }
}
