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

  private Row one(String sql, UUID id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, id);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        String units = rs.getString(9);
        return new Row(
            rs.getObject(1, UUID.class),
            Direction.valueOf(rs.getString(2)),
            TransferStatus.valueOf(rs.getString(3)),
            rs.getString(4),
            rs.getString(5),
            rs.getString(6),
            rs.getString(7),
            rs.getObject(8) == null ? null : rs.getLong(8),
            units == null
                ? null
                : mapper.readValue(units, new TypeReference<List<TransferredUnits>>() {}),
            rs.getString(10),
            rs.getString(11),
            rs.getString(12),
            rs.getString(13),
            instant(rs.getTimestamp(14)),
            instant(rs.getTimestamp(15)),
            instant(rs.getTimestamp(16)),
            instant(rs.getTimestamp(17)),
            instant(rs.getTimestamp(18)));
      }
    } catch (SQLException | JsonProcessingException e) {
      throw new IllegalStateException("reading international transfer " + id + " failed", e);
    }
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
