package org.tanso.audit.log;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.tanso.audit.log.domain.Merkle;

/**
 * Stored subtree hashes. A computation over the tree first runs against a recorder to learn which
 * nodes it needs, then the nodes are read in one query and the computation runs for real: a root or
 * proof costs one round trip for its O(log n) hashes.
 */
final class MerkleNodes {

  record Node(int level, long index) {}

  private MerkleNodes() {}

  static <T> T compute(Connection connection, Function<Merkle.Nodes, T> computation)
      throws SQLException {
    Set<Node> needed = new LinkedHashSet<>();
    byte[] placeholder = new byte[32];
    computation.apply(
        (level, index) -> {
          needed.add(new Node(level, index));
          return placeholder;
        });
    Map<Node, byte[]> nodes = load(connection, needed);
    return computation.apply(
        (level, index) -> {
          byte[] hash = nodes.get(new Node(level, index));
          if (hash == null) {
            throw new IllegalStateException(
                "missing Merkle node level " + level + " index " + index);
          }
          return hash;
        });
  }

  static Map<Node, byte[]> load(Connection connection, Set<Node> nodes) throws SQLException {
    Map<Node, byte[]> found = new HashMap<>();
    if (nodes.isEmpty()) {
      return found;
    }
    Object[] levels = nodes.stream().map(n -> (short) n.level()).toArray();
    Object[] indexes = nodes.stream().map(Node::index).toArray();
    Array levelArray = connection.createArrayOf("int2", levels);
    Array indexArray = connection.createArrayOf("int8", indexes);
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT m.level, m.idx, m.hash FROM merkle_node m JOIN unnest(?, ?) AS k(level, idx) ON m.level = k.level AND m.idx = k.idx")) {
      query.setArray(1, levelArray);
      query.setArray(2, indexArray);
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          found.put(new Node(rs.getInt(1), rs.getLong(2)), rs.getBytes(3));
        }
      }
    }
    return found;
  }
}
