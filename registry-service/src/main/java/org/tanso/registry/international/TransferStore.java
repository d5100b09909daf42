package org.tanso.registry.international;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.tanso.events.interregistry.TransferredUnits;
import org.tanso.registry.international.domain.TransferStatus;

/** The international_transfer table, in plain JDBC on the caller's transaction. */
@ApplicationScoped
public class TransferStore {

  /** OUT: proposed by this registry; IN: proposed to it. */
  enum Direction {
    OUT,
    IN
  }

  /** One recorded transfer. */
  record Row(
      UUID id,
      Direction direction,
      TransferStatus status,
      String fromRegistry,
      String toRegistry,
      String fromAccount,
      String toAccount,
      Long quantity,
      List<TransferredUnits> units,
      String answer,
      String code,
      String detail,
      String initiatedBy,
      Instant proposedAt,
      Instant answeredAt,
      Instant completedAt,
      Instant terminatedAt,
      Instant lateAnswerAt) {

    Row answered(TransferStatus next, String answer, String code, String detail, Instant at) {
      return new Row(
          id,
          direction,
          next,
          fromRegistry,
          toRegistry,
          fromAccount,
          toAccount,
          quantity,
          units,
          answer,
          code,
          detail,
          initiatedBy,
          proposedAt,
          at,
          completedAt,
          terminatedAt,
          lateAnswerAt);
    }

    /**
     * @param completedUnits the units as they stood at completion (corresponding adjustment
     *     included)
     */
    Row completed(List<TransferredUnits> completedUnits, Instant at) {
      return new Row(
          id,
          direction,
          TransferStatus.COMPLETED,
          fromRegistry,
          toRegistry,
          fromAccount,
          toAccount,
          quantity,
          completedUnits,
          answer,
          code,
          detail,
          initiatedBy,
          proposedAt,
          answeredAt,
          at,
          terminatedAt,
          lateAnswerAt);
    }

    Row terminated(String code, String detail, Instant at) {
      return new Row(
          id,
          direction,
          TransferStatus.TERMINATED,
          fromRegistry,
          toRegistry,
          fromAccount,
          toAccount,
          quantity,
          units,
          answer,
          code,
          detail,
          initiatedBy,
          proposedAt,
          answeredAt,
          completedAt,
          at,
          lateAnswerAt);
    }

    Row lateAnswer(Instant at) {
      return new Row(
          id,
          direction,
          status,
          fromRegistry,
          toRegistry,
          fromAccount,
          toAccount,
          quantity,
          units,
          answer,
          code,
          detail,
          initiatedBy,
          proposedAt,
          answeredAt,
          completedAt,
          terminatedAt,
          at);
    }
  }

  private static final String COLUMNS =
      "id, direction, status, from_registry, to_registry, from_account, to_account, quantity, CAST(units AS text), answer, code, detail,"
          + " initiated_by, proposed_at, answered_at, completed_at, terminated_at, late_answer_at";

  private final DataSource dataSource;
  private final ObjectMapper mapper;

  TransferStore(DataSource dataSource, ObjectMapper mapper) {
    this.dataSource = dataSource;
    this.mapper = mapper;
  }

  void insert(Row r) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO international_transfer ("
                    + COLUMNS.replace("CAST(units AS text)", "units")
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS json), ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setObject(1, r.id());
      s.setString(2, r.direction().name());
      s.setString(3, r.status().name());
      s.setString(4, r.fromRegistry());
      s.setString(5, r.toRegistry());
      s.setString(6, r.fromAccount());
      s.setString(7, r.toAccount());
      s.setObject(8, r.quantity());
      s.setString(9, r.units() == null ? null : json(r.units()));
      s.setString(10, r.answer());
      s.setString(11, r.code());
      s.setString(12, r.detail());
      s.setString(13, r.initiatedBy());
      s.setTimestamp(14, ts(r.proposedAt()));
      s.setTimestamp(15, ts(r.answeredAt()));
      s.setTimestamp(16, ts(r.completedAt()));
      s.setTimestamp(17, ts(r.terminatedAt()));
      s.setTimestamp(18, ts(r.lateAnswerAt()));
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("recording international transfer " + r.id() + " failed", e);
    }
  }

  /** The transfer, locked for the rest of the transaction; null when unknown. */
  Row lock(UUID id) {
    return one("SELECT " + COLUMNS + " FROM international_transfer WHERE id = ? FOR UPDATE", id);
  }

  Row find(UUID id) {
    return one("SELECT " + COLUMNS + " FROM international_transfer WHERE id = ?", id);
  }

  /**
   * Outgoing transfers still PROPOSED since before {@code cutoff}, locked, skipping any another
   * thread holds.
   */
  List<UUID> overdue(Instant cutoff, int limit) {
    List<UUID> ids = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT id FROM international_transfer WHERE direction = 'OUT' AND status = 'PROPOSED' AND proposed_at < ?"
                    + " ORDER BY proposed_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
      s.setTimestamp(1, ts(cutoff));
      s.setInt(2, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getObject(1, UUID.class));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("finding overdue international transfers failed", e);
    }
    return ids;
  }

  void update(Row r) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "UPDATE international_transfer SET status = ?, answer = ?, code = ?, detail = ?, answered_at = ?, completed_at = ?, terminated_at = ?,"
                    + " late_answer_at = ?, units = CAST(? AS json) WHERE id = ?")) {
      s.setString(1, r.status().name());
      s.setString(2, r.answer());
      s.setString(3, r.code());
      s.setString(4, r.detail());
      s.setTimestamp(5, ts(r.answeredAt()));
      s.setTimestamp(6, ts(r.completedAt()));
      s.setTimestamp(7, ts(r.terminatedAt()));
      s.setTimestamp(8, ts(r.lateAnswerAt()));
      s.setString(9, r.units() == null ? null : json(r.units()));
      s.setObject(10, r.id());
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("updating international transfer " + r.id() + " failed", e);
    }
  }

  /** A transfer with its place in the list order. */
  record Listed(long seq, Row row) {}

  /**
   * The transfers after list position {@code after}, in list order, at most {@code limit}: all of
   * them, or ({@code holder} not null) those whose account in this registry {@code holder} holds;
   * of one {@code status} or any (null). Each is an index range scan: (status, seq) or seq for all,
   * (local_account, [status,] seq) per account of the holder.
   */
  List<Listed> list(String holder, TransferStatus status, long after, int limit) {
    String filter = status == null ? "" : " AND status = ?";
    String sql =
        holder == null
            ? "SELECT seq, "
                + COLUMNS
                + " FROM international_transfer WHERE seq > ?"
                + filter
                + " ORDER BY seq LIMIT ?"
            : "SELECT t.* FROM account a CROSS JOIN LATERAL (SELECT seq, "
                + COLUMNS
                + " FROM international_transfer WHERE local_account = a.number AND seq > ?"
                + filter
                + " ORDER BY seq LIMIT ?) t WHERE a.holder = ? ORDER BY t.seq LIMIT ?";
    List<Listed> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      int i = 1;
      s.setLong(i++, after);
      if (status != null) {
        s.setString(i++, status.name());
      }
      s.setInt(i++, limit);
      if (holder != null) {
        s.setString(i++, holder);
        s.setInt(i, limit);
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(new Listed(rs.getLong(1), row(rs, 1)));
        }
      }
    } catch (SQLException | JsonProcessingException e) {
      throw new IllegalStateException("listing international transfers failed", e);
    }
    return rows;
  }

  private Row one(String sql, UUID id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? row(rs, 0) : null;
      }
    } catch (SQLException | JsonProcessingException e) {
      throw new IllegalStateException("reading international transfer " + id + " failed", e);
    }
  }

  /** The row of {@link #COLUMNS} starting after column {@code offset}. */
  private Row row(ResultSet rs, int offset) throws SQLException, JsonProcessingException {
    String units = rs.getString(offset + 9);
    return new Row(
        rs.getObject(offset + 1, UUID.class),
        Direction.valueOf(rs.getString(offset + 2)),
        TransferStatus.valueOf(rs.getString(offset + 3)),
        rs.getString(offset + 4),
        rs.getString(offset + 5),
        rs.getString(offset + 6),
        rs.getString(offset + 7),
        rs.getObject(offset + 8) == null ? null : rs.getLong(offset + 8),
        units == null
            ? null
            : mapper.readValue(units, new TypeReference<List<TransferredUnits>>() {}),
        rs.getString(offset + 10),
        rs.getString(offset + 11),
        rs.getString(offset + 12),
        rs.getString(offset + 13),
        instant(rs.getTimestamp(offset + 14)),
        instant(rs.getTimestamp(offset + 15)),
        instant(rs.getTimestamp(offset + 16)),
        instant(rs.getTimestamp(offset + 17)),
        instant(rs.getTimestamp(offset + 18)));
  }

  private String json(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("units cannot be serialised", e);
    }
  }

  private static Timestamp ts(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  private static Instant instant(Timestamp ts) {
    return ts == null ? null : ts.toInstant();
  }
}
