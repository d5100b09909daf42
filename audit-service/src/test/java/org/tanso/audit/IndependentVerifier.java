package org.tanso.audit;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * What a regulator would write from API.md and RFC 9162 alone, sharing no code with the service:
 * leaf and node hashing, inclusion and consistency proof checks (RFC 9162 §2.1.3.2 and §2.1.4.2),
 * and the checkpoint signature with the JDK's Ed25519.
 */
final class IndependentVerifier {

  private IndependentVerifier() {}

  static byte[] sha256(byte[]... parts) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (byte[] part : parts) {
      sha.update(part);
    }
    return sha.digest();
  }

  static byte[] leafHash(byte[] leaf) throws Exception {
    return sha256(new byte[] {0}, leaf);
  }

  static byte[] node(byte[] left, byte[] right) throws Exception {
    return sha256(new byte[] {1}, left, right);
  }

  static boolean inclusion(
      long leafIndex, long treeSize, byte[] leafHash, List<byte[]> path, byte[] root)
      throws Exception {
    if (leafIndex >= treeSize) {
      return false;
    }
    long fn = leafIndex;
    long sn = treeSize - 1;
    byte[] r = leafHash;
    for (byte[] p : path) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = node(p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        r = node(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && Arrays.equals(r, root);
  }

  static boolean consistency(
      long first, long second, byte[] firstRoot, byte[] secondRoot, List<byte[]> proof)
      throws Exception {
    if (first == second) {
      return proof.isEmpty() && Arrays.equals(firstRoot, secondRoot);
    }
    if (first > second || first == 0 || proof.isEmpty()) {
      return false;
    }
    List<byte[]> path = new ArrayList<>(proof);
    if (Long.bitCount(first) == 1) {
      path.add(0, firstRoot);
    }
    long fn = first - 1;
    long sn = second - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (byte[] c : path.subList(1, path.size())) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = node(c, fr);
        sr = node(c, sr);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        sr = node(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return Arrays.equals(fr, firstRoot) && Arrays.equals(sr, secondRoot) && sn == 0;
  }

  static boolean checkpointSignature(
      String publicKeyPem, long treeSize, String rootHash, String timestamp, String signatureBase64)
      throws Exception {
    byte[] der =
        Base64.getDecoder()
            .decode(publicKeyPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
    PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    Signature signature = Signature.getInstance("Ed25519");
    signature.initVerify(key);
    signature.update(
        ("tanso-audit\n" + treeSize + "\n" + rootHash + "\n" + timestamp + "\n")
            .getBytes(StandardCharsets.UTF_8));
    return signature.verify(Base64.getDecoder().decode(signatureBase64));
  }

  static byte[] hex(String text) {
    return HexFormat.of().parseHex(text);
  }

  static List<byte[]> hexes(List<String> texts) {
    return texts.stream().map(IndependentVerifier::hex).toList();
  }
}
