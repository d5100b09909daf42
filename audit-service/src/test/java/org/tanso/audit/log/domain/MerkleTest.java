package org.tanso.audit.log.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stored-node tree against RFC 9162's recursive definitions, computed naively from all leaves. */
class MerkleTest {

  @Test
  void rootsAndProofsFromStoredNodesMatchTheRecursiveDefinitions() {
    List<byte[]> leaves = new ArrayList<>();
    Map<String, byte[]> stored = new HashMap<>();
    Merkle.Nodes nodes = (level, index) -> stored.get(level + "/" + index);
    MerkleAccumulator accumulator = new MerkleAccumulator();
    for (int n = 1; n <= 70; n++) {
      byte[] leafHash = Merkle.leafHash(("entry " + n).getBytes(StandardCharsets.UTF_8));
      leaves.add(leafHash);
      append(stored, n - 1, leafHash);
      accumulator.add(leafHash);
      assertArrayEquals(mth(leaves), Merkle.root(nodes, n), "root of " + n);
      assertArrayEquals(mth(leaves), accumulator.root(), "accumulated root of " + n);
      for (int m = 0; m < n; m++) {
        assertEquals(hexes(path(m, leaves)), hexes(Merkle.inclusionPath(nodes, m, n)), "path " + m + " of " + n);
      }
      for (int m = 1; m <= n; m++) {
        assertEquals(hexes(proof(m, leaves)), hexes(Merkle.consistencyProof(nodes, m, n)), "proof " + m + " to " + n);
      }
    }
  }

  @Test
  void knownValues() {
    // RFC 9162: the empty-string leaf hash is SHA-256(0x00)
    assertEquals("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        java.util.HexFormat.of().formatHex(Merkle.leafHash(new byte[0])));
    assertThrows(IllegalArgumentException.class, () -> Merkle.inclusionPath((l, i) -> new byte[32], 5, 5));
    assertThrows(IllegalArgumentException.class, () -> Merkle.consistencyProof((l, i) -> new byte[32], 0, 5));
  }

  @Test
  void hashChainStartsFromZeroes() {
    String first = HashChain.next(HashChain.GENESIS, "a".getBytes(StandardCharsets.UTF_8));
    assertEquals(64, first.length());
    String again = HashChain.next(HashChain.GENESIS, "a".getBytes(StandardCharsets.UTF_8));
    assertEquals(first, again);
    assertEquals(false, first.equals(HashChain.next(first, "a".getBytes(StandardCharsets.UTF_8))));
  }

  /** What the service does on append: store the leaf and every subtree it completes. */
  private static void append(Map<String, byte[]> stored, long index, byte[] leafHash) {
    stored.put("0/" + index, leafHash);
    byte[] current = leafHash;
    long i = index;
    int level = 0;
    for (long[] sibling : Merkle.siblingsCompletedBy(index)) {
      current = Merkle.nodeHash(stored.get(sibling[0] + "/" + sibling[1]), current);
      i >>= 1;
      level++;
      stored.put(level + "/" + i, current);
    }
  }

  private static byte[] mth(List<byte[]> d) {
    if (d.size() == 1) {
      return d.get(0);
    }
    int k = Integer.highestOneBit(d.size() - 1);
    return Merkle.nodeHash(mth(d.subList(0, k)), mth(d.subList(k, d.size())));
  }

  private static List<byte[]> path(int m, List<byte[]> d) {
    List<byte[]> out = new ArrayList<>();
    if (d.size() <= 1) {
      return out;
    }
    int k = Integer.highestOneBit(d.size() - 1);
    if (m < k) {
      out.addAll(path(m, d.subList(0, k)));
      out.add(mth(d.subList(k, d.size())));
    } else {
      out.addAll(path(m - k, d.subList(k, d.size())));
      out.add(mth(d.subList(0, k)));
    }
    return out;
  }

  private static List<byte[]> proof(int m, List<byte[]> d) {
    return subproof(m, d, true);
  }

  private static List<byte[]> subproof(int m, List<byte[]> d, boolean b) {
    List<byte[]> out = new ArrayList<>();
    if (m == d.size()) {
      if (!b) {
        out.add(mth(d));
      }
      return out;
    }
    int k = Integer.highestOneBit(d.size() - 1);
    if (m <= k) {
      out.addAll(subproof(m, d.subList(0, k), b));
      out.add(mth(d.subList(k, d.size())));
    } else {
      out.addAll(subproof(m - k, d.subList(k, d.size()), false));
      out.add(mth(d.subList(0, k)));
    }
    return out;
  }

  private static List<String> hexes(List<byte[]> hashes) {
    return hashes.stream().map(h -> java.util.HexFormat.of().formatHex(h)).toList();
  }
}
