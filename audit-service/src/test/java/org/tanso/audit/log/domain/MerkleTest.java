package org.tanso.audit.log.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The stored-node tree against the published Certificate Transparency test vectors (RFC 6962, the
 * same tree as RFC 9162 §2.1) and against RFC 9162's recursive definitions computed naively from
 * all leaves with the JDK's SHA-256, never with {@link Merkle}'s own hashing.
 */
class MerkleTest {

  /** The leaves of the certificate-transparency test suites (Go and C++), as hex. */
  static final List<String> CT_LEAVES =
      List.of(
          "",
          "00",
          "10",
          "2021",
          "3031",
          "40414243",
          "5051525354555657",
          "606162636465666768696a6b6c6d6e6f");

  /** Their published tree heads for sizes 0 to 8; size 0 is SHA-256 of the empty string. */
  static final List<String> CT_ROOTS =
      List.of(
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
          "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
          "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
          "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
          "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
          "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
          "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

  static final String H96A2 = "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7";
  static final String H5F08 = "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e";
  static final String H6B47 = "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4";
  static final String HBC1A = "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b";
  static final String HCA85 = "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0";
  static final String H0EBC = "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a";

  @Test
  void rootsProofsAndAccumulatorMatchThePublishedTestVectors() {
    Map<String, byte[]> stored = new HashMap<>();
    Merkle.Nodes nodes = (level, index) -> stored.get(level + "/" + index);
    MerkleAccumulator accumulator = new MerkleAccumulator();
    assertEquals(CT_ROOTS.get(0), HEX.formatHex(accumulator.root()), "root of the empty tree");
    for (int n = 1; n <= CT_LEAVES.size(); n++) {
      byte[] leafHash = Merkle.leafHash(HEX.parseHex(CT_LEAVES.get(n - 1)));
      append(stored, n - 1, leafHash);
      accumulator.add(leafHash);
      assertEquals(
          CT_ROOTS.get(n),
          HEX.formatHex(Merkle.root(nodes, n)),
          "root of " + n + " from stored subtrees");
      assertEquals(CT_ROOTS.get(n), HEX.formatHex(accumulator.root()), "accumulated root of " + n);
    }
    // inclusion proofs of the certificate-transparency suites (leaf index, tree size, audit path)
    assertEquals(List.of(), hexes(Merkle.inclusionPath(nodes, 0, 1)));
    assertEquals(List.of(H96A2, H5F08, H6B47), hexes(Merkle.inclusionPath(nodes, 0, 8)));
    assertEquals(List.of(HBC1A, HCA85, CT_ROOTS.get(4)), hexes(Merkle.inclusionPath(nodes, 5, 8)));
    assertEquals(List.of(CT_ROOTS.get(2)), hexes(Merkle.inclusionPath(nodes, 2, 3)));
    assertEquals(List.of(CT_ROOTS.get(1), H5F08, HBC1A), hexes(Merkle.inclusionPath(nodes, 1, 5)));
    // consistency proofs of the same suites (first size, second size, proof)
    assertEquals(List.of(), hexes(Merkle.consistencyProof(nodes, 1, 1)));
    assertEquals(List.of(H96A2, H5F08, H6B47), hexes(Merkle.consistencyProof(nodes, 1, 8)));
    assertEquals(
        List.of(H0EBC, HCA85, CT_ROOTS.get(4)), hexes(Merkle.consistencyProof(nodes, 6, 8)));
    assertEquals(List.of(H5F08, HBC1A), hexes(Merkle.consistencyProof(nodes, 2, 5)));
    assertEquals(List.of(H5F08, H6B47), hexes(Merkle.consistencyProof(nodes, 2, 8)));
  }

  @Test
  void rootsAndProofsFromStoredNodesMatchTheRecursiveDefinitions() {
    List<byte[]> leaves = new ArrayList<>();
    Map<String, byte[]> stored = new HashMap<>();
    Merkle.Nodes nodes = (level, index) -> stored.get(level + "/" + index);
    MerkleAccumulator accumulator = new MerkleAccumulator();
    for (int n = 1; n <= 70; n++) {
      byte[] leafHash = Merkle.leafHash(("entry " + n).getBytes(StandardCharsets.UTF_8));
      assertArrayEquals(
          sha256(new byte[] {0}, ("entry " + n).getBytes(StandardCharsets.UTF_8)),
          leafHash,
          "leaf hash " + n);
      leaves.add(leafHash);
      append(stored, n - 1, leafHash);
      accumulator.add(leafHash);
      assertArrayEquals(mth(leaves), Merkle.root(nodes, n), "root of " + n);
      assertArrayEquals(mth(leaves), accumulator.root(), "accumulated root of " + n);
      for (int m = 0; m < n; m++) {
        assertEquals(
            hexes(path(m, leaves)),
            hexes(Merkle.inclusionPath(nodes, m, n)),
            "path " + m + " of " + n);
      }
      for (int m = 1; m <= n; m++) {
        assertEquals(
            hexes(proof(m, leaves)),
            hexes(Merkle.consistencyProof(nodes, m, n)),
            "proof " + m + " to " + n);
      }
    }
  }

  @Test
  void knownValues() {
    // RFC 9162: the empty-string leaf hash is SHA-256(0x00), the node hash SHA-256(0x01 ‖ left ‖
    // right)
    assertEquals(
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        HEX.formatHex(Merkle.leafHash(new byte[0])));
    assertEquals(
        CT_ROOTS.get(2),
        HEX.formatHex(
            Merkle.nodeHash(HEX.parseHex(CT_ROOTS.get(1)), Merkle.leafHash(new byte[] {0}))));
    assertThrows(
        IllegalArgumentException.class, () -> Merkle.inclusionPath((l, i) -> new byte[32], 5, 5));
    assertThrows(
        IllegalArgumentException.class,
        () -> Merkle.consistencyProof((l, i) -> new byte[32], 0, 5));
  }

  @Test
  void hashChainStartsFromZeroes() {
    assertEquals(
        "0000000000000000000000000000000000000000000000000000000000000000", HashChain.GENESIS);
    byte[] a = "a".getBytes(StandardCharsets.UTF_8);
    String first = HashChain.next(HashChain.GENESIS, a);
    // SHA-256(32 zero bytes ‖ "a"), also pinned as computed outside Java
    assertEquals(HEX.formatHex(sha256(new byte[32], a)), first);
    assertEquals("41a0370c3d9f42773a59e8e01651911cf43b1e3f66944cbb690029debc4eb647", first);
    byte[] b = "b".getBytes(StandardCharsets.UTF_8);
    assertEquals(
        HEX.formatHex(sha256(HEX.parseHex(first), b)),
        HashChain.next(first, b),
        "the previous hash enters as its 32 raw bytes");
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
    return sha256(new byte[] {1}, mth(d.subList(0, k)), mth(d.subList(k, d.size())));
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
    return hashes.stream().map(HEX::formatHex).toList();
  }

  private static final HexFormat HEX = HexFormat.of();

  private static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (byte[] part : parts) {
        sha.update(part);
      }
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
