package org.tanso.audit.log.domain;

import java.util.HexFormat;

/**
 * The log's hash chain: hash(entry) = SHA-256(previous hash ‖ canonical entry), the previous hash
 * as its 32 raw bytes; the first entry's previous hash is 32 zero bytes.
 */
public final class HashChain {

  public static final String GENESIS = "0".repeat(64);

  private HashChain() {}

  public static String next(String previousHex, byte[] canonicalEntry) {
    var sha = Merkle.sha256();
    sha.update(HexFormat.of().parseHex(previousHex));
    sha.update(canonicalEntry);
    return HexFormat.of().formatHex(sha.digest());
  }
}
