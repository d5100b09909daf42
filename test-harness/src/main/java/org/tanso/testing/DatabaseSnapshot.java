package org.tanso.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * A fingerprint of every application table's content, to show that a request changed nothing. The
 * outbox's {@code published_at} is left out: the relay sets it in the background.
 */
public final class DatabaseSnapshot {

  private DatabaseSnapshot() {}

  public static Map<String, String> of(DataSource dataSource) throws SQLException {
    Map<String, String> fingerprints = new TreeMap<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery(
              "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'flyway_schema_history'")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String table : tables) {
        String rows =
            table.equals("outbox_event")
                ? "(t.id, t.event_id, t.type, t.payload::text)::text"
                : "t::text";
        try (ResultSet rs =
            s.executeQuery(
                "SELECT count(*) || ':' || md5(coalesce(string_agg("
                    + rows
                    + ", '|' ORDER BY "
                    + rows
                    + "), '')) FROM "
                    + table
                    + " t")) {
          rs.next();
          fingerprints.put(table, rs.getString(1));
        }
      }
    }
    return fingerprints;
  }
}
