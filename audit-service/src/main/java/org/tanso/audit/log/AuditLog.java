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

  /**
   * The type of a retirement's public record, the entry a certificate proves ({@link
   * PublicRetirement}).
   */
  public static final String RETIREMENT_PUBLISHED = PublicRetirement.TYPE;

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
   * What one append did: each event's sequence number (empty for an event id already logged) and
   * how many entries it added, the derived public records of retirements included.
   */
  public record Appended(List<Optional<Long>> seqs, long entries) {}

  /**
   * Appends events in order, in one transaction: one lock, one look-up of the log's end and of the
   * ids already logged, batched inserts, one commit. Returns each event's sequence number, or empty
   * for an event id already logged (earlier, or earlier in the same list).
   */
  @Transactional
  public List<Optional<Long>> appendAll(List<Event> events) throws SQLException {
    return append(events, true).seqs();
  }

  /**
   * As {@link #appendAll}, and right after each CreditsRetired entry its public record ({@link
   * PublicRetirement}), in the same transaction.
   */
  @Transactional
  public Appended appendCounted(List<Event> events) throws SQLException {
    return append(events, true);
  }

  /**
   * Appends without the retirements' public records, as the log was written before it had them: for
   * tests of the catch-up ({@link #publishRetirements()}).
   */
  @Transactional
  List<Optional<Long>> appendWithoutPublicRecords(List<Event> events) throws SQLException {
    return append(events, false).seqs();
  }

  private Appended append(List<Event> events, boolean publish) throws SQLException {
    List<Optional<Long>> result = new ArrayList<>(events.size());
    if (events.isEmpty()) {
      return new Appended(result, 0);
    }
    List<UUID> ids = new ArrayList<>();
    for (Event e : events) {
      ids.add(e.eventId());
      if (publish && PublicRetirement.RETIRED.equals(e.type())) {
        ids.add(PublicRetirement.eventId(e.eventId()));
      }
    }
    try (Connection c = dataSource.getConnection();
        Appender appender = new Appender(c, ids)) {
      for (Event e : events) {
        Optional<Appender.Written> written = appender.write(e);
        result.add(written.map(Appender.Written::seq));
        if (publish && written.isPresent()) {
          Appender.Written w = written.get();
          if (PublicRetirement.RETIRED.equals(e.type())) {
            Optional<String> retirementId = PublicRetirement.retirementId(e.type(), w.payload());
            if (retirementId.isPresent()) {
              appender.publish(
                  e.eventId(), retirementId.get(), w.occurredAt(), w.payload(), w.seq(), w.leaf());
            }
          } else if (PublicRetirement.ISSUED.equals(e.type())) {
            appender.issued(w);
          }
        }
      }
      return new Appended(result, appender.entries);
    }
  }

  /**
   * Appends, once, the public record of every CreditsRetired entry logged without one (entries
   * logged before the log had them), at the log's end; returns how many it appended. Idempotent
   * through the records' name-based event ids, across instances too.
   */
  @Transactional
  public long publishRetirements() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Appender appender = new Appender(c, List.of())) {
      long after = 0;
      while (true) {
        List<StoredEntry> retired = new ArrayList<>();
        try (PreparedStatement q =
            c.prepareStatement(
                "SELECT seq, event_id, type, subject, occurred_at, recorded_at, payload, payload_json"
                    + " FROM audit_entry WHERE type = ? AND seq > ? ORDER BY seq LIMIT 500")) {
          q.setString(1, PublicRetirement.RETIRED);
          q.setLong(2, after);
          try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
              retired.add(StoredEntry.of(rs));
            }
          }
        }
        if (retired.isEmpty()) {
          return appender.entries;
        }
        after = retired.get(retired.size() - 1).seq();
        publishMissing(c, appender, retired);
      }
    }
  }

  /**
   * Appends the public record of the CreditsRetired entry {@code seq} if it has none yet; returns
   * whether it did.
   */
  @Transactional
  public boolean publishRetirement(long seq) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Appender appender = new Appender(c, List.of())) {
      List<StoredEntry> retired = new ArrayList<>();
      try (PreparedStatement q =
          c.prepareStatement(
              "SELECT seq, event_id, type, subject, occurred_at, recorded_at, payload, payload_json"
                  + " FROM audit_entry WHERE type = ? AND seq = ?")) {
        q.setString(1, PublicRetirement.RETIRED);
        q.setLong(2, seq);
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            retired.add(StoredEntry.of(rs));
          }
        }
      }
      publishMissing(c, appender, retired);
      return appender.entries > 0;
    }
  }

  private static void publishMissing(Connection c, Appender appender, List<StoredEntry> retired)
      throws SQLException {
    Set<UUID> published =
        logged(
            c,
            retired.stream().map(r -> PublicRetirement.eventId(r.eventId())).distinct().toList());
    for (StoredEntry r : retired) {
      Optional<String> retirementId = PublicRetirement.retirementId(r.type(), r.payload());
      if (retirementId.isPresent() && !published.contains(PublicRetirement.eventId(r.eventId()))) {
        appender.publish(
            r.eventId(), retirementId.get(), r.occurredAt(), r.payload(), r.seq(), r.leaf());
      }
    }
  }

  /**
   * As {@link #publishRetirements()}, when the log has fewer public records than CreditsRetired
   * entries (two counts on the type index, so a start-up does not reread the log for nothing).
   */
  @Transactional
  public long publishRetirementsIfMissing() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "SELECT (SELECT count(*) FROM audit_entry WHERE type = ?),"
                    + " (SELECT count(*) FROM audit_entry WHERE type = ?)")) {
      q.setString(1, PublicRetirement.RETIRED);
      q.setString(2, PublicRetirement.TYPE);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        if (rs.getLong(1) <= rs.getLong(2)) {
          return 0;
        }
      }
    }
    return publishRetirements();
  }

  /** An entry as stored, with its leaf bytes recomputed from its fields. */
  private record StoredEntry(
      long seq, UUID eventId, String type, String occurredAt, JsonNode payload, byte[] leaf) {
    static StoredEntry of(ResultSet rs) throws SQLException {
      JsonNode payload = LeafCodec.payloadNode(rs.getString(7), rs.getBoolean(8));
      long seq = rs.getLong(1);
      UUID eventId = rs.getObject(2, UUID.class);
      String type = rs.getString(3);
      String occurredAt = rs.getString(5);
      byte[] leaf =
          LeafCodec.canonical(
              LeafCodec.entry(
                  seq,
                  eventId.toString(),
                  type,
                  rs.getString(4),
                  occurredAt,
                  rs.getString(6),
                  payload));
      return new StoredEntry(seq, eventId, type, occurredAt, payload, leaf);
    }
  }

  private static Set<UUID> logged(Connection c, List<UUID> ids) throws SQLException {
    Set<UUID> logged = new HashSet<>();
    if (ids.isEmpty()) {
      return logged;
    }
    try (PreparedStatement seen =
        c.prepareStatement("SELECT event_id FROM audit_entry WHERE event_id = ANY (?)")) {
      seen.setArray(1, c.createArrayOf("uuid", ids.toArray()));
      try (ResultSet rs = seen.executeQuery()) {
        while (rs.next()) {
          logged.add(rs.getObject(1, UUID.class));
        }
      }
    }
    return logged;
  }

  /**
   * Writes entries at the log's end under the append lock, in batches: each gets the next sequence
   * number, the previous entry's hash, its subjects and its Merkle nodes; a checkpoint every {@code
   * checkpointEvery} entries.
   */
  private final class Appender implements AutoCloseable {

    /** An entry just written. */
    record Written(long seq, String occurredAt, JsonNode payload, byte[] leaf) {}

    private final Connection c;
    private final Set<UUID> logged;
    private final PreparedStatement insert;
    private final PreparedStatement subjects;
    private final PreparedStatement nodes;
    private final Map<MerkleNodes.Node, byte[]> fresh = new HashMap<>();

    /** CreditsIssued entries written here and not yet flushed, by unit identifier. */
    private final Map<String, PublicRetirement.Issuance> issuedHere = new HashMap<>();

    private boolean pending;
    private long seq;
    private String prevHash = HashChain.GENESIS;
    long entries;

    Appender(Connection c, List<UUID> ids) throws SQLException {
      this.c = c;
      try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        lock.setLong(1, APPEND_LOCK);
        lock.execute();
      }
      this.logged = logged(c, ids.stream().distinct().toList());
      try (PreparedStatement last =
              c.prepareStatement("SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1");
          ResultSet rs = last.executeQuery()) {
        if (rs.next()) {
          seq = rs.getLong(1);
          prevHash = rs.getString(2);
        }
      }
      insert =
          c.prepareStatement(
              "INSERT INTO audit_entry (seq, event_id, type, subject, occurred_at, occurred_ts, recorded_at, payload, payload_json, prev_hash, hash)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      subjects = c.prepareStatement("INSERT INTO audit_subject (subject, seq) VALUES (?, ?)");
      nodes = c.prepareStatement("INSERT INTO merkle_node (level, idx, hash) VALUES (?, ?, ?)");
    }

    /** Writes the event, unless its id is already logged (earlier, or earlier here). */
    Optional<Written> write(Event e) throws SQLException {
      if (!logged.add(e.eventId())) {
        return Optional.empty();
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
      entries++;
      if (seq % checkpointEvery == 0) {
        // the checkpoint reads the tree from the table: write what is pending first
        flush();
        checkpoint(c, seq);
      }
      return Optional.of(new Written(seq, occurredText, payloadNode, leaf));
    }

    /** Remembers a CreditsIssued entry written in this batch, for a retirement later in it. */
    void issued(Written w) {
      JsonNode unitId = w.payload().get("unitId");
      if (w.payload().isObject() && unitId != null && unitId.isTextual()) {
        issuedHere.putIfAbsent(
            unitId.asText(),
            new PublicRetirement.Issuance(
                w.seq(), AuditQueries.hex(Merkle.leafHash(w.leaf())), w.payload()));
      }
    }

    /** Writes the public record of the CreditsRetired entry {@code sourceSeq}. */
    void publish(
        UUID sourceEventId,
        String retirementId,
        String occurredAt,
        JsonNode retired,
        long sourceSeq,
        byte[] sourceLeaf)
        throws SQLException {
      Map<String, PublicRetirement.Issuance> issuances = new HashMap<>();
      for (String unitId : PublicRetirement.unitIds(retired)) {
        PublicRetirement.Issuance here = issuedHere.get(unitId);
        Optional<PublicRetirement.Issuance> issuance =
            here != null ? Optional.of(here) : loggedIssuance(unitId);
        issuance.ifPresent(i -> issuances.put(unitId, i));
      }
      String payload =
          PublicRetirement.payload(
                  retired, sourceSeq, AuditQueries.hex(Merkle.leafHash(sourceLeaf)), issuances)
              .toString();
      write(
          new Event(
              PublicRetirement.eventId(sourceEventId),
              PublicRetirement.TYPE,
              retirementId,
              occurredAt,
              payload));
    }

    /** The first CreditsIssued entry of the unit identifier already in the table. */
    private Optional<PublicRetirement.Issuance> loggedIssuance(String unitId) throws SQLException {
      try (PreparedStatement q =
          c.prepareStatement(
              "SELECT e.seq, e.event_id, e.type, e.subject, e.occurred_at, e.recorded_at, e.payload, e.payload_json"
                  + " FROM audit_subject s JOIN audit_entry e ON e.seq = s.seq"
                  + " WHERE s.subject = ? AND e.type = ? ORDER BY e.seq LIMIT 10")) {
        q.setString(1, unitId);
        q.setString(2, PublicRetirement.ISSUED);
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            StoredEntry e = StoredEntry.of(rs);
            if (PublicRetirement.issues(e.type(), e.payload(), unitId)) {
              return Optional.of(
                  new PublicRetirement.Issuance(
                      e.seq(), AuditQueries.hex(Merkle.leafHash(e.leaf())), e.payload()));
            }
          }
        }
      }
      return Optional.empty();
    }

    private void flush() throws SQLException {
      AuditLog.flush(insert, subjects, nodes);
      pending = false;
    }

    @Override
    public void close() throws SQLException {
      try {
        if (pending) {
          flush();
        }
      } finally {
        insert.close();
        subjects.close();
        nodes.close();
      }
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
