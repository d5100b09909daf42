package org.tanso.registry.unit;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.tanso.events.registry.Block;
import org.tanso.registry.unit.domain.HeldBlock;
import org.tanso.registry.unit.domain.SerialRange;
import org.tanso.registry.unit.domain.Take;
import org.tanso.registry.unit.domain.UnitIdentifiers;

/**
 * The credit_block table, in plain JDBC on the transaction's connection (the hot path of every
 * movement). Callers hold the row lock of every account whose blocks they change; the exclusion
 * constraint keeps serial ranges of a unit identifier from ever overlapping.
 */
@ApplicationScoped
public class BlockStore {

  /** Blocks read at first for a quantity; more only when these do not cover it. */
  static final int FIRST_READ = 16;

  private static final String ACTIVE =
      "SELECT id, unit_id, vintage, serial_start, serial_end FROM credit_block WHERE account = ? AND state = 'ACTIVE' ORDER BY vintage, unit_id, serial_start";

  private final DataSource dataSource;

  BlockStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * The account's active blocks in the order a quantity is taken from them (oldest vintage, lowest
   * serial first), as many as needed to cover {@code quantity} when it can be covered, else all.
   */
  public List<HeldBlock> activeFor(String account, long quantity) {
    List<HeldBlock> first = query(ACTIVE + " LIMIT " + FIRST_READ, account);
    long covered = first.stream().mapToLong(b -> b.end() - b.start() + 1).sum();
    if (first.size() < FIRST_READ || covered >= quantity) {
      return first;
    }
    return query(ACTIVE, account);
  }

  /**
   * The account's ACTIVE blocks of authorised units (the only ones that may leave for another
   * registry), in take order.
   */
  public List<HeldBlock> activeAuthorised(String account) {
    return query(
        "SELECT b.id, b.unit_id, b.vintage, b.serial_start, b.serial_end FROM credit_block b JOIN unit_issuance u ON u.unit_id = b.unit_id"
            + " WHERE b.account = ? AND b.state = 'ACTIVE' AND u.authorisation_status = 'AUTHORISED' ORDER BY b.vintage, b.unit_id, b.serial_start",
        account);
  }

  /** Which of the unit ids are authorised (the rest are mitigation-contribution units). */
  public java.util.Set<String> authorised(java.util.Collection<String> unitIds) {
    java.util.Set<String> result = new java.util.HashSet<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT unit_id FROM unit_issuance WHERE unit_id = ANY (?) AND authorisation_status = 'AUTHORISED'")) {
      s.setArray(1, c.createArrayOf("varchar", unitIds.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          result.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading authorisations failed", e);
    }
    return result;
  }

  /** Rows of this registry that overlap the range, with their account and state. */
  public record Row(HeldBlock block, String account, String state) {}

  public List<Row> overlapping(SerialRange range) {
    List<Row> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT id, unit_id, vintage, serial_start, serial_end, account, state FROM credit_block"
                    + " WHERE unit_id = ? AND serials && int8range(?, ?, '[]') ORDER BY serial_start")) {
      s.setString(1, range.unitId());
      s.setLong(2, range.start());
      s.setLong(3, range.end());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new Row(
                  new HeldBlock(
                      rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getLong(5)),
                  rs.getString(6),
                  rs.getString(7)));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading blocks of " + range.unitId() + " failed", e);
    }
    return rows;
  }

  /** Sets the state of every block reserved for {@code transfer}; returns them as they are now. */
  public List<Block> releaseReservation(UUID transfer, String newState) {
    List<Block> result = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "UPDATE credit_block SET state = ?, reservation = NULL WHERE reservation = ? AND state = 'RESERVED'"
                    + " RETURNING unit_id, serial_start, serial_end, account")) {
      s.setString(1, newState);
      s.setObject(2, transfer);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          result.add(
              block(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4), newState));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("releasing the reservation of " + transfer + " failed", e);
    }
    result.sort(Comparator.comparing(Block::unitId).thenComparingLong(Block::start));
    return result;
  }

  public List<HeldBlock> activeOverlapping(String account, List<SerialRange> ranges) {
    List<HeldBlock> result = new ArrayList<>();
    String sql =
        "SELECT id, unit_id, vintage, serial_start, serial_end FROM credit_block"
            + " WHERE account = ? AND state = 'ACTIVE' AND unit_id = ? AND serials && int8range(?, ?, '[]')";
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (SerialRange range : ranges) {
        bindRange(s, account, range);
        try (ResultSet rs = s.executeQuery()) {
          result.addAll(held(rs));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading blocks of " + account + " failed", e);
    }
    return result.stream().distinct().toList();
  }

  /** Whether {@code account} holds any of the serials in a state other than ACTIVE. */
  public boolean holdsInactive(String account, List<SerialRange> ranges) {
    String sql =
        "SELECT 1 FROM credit_block WHERE account = ? AND state <> 'ACTIVE' AND unit_id = ? AND serials && int8range(?, ?, '[]') LIMIT 1";
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (SerialRange range : ranges) {
        bindRange(s, account, range);
        try (ResultSet rs = s.executeQuery()) {
          if (rs.next()) {
            return true;
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading blocks of " + account + " failed", e);
    }
    return false;
  }

  /**
   * Binds (account, unit id, first serial, last serial) of a statement over one account's serial
   * range.
   */
  private static void bindRange(PreparedStatement s, String account, SerialRange range)
      throws SQLException {
    s.setString(1, account);
    s.setString(2, range.unitId());
    s.setLong(3, range.start());
    s.setLong(4, range.end());
  }

  /**
   * Where taken serials go: from {@code fromAccount}, where they are in {@code sourceState}, to
   * {@code toAccount} in {@code newState}; {@code reservation} names the international transfer
   * that RESERVED serials are held for.
   */
  public record Move(
      String fromAccount, String sourceState, String toAccount, String newState, UUID reservation) {

    /** Active units of {@code from} to {@code to} in {@code newState}. */
    public static Move ofActive(String from, String to, String newState) {
      return new Move(from, "ACTIVE", to, newState, null);
    }

    /** Active units held back, in their account, for international transfer {@code transfer}. */
    public static Move reserve(String account, UUID transfer) {
      return new Move(account, "ACTIVE", account, "RESERVED", transfer);
    }
  }

  /**
   * Gives each taken part its new account and state. Per block, the first taken part keeps the
   * block's row (shrunk first, so no range ever overlaps another); further taken parts and the
   * untouched rest of the block become new rows, the rest staying with {@code fromAccount} in the
   * source state. Every new row keeps the block's corresponding-adjustment status: a split block
   * keeps its parent's.
   */
  public List<Block> apply(List<Take> takes, Move move) {
    Map<Long, List<Take>> byBlock = new LinkedHashMap<>();
    for (Take take : takes) {
      byBlock.computeIfAbsent(take.block().id(), id -> new ArrayList<>()).add(take);
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement update =
            c.prepareStatement(
                "UPDATE credit_block SET serial_start = ?, serial_end = ?, account = ?, state = ?, reservation = ? WHERE id = ?");
        PreparedStatement insert = c.prepareStatement(SPLIT)) {
      for (List<Take> parts : byBlock.values()) {
        parts.sort(Comparator.comparingLong(Take::start));
        HeldBlock block = parts.get(0).block();
        Take first = parts.get(0);
        update.setLong(1, first.start());
        update.setLong(2, first.end());
        update.setString(3, move.toAccount());
        update.setString(4, move.newState());
        update.setObject(5, move.reservation());
        update.setLong(6, block.id());
        update.addBatch();
        long next = block.start();
        for (Take part : parts) {
          if (part != first) {
            addSplit(
                insert,
                block.id(),
                part.start(),
                part.end(),
                move.toAccount(),
                move.newState(),
                move.reservation());
          }
          if (part.start() > next) {
            addSplit(
                insert,
                block.id(),
                next,
                part.start() - 1,
                move.fromAccount(),
                move.sourceState(),
                null);
          }
          next = part.end() + 1;
        }
        if (next <= block.end()) {
          addSplit(
              insert, block.id(), next, block.end(), move.fromAccount(), move.sourceState(), null);
        }
      }
      // every shrink before any insert: the new rows take serials the shrunk rows just gave up
      update.executeBatch();
      insert.executeBatch();
    } catch (SQLException e) {
      throw new IllegalStateException("moving blocks from " + move.fromAccount() + " failed", e);
    }
    List<Block> moved = new ArrayList<>(takes.size());
    for (Take take : takes) {
      moved.add(
          block(
              take.block().unitId(), take.start(), take.end(), move.toAccount(), move.newState()));
    }
    return moved;
  }

  /**
   * A part of block {@code parent} as a new row, with the parent's unit, vintage and corresponding
   * adjustment.
   */
  private static final String SPLIT =
      "INSERT INTO credit_block (unit_id, serial_start, serial_end, vintage, account, state, reservation, ca_status, ca_applied_at,"
          + " ca_applied_by, ca_first_transfer) SELECT unit_id, ?, ?, vintage, ?, ?, ?, ca_status, ca_applied_at, ca_applied_by,"
          + " ca_first_transfer FROM credit_block WHERE id = ?";

  private static void addSplit(
      PreparedStatement insert,
      long parent,
      long start,
      long end,
      String account,
      String state,
      UUID reservation)
      throws SQLException {
    insert.setLong(1, start);
    insert.setLong(2, end);
    insert.setString(3, account);
    insert.setString(4, state);
    insert.setObject(5, reservation);
    insert.setLong(6, parent);
    insert.addBatch();
  }

  /** A new block of freshly minted or acquired units. */
  public void insert(
      String unitId,
      long start,
      long end,
      int vintage,
      String account,
      String state,
      String correspondingAdjustment) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement insert = c.prepareStatement(INSERT)) {
      insert.setString(1, unitId);
      insert.setLong(2, start);
      insert.setLong(3, end);
      insert.setInt(4, vintage);
      insert.setString(5, account);
      insert.setString(6, state);
      insert.setString(7, correspondingAdjustment);
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("inserting a block of " + unitId + " failed", e);
    }
  }

  private static final String INSERT =
      "INSERT INTO credit_block (unit_id, serial_start, serial_end, vintage, account, state, ca_status) VALUES (?, ?, ?, ?, ?, ?, ?)";

  public static Block block(String unitId, long start, long end, String account, String state) {
    return new Block(
        UnitIdentifiers.blockSerial(unitId, start, end),
        unitId,
        start,
        end,
        end - start + 1,
        account,
        state);
  }

  private List<HeldBlock> query(String sql, String account) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, account);
      try (ResultSet rs = s.executeQuery()) {
        return held(rs);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading blocks of " + account + " failed", e);
    }
  }

  private static List<HeldBlock> held(ResultSet rs) throws SQLException {
    List<HeldBlock> blocks = new ArrayList<>();
    while (rs.next()) {
      blocks.add(
          new HeldBlock(
              rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getLong(5)));
    }
    return blocks;
  }
}
