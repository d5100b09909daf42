package org.tanso.audit.log.domain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle tree of RFC 9162 §2.1 over the log's leaves (leaf index = sequence − 1): leaf hash
 * SHA-256(0x00 ‖ leaf), node hash SHA-256(0x01 ‖ left ‖ right), the split at the largest power of
 * two below the size. Hashes of complete, aligned subtrees come from a {@link Nodes} source, so
 * roots and proofs of a tree of n leaves need O(log n) stored hashes, never the leaves.
 */
public final class Merkle {

  /** Hash of the complete subtree covering leaves [index·2^level, (index+1)·2^level). */
  @FunctionalInterface
  public interface Nodes {
    byte[] node(int level, long index);
  }

  private Merkle() {}

  public static byte[] leafHash(byte[] leaf) {
    MessageDigest sha = sha256();
    sha.update((byte) 0x00);
    sha.update(leaf);
    return sha.digest();
  }

  public static byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest sha = sha256();
    sha.update((byte) 0x01);
    sha.update(left);
    sha.update(right);
    return sha.digest();
  }

  /** MTH(D[start:end]) of RFC 9162. */
  public static byte[] subtreeHash(Nodes nodes, long start, long end) {
    long n = end - start;
    if (n < 1) {
      throw new IllegalArgumentException("empty range");
    }
    if (Long.bitCount(n) == 1 && start % n == 0) {
      return nodes.node(Long.numberOfTrailingZeros(n), start / n);
    }
    long k = largestPowerOfTwoBelow(n);
    return nodeHash(subtreeHash(nodes, start, start + k), subtreeHash(nodes, start + k, end));
  }

  public static byte[] root(Nodes nodes, long size) {
    return subtreeHash(nodes, 0, size);
  }

  /** PATH(m, D[0:n]): the audit path of leaf {@code m} in the tree of size {@code n}. */
  public static List<byte[]> inclusionPath(Nodes nodes, long m, long n) {
    if (m < 0 || m >= n) {
      throw new IllegalArgumentException("leaf index out of range");
    }
    List<byte[]> path = new ArrayList<>();
    path(nodes, m, 0, n, path);
    return path;
  }

  private static void path(Nodes nodes, long m, long start, long end, List<byte[]> out) {
    long n = end - start;
    if (n == 1) {
      return;
    }
    long k = largestPowerOfTwoBelow(n);
    if (m < k) {
      path(nodes, m, start, start + k, out);
      out.add(subtreeHash(nodes, start + k, end));
    } else {
      path(nodes, m - k, start + k, end, out);
      out.add(subtreeHash(nodes, start, start + k));
    }
  }

  /** PROOF(m, D[0:n]): the consistency proof between tree sizes {@code m} and {@code n}. */
  public static List<byte[]> consistencyProof(Nodes nodes, long m, long n) {
    if (m < 1 || m > n) {
      throw new IllegalArgumentException("need 0 < first <= second");
    }
    List<byte[]> proof = new ArrayList<>();
    if (m < n) {
      subproof(nodes, m, 0, n, true, proof);
    }
    return proof;
  }

  private static void subproof(
      Nodes nodes, long m, long start, long end, boolean complete, List<byte[]> out) {
    long n = end - start;
    if (m == n) {
      if (!complete) {
        out.add(subtreeHash(nodes, start, end));
      }
      return;
    }
    long k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      subproof(nodes, m, start, start + k, complete, out);
      out.add(subtreeHash(nodes, start + k, end));
    } else {
      subproof(nodes, m - k, start + k, end, false, out);
      out.add(subtreeHash(nodes, start, start + k));
    }
  }

  /**
   * The complete subtrees whose hashes the tree of {@code size} + 1 needs when leaf {@code index} =
   * size is appended: the left siblings that the new leaf completes, lowest level first.
   */
  public static List<long[]> siblingsCompletedBy(long index) {
    List<long[]> siblings = new ArrayList<>();
    int level = 0;
    long i = index;
    while ((i & 1) == 1) {
      siblings.add(new long[] {level, i - 1});
      i >>= 1;
      level++;
    }
    return siblings;
  }

  /** Largest power of two strictly below {@code n} (n ≥ 2). */
  static long largestPowerOfTwoBelow(long n) {
    return Long.highestOneBit(n - 1);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
