package org.tanso.audit.log;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.tanso.audit.log.domain.HashChain;
import org.tanso.audit.log.domain.Merkle;

/**
 * Benchmark tool, not a test: fills an empty database with a real audit log of N entries (true
 * canonical leaves, chain hashes, subtree hashes and subjects, computed with the service's own
 * code) by COPY, so that verification, proofs and queries can be timed at scale.
 *
 * <p>usage: LogSeeder jdbc-url user password entries
 */
public final class LogSeeder {

  private LogSeeder() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String user = args[1];
    String password = args[2];
    long count = Long.parseLong(args[3]);
    Flyway.configure()
        .dataSource(url, user, password)
        .locations("classpath:db/migration")
        .load()
        .migrate();
    Random random = new Random(42);
    String[] types = {
      "tanso.registry.CreditsTransferred.v1",
      "tanso.registry.CreditsRetired.v1",
      "tanso.issuance.IssuanceRequested.v1",
      "tanso.registry.AccountOpened.v1"
    };
    long started = System.nanoTime();
    try (Connection c = DriverManager.getConnection(url, user, password)) {
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      StringBuilder entries = new StringBuilder();
      StringBuilder subjects = new StringBuilder();
      StringBuilder nodes = new StringBuilder();
      String prev = HashChain.GENESIS;
      java.util.Map<String, byte[]> frontier = new java.util.HashMap<>();
      Instant time = Instant.parse("2025-01-01T00:00:00Z");
      for (long seq = 1; seq <= count; seq++) {
        String type = types[random.nextInt(types.length)];
        String from = "JP-100-" + String.format("%06d", random.nextInt(10_000)) + "-00";
        String to = "VN-100-" + String.format("%06d", random.nextInt(10_000)) + "-00";
        String payload =
            "{\"transactionId\":\""
                + new UUID(random.nextLong(), random.nextLong())
                + "\",\"from\":\""
                + from
                + "\",\"to\":\""
                + to
                + "\",\"quantity\":"
                + (1 + random.nextInt(5000))
                + ",\"unitId\":\"JCM-VN-VN"
                + String.format("%03d", random.nextInt(500))
                + "-2025-0001\"}";
        String eventId = new UUID(random.nextLong(), random.nextLong()).toString();
        time = time.plusMillis(random.nextInt(60_000));
        String occurred = time.toString();
        String recorded = time.plusMillis(120).truncatedTo(ChronoUnit.MICROS).toString();
        JsonNode node = LeafCodec.payloadNode(payload, true);
        byte[] leaf =
            LeafCodec.canonical(
                LeafCodec.entry(seq, eventId, type, from, occurred, recorded, node));
        String hash = HashChain.next(prev, leaf);
        entries
            .append(seq)
            .append('\t')
            .append(eventId)
            .append('\t')
            .append(type)
            .append('\t')
            .append(from)
            .append('\t')
            .append(occurred)
            .append('\t')
            .append(occurred)
            .append('\t')
            .append(recorded)
            .append('\t')
            .append(payload.replace("\\", "\\\\"))
            .append("\tt\t")
            .append(prev)
            .append('\t')
            .append(hash)
            .append('\n');
        for (String s : Subjects.of(from, node)) {
          subjects.append(s).append('\t').append(seq).append('\n');
        }
        byte[] current = Merkle.leafHash(leaf);
        long index = seq - 1;
        int level = 0;
        node(nodes, 0, index, current);
        frontier.put("0/" + index, current);
        for (long[] sibling : Merkle.siblingsCompletedBy(seq - 1)) {
          byte[] left = frontier.remove(sibling[0] + "/" + sibling[1]);
          frontier.remove(level + "/" + index);
          current = Merkle.nodeHash(left, current);
          index >>= 1;
          level++;
          node(nodes, level, index, current);
          frontier.put(level + "/" + index, current);
        }
        prev = hash;
        if (seq % 50_000 == 0 || seq == count) {
          copy.copyIn(
              "COPY audit_entry (seq, event_id, type, subject, occurred_at, occurred_ts, recorded_at, payload, payload_json, prev_hash, hash) FROM STDIN",
              new StringReader(entries.toString()));
          copy.copyIn(
              "COPY audit_subject (subject, seq) FROM STDIN",
              new StringReader(subjects.toString()));
          copy.copyIn(
              "COPY merkle_node (level, idx, hash) FROM STDIN", new StringReader(nodes.toString()));
          entries.setLength(0);
          subjects.setLength(0);
          nodes.setLength(0);
          System.out.printf(
              "%d entries, %.0f/s%n", seq, seq / ((System.nanoTime() - started) / 1e9));
        }
      }
      c.createStatement().execute("ANALYZE");
    }
  }

  private static void node(StringBuilder out, int level, long index, byte[] hash) {
    out.append(level)
        .append('\t')
        .append(index)
        .append("\t\\\\x")
        .append(HexFormat.of().formatHex(hash))
        .append('\n');
  }
}
