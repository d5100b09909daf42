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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.tanso.audit.log.domain.HashChain;
import org.tanso.audit.log.domain.Merkle;

/**
 * The append-only log. Appends are serialised by a transaction-scoped advisory lock, so every entry
 * gets the next sequence number and the previous entry's hash, with no gaps, across any number of
 * service instances; an event id already in the log is not appended again.
 */
@ApplicationScoped
public class AuditLog {

  private static final long APPEND_LOCK = 0x61756469746c6f67L;

  /** A checkpoint as published. */
  public record Checkpoint(
      long treeSize, String rootHash, String timestamp, String keyId, String signature) {}

  private final AgroalDataSource dataSource;
  private final CheckpointSigner signer;
  private final long checkpointEvery;

  AuditLog(
      AgroalDataSource dataSource,
      CheckpointSigner signer,
      @ConfigProperty(name = "tanso.audit.checkpoint.every-entries", defaultValue = "100")
          long checkpointEvery) {
    this.dataSource = dataSource;
    this.signer = signer;
    this.checkpointEvery = checkpointEvery;
  }

  /** One event to append. */
  public record Event(
      UUID eventId, String type, String subject, String occurredAt, String payload) {}

  /** Appends one event; returns its sequence number, or empty if the event id is already logged. */
  @Transactional
  public Optional<Long> append(
      UUID eventId, String type, String subject, String occurredAt, String payload)
      throws SQLException {
    List<Optional<Long>> seqs =
        appendAll(List.of(new Event(eventId, type, subject, occurredAt, payload)));
    return seqs.get(0);
  }

  /**
   * Appends events in order, in one transaction: one lock, one look-up of the log's end and of the
   * ids already logged, batched inserts, one commit. Returns each event's sequence number, or empty
   * for an event id already logged (earlier, or earlier in the same list).
   */
  @Transactional
  public List<Optional<Long>> appendAll(List<Event> events) throws SQLException {
    List<Optional<Long>> result = new ArrayList<>(events.size());
    if (events.isEmpty()) {
      return result;
    }
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        lock.setLong(1, APPEND_LOCK);
        lock.execute();
      }
      Set<UUID> logged = new HashSet<>();
      try (PreparedStatement seen =
          c.prepareStatement("SELECT event_id FROM audit_entry WHERE event_id = ANY (?)")) {
        seen.setArray(
            1, c.createArrayOf("uuid", events.stream().map(Event::eventId).distinct().toArray()));
        try (ResultSet rs = seen.executeQuery()) {
          while (rs.next()) {
            logged.add(rs.getObject(1, UUID.class));
          }
        }
      }
      long seq = 0;
      String prevHash = HashChain.GENESIS;
      try (PreparedStatement last =
              c.prepareStatement("SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1");
          ResultSet rs = last.executeQuery()) {
        if (rs.next()) {
          seq = rs.getLong(1);
          prevHash = rs.getString(2);
        }
      }
      try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO audit_entry (seq, event_id, type, subject, occurred_at, occurred_ts, recorded_at, payload, payload_json, prev_hash, hash)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
          PreparedStatement subjects =
              c.prepareStatement("INSERT INTO audit_subject (subject, seq) VALUES (?, ?)");
          PreparedStatement nodes =
              c.prepareStatement("INSERT INTO merkle_node (level, idx, hash) VALUES (?, ?, ?)")) {
        Map<MerkleNodes.Node, byte[]> fresh = new HashMap<>();
        boolean pending = false;
        for (Event e : events) {
          if (!logged.add(e.eventId())) {
            result.add(Optional.empty());
            continue;
          }
          seq++;
          Instant recorded = Instant.now().truncatedTo(ChronoUnit.MICROS);
          String recordedAt = recorded.toString();
          Instant occurred = parse(e.occurredAt()).orElse(recorded);
          String occurredText =
              e.occurredAt() == null || e.occurredAt().isBlank() ? recordedAt : e.occurredAt();
          JsonNode parsed = LeafCodec.parse(e.payload());
          boolean json = parsed != null;
          JsonNode payloadNode = json ? parsed : LeafCodec.payloadNode(e.payload(), false);
          byte[] leaf =
              LeafCodec.canonical(
                  LeafCodec.entry(
                      seq,
                      e.eventId().toString(),
                      e.type(),
                      e.subject(),
                      occurredText,
                      recordedAt,
                      payloadNode));
          String hash = HashChain.next(prevHash, leaf);
          insert.setLong(1, seq);
          insert.setObject(2, e.eventId());
          insert.setString(3, e.type());
          insert.setString(4, e.subject());
          insert.setString(5, occurredText);
          insert.setTimestamp(6, Timestamp.from(occurred));
          insert.setString(7, recordedAt);
          insert.setString(8, e.payload());
          insert.setBoolean(9, json);
          insert.setString(10, prevHash);
          insert.setString(11, hash);
          insert.addBatch();
          for (String s : Subjects.of(e.subject(), payloadNode)) {
            subjects.setString(1, s);
            subjects.setLong(2, seq);
            subjects.addBatch();
          }
          appendLeaf(c, nodes, fresh, seq - 1, Merkle.leafHash(leaf));
          pending = true;
          prevHash = hash;
          result.add(Optional.of(seq));
          if (seq % checkpointEvery == 0) {
            // the checkpoint reads the tree from the table: write what is pending first
            flush(insert, subjects, nodes);
            pending = false;
            checkpoint(c, seq);
          }
        }
        if (pending) {
          flush(insert, subjects, nodes);
        }
      }
      return result;
    }
  }

  private static void flush(
      PreparedStatement entries, PreparedStatement subjects, PreparedStatement nodes)
      throws SQLException {
    entries.executeBatch();
    subjects.executeBatch();
    nodes.executeBatch();
  }

  /**
   * Stores the leaf's hash and every subtree it completes; siblings come from this batch or the
   * table.
   */
  private static void appendLeaf(
      Connection c,
      PreparedStatement insert,
      Map<MerkleNodes.Node, byte[]> fresh,
      long index,
      byte[] leafHash)
      throws SQLException {
    addNode(insert, fresh, 0, index, leafHash);
    List<long[]> siblings = Merkle.siblingsCompletedBy(index);
    if (siblings.isEmpty()) {
      return;
    }
    Set<MerkleNodes.Node> needed = new LinkedHashSet<>();
    siblings.forEach(s -> needed.add(new MerkleNodes.Node((int) s[0], s[1])));
    needed.removeAll(fresh.keySet());
    Map<MerkleNodes.Node, byte[]> stored = MerkleNodes.load(c, needed);
    byte[] current = leafHash;
    long i = index;
    int level = 0;
    for (long[] sibling : siblings) {
      MerkleNodes.Node node = new MerkleNodes.Node((int) sibling[0], sibling[1]);
      byte[] left = fresh.containsKey(node) ? fresh.get(node) : stored.get(node);
      if (left == null) {
        throw new IllegalStateException(
            "missing Merkle node level " + sibling[0] + " index " + sibling[1]);
      }
      current = Merkle.nodeHash(left, current);
      i >>= 1;
      level++;
      addNode(insert, fresh, level, i, current);
    }
  }

  private static void addNode(
      PreparedStatement insert,
      Map<MerkleNodes.Node, byte[]> fresh,
      int level,
      long index,
      byte[] hash)
      throws SQLException {
    insert.setShort(1, (short) level);
    insert.setLong(2, index);
    insert.setBytes(3, hash);
    insert.addBatch();
    fresh.put(new MerkleNodes.Node(level, index), hash);
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
    String root =
        HexFormat.of().formatHex(MerkleNodes.compute(c, nodes -> Merkle.root(nodes, size)));
    String timestamp = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String signature = signer.sign(CheckpointSigner.message(size, root, timestamp));
    try (PreparedStatement insert =
        c.prepareStatement(
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
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT tree_size, root_hash, timestamp, key_id, signature FROM checkpoint ORDER BY tree_size DESC LIMIT 1")) {
      return checkpoint(q);
    }
  }

  /**
   * The first checkpoint that covers entry {@code seq}: the smallest signed tree containing it, so
   * a proof against it never changes however the log grows.
   */
  public Optional<Checkpoint> firstCheckpointCovering(long seq) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "SELECT tree_size, root_hash, timestamp, key_id, signature FROM checkpoint WHERE tree_size >= ? ORDER BY tree_size LIMIT 1")) {
      q.setLong(1, seq);
      return checkpoint(q);
    }
  }

  /** The checkpoint of exactly this tree size, if one was signed. */
  public Optional<Checkpoint> checkpoint(long treeSize) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "SELECT tree_size, root_hash, timestamp, key_id, signature FROM checkpoint WHERE tree_size = ?")) {
      q.setLong(1, treeSize);
      return checkpoint(q);
    }
  }

  private static Optional<Checkpoint> checkpoint(PreparedStatement q) throws SQLException {
    try (ResultSet rs = q.executeQuery()) {
      return rs.next()
          ? Optional.of(
              new Checkpoint(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5)))
          : Optional.empty();
    }
  }

  public long size() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return size(c);
    }
  }

  static long size(Connection c) throws SQLException {
    try (PreparedStatement q = c.prepareStatement("SELECT coalesce(max(seq), 0) FROM audit_entry");
        ResultSet rs = q.executeQuery()) {
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
