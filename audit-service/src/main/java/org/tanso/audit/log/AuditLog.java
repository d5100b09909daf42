package org.tanso.audit.log;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.tanso.audit.log.domain.HashChain;
import org.tanso.audit.log.domain.Merkle;

/**
 * The append-only log. Appends are serialised by a transaction-scoped advisory lock, so every
 * entry gets the next sequence number and the previous entry's hash, with no gaps, across any
 * number of service instances; an event id already in the log is not appended again.
 */
@ApplicationScoped
public class AuditLog {

  private static final long APPEND_LOCK = 0x61756469746c6f67L;

  /** A checkpoint as published. */
  public record Checkpoint(long treeSize, String rootHash, String timestamp, String keyId, String signature) {}

  private final AgroalDataSource dataSource;
  private final CheckpointSigner signer;
  private final long checkpointEvery;

  AuditLog(AgroalDataSource dataSource, CheckpointSigner signer, @ConfigProperty(name = "tanso.audit.checkpoint.every-entries", defaultValue = "100") long checkpointEvery) {
    this.dataSource = dataSource;
    this.signer = signer;
    this.checkpointEvery = checkpointEvery;
  }

  /** Appends one event; returns its sequence number, or empty if the event id is already logged. */
  @Transactional
  public Optional<Long> append(UUID eventId, String type, String subject, String occurredAt, String payload) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        lock.setLong(1, APPEND_LOCK);
        lock.execute();
      }
      try (PreparedStatement seen = c.prepareStatement("SELECT 1 FROM audit_entry WHERE event_id = ?")) {
        seen.setObject(1, eventId);
        try (ResultSet rs = seen.executeQuery()) {
          if (rs.next()) {
            return Optional.empty();
          }
        }
      }
      long seq = 1;
      String prevHash = HashChain.GENESIS;
      try (PreparedStatement last = c.prepareStatement("SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1");
          ResultSet rs = last.executeQuery()) {
        if (rs.next()) {
          seq = rs.getLong(1) + 1;
          prevHash = rs.getString(2);
        }
      }
      Instant recorded = Instant.now().truncatedTo(ChronoUnit.MICROS);
      String recordedAt = recorded.toString();
      Instant occurred = parse(occurredAt).orElse(recorded);
      String occurredText = occurredAt == null || occurredAt.isBlank() ? recordedAt : occurredAt;
      JsonNode parsed = LeafCodec.parse(payload);
      boolean json = parsed != null;
      JsonNode payloadNode = json ? parsed : LeafCodec.payloadNode(payload, false);
      byte[] leaf = LeafCodec.canonical(LeafCodec.entry(seq, eventId.toString(), type, subject, occurredText, recordedAt, payloadNode));
      String hash = HashChain.next(prevHash, leaf);
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO audit_entry (seq, event_id, type, subject, occurred_at, occurred_ts, recorded_at, payload, payload_json, prev_hash, hash)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        insert.setLong(1, seq);
        insert.setObject(2, eventId);
        insert.setString(3, type);
        insert.setString(4, subject);
        insert.setString(5, occurredText);
        insert.setTimestamp(6, Timestamp.from(occurred));
        insert.setString(7, recordedAt);
        insert.setString(8, payload);
        insert.setBoolean(9, json);
        insert.setString(10, prevHash);
        insert.setString(11, hash);
        insert.executeUpdate();
      }
      try (PreparedStatement subjects = c.prepareStatement("INSERT INTO audit_subject (subject, seq) VALUES (?, ?)")) {
        for (String s : Subjects.of(subject, payloadNode)) {
          subjects.setString(1, s);
          subjects.setLong(2, seq);
          subjects.addBatch();
        }
        subjects.executeBatch();
      }
      appendLeaf(c, seq - 1, Merkle.leafHash(leaf));
      if (seq % checkpointEvery == 0) {
        checkpoint(c, seq);
      }
      return Optional.of(seq);
    }
  }

  /** Stores the leaf's hash and every subtree it completes. */
  private static void appendLeaf(Connection c, long index, byte[] leafHash) throws SQLException {
    MerkleNodes.insert(c, 0, index, leafHash);
    List<long[]> siblings = Merkle.siblingsCompletedBy(index);
    if (siblings.isEmpty()) {
      return;
    }
    var needed = new java.util.LinkedHashSet<MerkleNodes.Node>();
    siblings.forEach(s -> needed.add(new MerkleNodes.Node((int) s[0], s[1])));
    var nodes = MerkleNodes.load(c, needed);
    byte[] current = leafHash;
    long i = index;
    int level = 0;
    for (long[] sibling : siblings) {
      byte[] left = nodes.get(new MerkleNodes.Node((int) sibling[0], sibling[1]));
      if (left == null) {
        throw new IllegalStateException("missing Merkle node level " + sibling[0] + " index " + sibling[1]);
      }
      current = Merkle.nodeHash(left, current);
      i >>= 1;
      level++;
      MerkleNodes.insert(c, level, i, current);
    }
  }

  /** Signs and stores a checkpoint of the whole log, unless one exists for its size. */
  @Transactional
  public Optional<Checkpoint> checkpointNow() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        lock.setLong(1, APPEND_LOCK);
        lock.execute();
      }
      long size = size(c);
      Optional<Checkpoint> latest = latestCheckpoint(c);
      if (size == 0 || latest.map(l -> l.treeSize() >= size).orElse(false)) {
        return Optional.empty();
      }
      return Optional.of(checkpoint(c, size));
    }
  }

  private Checkpoint checkpoint(Connection c, long size) throws SQLException {
    String root = HexFormat.of().formatHex(MerkleNodes.compute(c, nodes -> Merkle.root(nodes, size)));
    String timestamp = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String signature = signer.sign(CheckpointSigner.message(size, root, timestamp));
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO checkpoint (tree_size, root_hash, timestamp, key_id, signature) VALUES (?, ?, ?, ?, ?) ON CONFLICT (tree_size) DO NOTHING")) {
      insert.setLong(1, size);
      insert.setString(2, root);
      insert.setString(3, timestamp);
      insert.setString(4, signer.keyId());
      insert.setString(5, signature);
      insert.executeUpdate();
    }
    Log.debugf("checkpoint %d %s", size, root);
    return new Checkpoint(size, root, timestamp, signer.keyId(), signature);
  }

  public Optional<Checkpoint> latestCheckpoint() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return latestCheckpoint(c);
    }
  }

  static Optional<Checkpoint> latestCheckpoint(Connection c) throws SQLException {
    try (PreparedStatement q = c.prepareStatement(
            "SELECT tree_size, root_hash, timestamp, key_id, signature FROM checkpoint ORDER BY tree_size DESC LIMIT 1");
        ResultSet rs = q.executeQuery()) {
      return rs.next() ? Optional.of(new Checkpoint(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5))) : Optional.empty();
    }
  }

  public long size() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return size(c);
    }
  }

  static long size(Connection c) throws SQLException {
    try (PreparedStatement q = c.prepareStatement("SELECT coalesce(max(seq), 0) FROM audit_entry"); ResultSet rs = q.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Optional<Instant> parse(String time) {
    if (time == null || time.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(time).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
