package org.tanso.audit.log;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.tanso.audit.log.domain.HashChain;
import org.tanso.audit.log.domain.Merkle;
import org.tanso.audit.log.domain.MerkleAccumulator;
import org.tanso.http.ApiException;
import org.tanso.http.Paging;

/** Regulator reads of the log: entries, proofs, and a full verification of chain and tree. */
@ApplicationScoped
public class AuditQueries {

  public static final int MAX_PAGE = 1000;

  public record Entry(
      long seq,
      String eventId,
      String type,
      String subject,
      String occurredAt,
      String recordedAt,
      JsonNode payload,
      String prevHash,
      String hash) {}

  public record Page(List<Entry> items, String next) {}

  public record Inclusion(
      long leafIndex, long treeSize, String leafHash, List<String> auditPath, String rootHash) {}

  public record Consistency(
      long first, long second, List<String> proof, String firstRootHash, String secondRootHash) {}

  public record Verification(
      boolean ok, long entries, String rootHash, Long firstBadSeq, String problem) {}

  private final AgroalDataSource dataSource;
  private final CheckpointSigner signer;

  AuditQueries(AgroalDataSource dataSource, CheckpointSigner signer) {
    this.dataSource = dataSource;
    this.signer = signer;
  }

  public Page entries(
      String subject, String type, String from, String to, String after, String limit)
      throws SQLException {
    int size = Paging.limit(limit, 100, MAX_PAGE);
    long cursor = Paging.after("s", after);
    Instant fromTs = time("from", from);
    Instant toTs = time("to", to);
    StringBuilder sql =
        new StringBuilder(
            "SELECT e.seq, e.event_id, e.type, e.subject, e.occurred_at, e.recorded_at, e.payload, e.payload_json, e.prev_hash, e.hash FROM audit_entry e");
    List<Object> params = new ArrayList<>();
    if (subject != null) {
      sql.append(" JOIN audit_subject s ON s.seq = e.seq AND s.subject = ?");
      params.add(subject);
    }
    sql.append(" WHERE e.seq > ?");
    params.add(cursor);
    if (type != null) {
      sql.append(" AND e.type = ?");
      params.add(type);
    }
    if (fromTs != null) {
      sql.append(" AND e.occurred_ts >= ?");
      params.add(Timestamp.from(fromTs));
    }
    if (toTs != null) {
      sql.append(" AND e.occurred_ts < ?");
      params.add(Timestamp.from(toTs));
    }
    sql.append(" ORDER BY e.seq LIMIT ?");
    params.add(size + 1);
    try (Connection c = dataSource.getConnection();
        PreparedStatement q = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < params.size(); i++) {
        q.setObject(i + 1, params.get(i));
      }
      List<Entry> items = new ArrayList<>();
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          items.add(entry(rs));
        }
      }
      String next = null;
      if (items.size() > size) {
        items = items.subList(0, size);
        next = Paging.cursor("s", items.get(size - 1).seq());
      }
      return new Page(List.copyOf(items), next);
    }
  }

  public Entry entry(String seqText) throws SQLException {
    long seq = positive("seq", seqText);
    try (Connection c = dataSource.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "SELECT seq, event_id, type, subject, occurred_at, recorded_at, payload, payload_json, prev_hash, hash FROM audit_entry WHERE seq = ?")) {
      q.setLong(1, seq);
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) {
          throw ApiException.notFound("ENTRY_NOT_FOUND", "no entry " + seq);
        }
        return entry(rs);
      }
    }
  }

  public Inclusion inclusion(String seqText, String treeSizeText) throws SQLException {
    long seq = positive("seq", seqText);
    try (Connection c = dataSource.getConnection()) {
      long size = AuditLog.size(c);
      long treeSize =
          treeSizeText == null || treeSizeText.isBlank()
              ? size
              : positive("treeSize", treeSizeText);
      if (treeSize > size) {
        throw ApiException.notFound(
            "TREE_SIZE_UNKNOWN", "the log has " + size + " entries, not " + treeSize);
      }
      if (seq > treeSize) {
        throw ApiException.badRequest(
            "MALFORMED_REQUEST", "seq " + seq + " is not in a tree of " + treeSize + " entries");
      }
      long index = seq - 1;
      record Result(byte[] leaf, List<byte[]> path, byte[] root) {}
      Result r =
          MerkleNodes.compute(
              c,
              nodes ->
                  new Result(
                      nodes.node(0, index),
                      Merkle.inclusionPath(nodes, index, treeSize),
                      Merkle.root(nodes, treeSize)));
      return new Inclusion(
          index,
          treeSize,
          hex(r.leaf()),
          r.path().stream().map(AuditQueries::hex).toList(),
          hex(r.root()));
    }
  }

  public Consistency consistency(String firstText, String secondText) throws SQLException {
    long first = positive("first", firstText);
    long second = positive("second", secondText);
    if (first > second) {
      throw ApiException.badRequest("MALFORMED_REQUEST", "first must not exceed second");
    }
    try (Connection c = dataSource.getConnection()) {
      long size = AuditLog.size(c);
      if (second > size) {
        throw ApiException.notFound(
            "TREE_SIZE_UNKNOWN", "the log has " + size + " entries, not " + second);
      }
      record Result(List<byte[]> proof, byte[] firstRoot, byte[] secondRoot) {}
      Result r =
          MerkleNodes.compute(
              c,
              nodes ->
                  new Result(
                      Merkle.consistencyProof(nodes, first, second),
                      Merkle.root(nodes, first),
                      Merkle.root(nodes, second)));
      return new Consistency(
          first,
          second,
          r.proof().stream().map(AuditQueries::hex).toList(),
          hex(r.firstRoot()),
          hex(r.secondRoot()));
    }
  }

  /** One stored entry as read for verification. */
  private record Stored(
      long seq,
      String eventId,
      String type,
      String subject,
      String occurredAt,
      String recordedAt,
      String payload,
      boolean payloadJson,
      String prevHash,
      String hash,
      byte[] storedLeafHash) {}

  /**
   * What the parallel part computed for one entry: its leaf hash, and whether hash =
   * SHA-256(prevHash ‖ leaf).
   */
  private record Hashed(Stored entry, byte[] leafHash, boolean chainHashOk) {}

  private static final int VERIFY_BATCH = 2_048;

  private static final int SIGNATURE_BATCH = 512;

  /**
   * Recomputes every entry's canonical form, leaf hash and chain hash from the 64-zero genesis, the
   * whole tree, and checks against them the stored leaf hashes, every stored subtree hash, and
   * every signed checkpoint (its root against the tree recomputed from the leaves, its signature
   * under the service's key): a truncated log fails at the first checkpoint that covers more
   * entries than are left, a rewritten tail at the first checkpoint it changes. Everything is read
   * in one repeatable-read snapshot, so entries appended meanwhile are neither half seen nor
   * mistaken for tampering. Canonicalising and hashing run in parallel over batches of entries (one
   * thread per core) while the next rows are read; the order-dependent checks (no gap, each entry
   * links to the one before, the tree, the checkpoints) then run over the batches in sequence
   * order.
   */
  public Verification verify() throws SQLException {
    MerkleAccumulator tree = new MerkleAccumulator();
    String previous = HashChain.GENESIS;
    long expectedSeq = 1;
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "audit-verify");
              t.setDaemon(true);
              return t;
            });
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      Deque<Future<List<Hashed>>> inFlight = new ArrayDeque<>();
      List<Future<Long>> signatures = new ArrayList<>();
      try {
        try (Statement s = c.createStatement()) {
          s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        }
        List<AuditLog.Checkpoint> checkpoints = checkpoints(c);
        for (int i = 0; i < checkpoints.size(); i += SIGNATURE_BATCH) {
          List<AuditLog.Checkpoint> batch =
              checkpoints.subList(i, Math.min(checkpoints.size(), i + SIGNATURE_BATCH));
          signatures.add(pool.submit(() -> firstBadSignature(batch)));
        }
        int nextCheckpoint = 0;
        try (PreparedStatement q =
            c.prepareStatement(
                "SELECT e.seq, e.event_id, e.type, e.subject, e.occurred_at, e.recorded_at, e.payload, e.payload_json, e.prev_hash, e.hash, m.hash"
                    + " FROM audit_entry e LEFT JOIN merkle_node m ON m.level = 0 AND m.idx = e.seq - 1 ORDER BY e.seq")) {
          q.setFetchSize(5_000);
          try (ResultSet rs = q.executeQuery()) {
            boolean more = true;
            while (more || !inFlight.isEmpty()) {
              // keep a few batches hashing while rows are read; check the oldest when enough are
              // out
              while (more && inFlight.size() < threads * 2) {
                List<Stored> batch = new ArrayList<>(VERIFY_BATCH);
                while (batch.size() < VERIFY_BATCH && (more = rs.next())) {
                  batch.add(
                      new Stored(
                          rs.getLong(1),
                          rs.getString(2),
                          rs.getString(3),
                          rs.getString(4),
                          rs.getString(5),
                          rs.getString(6),
                          rs.getString(7),
                          rs.getBoolean(8),
                          rs.getString(9),
                          rs.getString(10),
                          rs.getBytes(11)));
                }
                if (!batch.isEmpty()) {
                  inFlight.add(pool.submit(() -> hash(batch)));
                }
              }
              if (inFlight.isEmpty()) {
                break;
              }
              for (Hashed h : await(inFlight.poll(), "a batch of entries")) {
                Stored e = h.entry();
                if (e.seq() != expectedSeq) {
                  return new Verification(
                      false,
                      expectedSeq - 1,
                      null,
                      expectedSeq,
                      "sequence " + expectedSeq + " is missing");
                }
                if (!previous.equals(e.prevHash()) || !h.chainHashOk()) {
                  return new Verification(
                      false, e.seq() - 1, null, e.seq(), "hash chain broken at entry " + e.seq());
                }
                if (!Arrays.equals(h.leafHash(), e.storedLeafHash())) {
                  return new Verification(
                      false,
                      e.seq() - 1,
                      null,
                      e.seq(),
                      "stored leaf hash differs at entry " + e.seq());
                }
                tree.add(h.leafHash());
                previous = e.hash();
                expectedSeq++;
                while (nextCheckpoint < checkpoints.size()
                    && checkpoints.get(nextCheckpoint).treeSize() == tree.size()) {
                  AuditLog.Checkpoint cp = checkpoints.get(nextCheckpoint++);
                  if (!cp.rootHash().equals(hex(tree.root()))) {
                    return new Verification(
                        false, tree.size(), null, null, checkpointProblem(cp.treeSize()));
                  }
                }
              }
            }
          }
        }
        long entries = tree.size();
        String root = entries == 0 ? null : hex(tree.root());
        if (nextCheckpoint < checkpoints.size()) {
          // a signed tree larger than the log: entries were removed from its end
          return new Verification(
              false,
              entries,
              root,
              null,
              checkpointProblem(checkpoints.get(nextCheckpoint).treeSize()));
        }
        Optional<String> badNode = badMerkleNode(c, entries);
        if (badNode.isPresent()) {
          return new Verification(false, entries, root, null, badNode.get());
        }
        if (entries > 0) {
          String stored = hex(MerkleNodes.compute(c, nodes -> Merkle.root(nodes, entries)));
          if (!stored.equals(root)) {
            return new Verification(
                false,
                entries,
                root,
                null,
                "stored subtree hashes do not give the recomputed root");
          }
        }
        for (Future<Long> batch : signatures) {
          long bad = await(batch, "checkpoint signatures");
          if (bad > 0) {
            return new Verification(false, entries, root, null, checkpointProblem(bad));
          }
        }
        return new Verification(true, entries, root, null, null);
      } finally {
        inFlight.forEach(f -> f.cancel(true));
        signatures.forEach(f -> f.cancel(true));
        c.rollback();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static String checkpointProblem(long treeSize) {
    return "checkpoint at tree size " + treeSize + " does not match the log or its signature";
  }

  private static List<AuditLog.Checkpoint> checkpoints(Connection c) throws SQLException {
    List<AuditLog.Checkpoint> all = new ArrayList<>();
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT tree_size, root_hash, timestamp, key_id, signature FROM checkpoint ORDER BY tree_size")) {
      q.setFetchSize(5_000);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          all.add(
              new AuditLog.Checkpoint(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5)));
        }
      }
    }
    return all;
  }

  /** The tree size of the first checkpoint whose signature does not verify, or 0. */
  private long firstBadSignature(List<AuditLog.Checkpoint> batch) {
    for (AuditLog.Checkpoint cp : batch) {
      if (!signer.verify(
          cp.signature(), CheckpointSigner.message(cp.treeSize(), cp.rootHash(), cp.timestamp()))) {
        return cp.treeSize();
      }
    }
    return 0;
  }

  /**
   * The stored subtrees of a log of {@code entries} leaves must be exactly its complete aligned
   * subtrees, (entries >> level) at each level, each the hash of its two children; the leaves
   * themselves were checked against the entries. A node no root reads (the hash of entries 1 and 2
   * in a tree of four or more) still goes into the audit paths of its neighbours.
   */
  private static Optional<String> badMerkleNode(Connection c, long entries) throws SQLException {
    java.util.Map<Integer, long[]> levels = new java.util.HashMap<>();
    try (PreparedStatement q =
            c.prepareStatement(
                "SELECT level, count(*), min(idx), max(idx) FROM merkle_node GROUP BY level");
        ResultSet rs = q.executeQuery()) {
      while (rs.next()) {
        levels.put(rs.getInt(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
      }
    }
    int highest = -1;
    for (int level = 0; level < 63 && (entries >> level) > 0; level++) {
      highest = level;
      long expected = entries >> level;
      long[] found = levels.getOrDefault(level, new long[] {0, 0, -1});
      if (found[0] != expected || found[1] != 0 || found[2] != expected - 1) {
        return Optional.of(
            "stored Merkle nodes at level "
                + level
                + " are not the "
                + expected
                + " complete subtrees of the log");
      }
    }
    for (int level : levels.keySet()) {
      // a node at a level no complete subtree of the log reaches (or a negative one) is forged
      if (level < 0 || level > highest) {
        return Optional.of(
            "stored Merkle nodes at level "
                + level
                + " are not subtrees of a log of "
                + entries
                + " entries");
      }
    }
    try (PreparedStatement q =
            c.prepareStatement(
                "SELECT p.level, p.idx FROM merkle_node p"
                    + " JOIN merkle_node l ON l.level = p.level - 1 AND l.idx = 2 * p.idx"
                    + " JOIN merkle_node r ON r.level = p.level - 1 AND r.idx = 2 * p.idx + 1"
                    + " WHERE p.level > 0 AND p.hash <> sha256('\\x01'::bytea || l.hash || r.hash) ORDER BY p.level, p.idx LIMIT 1");
        ResultSet rs = q.executeQuery()) {
      if (rs.next()) {
        return Optional.of(
            "stored Merkle node level "
                + rs.getInt(1)
                + " index "
                + rs.getLong(2)
                + " is not the hash of its children");
      }
    }
    return Optional.empty();
  }

  private static List<Hashed> hash(List<Stored> batch) {
    List<Hashed> out = new ArrayList<>(batch.size());
    for (Stored e : batch) {
      byte[] leaf =
          LeafCodec.canonical(
              LeafCodec.entry(
                  e.seq(),
                  e.eventId(),
                  e.type(),
                  e.subject(),
                  e.occurredAt(),
                  e.recordedAt(),
                  LeafCodec.payloadNode(e.payload(), e.payloadJson())));
      out.add(
          new Hashed(
              e, Merkle.leafHash(leaf), HashChain.next(e.prevHash(), leaf).equals(e.hash())));
    }
    return out;
  }

  /** The result of one of verification's parallel tasks ({@code what} names it in a failure). */
  private static <T> T await(Future<T> task, String what) throws SQLException {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("verification interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("verifying " + what + " failed", e.getCause());
    }
  }

  private static Entry entry(ResultSet rs) throws SQLException {
    return new Entry(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        LeafCodec.payloadNode(rs.getString(7), rs.getBoolean(8)),
        rs.getString(9),
        rs.getString(10));
  }

  /**
   * The leaf hash of an entry as read, recomputed from its fields (RFC 8785 canonical form without
   * prevHash and hash), to compare with the stored tree before handing out a proof.
   */
  public static String leafHash(Entry e) {
    return hex(
        Merkle.leafHash(
            LeafCodec.canonical(
                LeafCodec.entry(
                    e.seq(),
                    e.eventId(),
                    e.type(),
                    e.subject(),
                    e.occurredAt(),
                    e.recordedAt(),
                    e.payload()))));
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private static long positive(String name, String text) {
    try {
      long value = Long.parseLong(text);
      if (value >= 1) {
        return value;
      }
    } catch (NumberFormatException | NullPointerException ignored) {
      // refused below
    }
    throw ApiException.malformed(name + " must be a whole number of at least 1");
  }

  private static Instant time(String name, String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.malformed(
          name + " must be an ISO 8601 date-time with offset, e.g. 2026-01-31T00:00:00Z");
    }
  }
}
