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

  public List<HeldBlock> activeOverlapping(String account, List<SerialRange> ranges) {
    List<HeldBlock> result = new ArrayList<>();
    String sql =
        "SELECT id, unit_id, vintage, serial_start, serial_end FROM credit_block"
            + " WHERE account = ? AND state = 'ACTIVE' AND unit_id = ? AND serials && int8range(?, ?, '[]')";
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
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
    String sql = "SELECT 1 FROM credit_block WHERE account = ? AND state <> 'ACTIVE' AND unit_id = ? AND serials && int8range(?, ?, '[]') LIMIT 1";
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
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

  /** Binds (account, unit id, first serial, last serial) of a statement over one account's serial range. */
  private static void bindRange(PreparedStatement s, String account, SerialRange range) throws SQLException {
    s.setString(1, account);
    s.setString(2, range.unitId());
    s.setLong(3, range.start());
    s.setLong(4, range.end());
  }

  /**
   * Gives each taken part its new account and state. Per block, the first taken part keeps the
   * block's row (shrunk first, so no range ever overlaps another); further taken parts and the
   * untouched rest of the block become new rows, the rest staying ACTIVE with {@code fromAccount}.
   */
  public List<Block> apply(List<Take> takes, String fromAccount, String toAccount, String newState) {
    Map<Long, List<Take>> byBlock = new LinkedHashMap<>();
    for (Take take : takes) {
      byBlock.computeIfAbsent(take.block().id(), id -> new ArrayList<>()).add(take);
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement update = c.prepareStatement("UPDATE credit_block SET serial_start = ?, serial_end = ?, account = ?, state = ? WHERE id = ?");
        PreparedStatement insert = c.prepareStatement(INSERT)) {
      for (List<Take> parts : byBlock.values()) {
        parts.sort(Comparator.comparingLong(Take::start));
        HeldBlock block = parts.get(0).block();
        Take first = parts.get(0);
        update.setLong(1, first.start());
        update.setLong(2, first.end());
        update.setString(3, toAccount);
        update.setString(4, newState);
        update.setLong(5, block.id());
        update.addBatch();
        long next = block.start();
        for (Take part : parts) {
          if (part != first) {
            addInsert(insert, block.unitId(), part.start(), part.end(), block.vintage(), toAccount, newState);
          }
          if (part.start() > next) {
            addInsert(insert, block.unitId(), next, part.start() - 1, block.vintage(), fromAccount, "ACTIVE");
          }
          next = part.end() + 1;
        }
        if (next <= block.end()) {
          addInsert(insert, block.unitId(), next, block.end(), block.vintage(), fromAccount, "ACTIVE");
        }
      }
      // every shrink before any insert: the new rows take serials the shrunk rows just gave up
      update.executeBatch();
      insert.executeBatch();
    } catch (SQLException e) {
      throw new IllegalStateException("moving blocks from " + fromAccount + " failed", e);
    }
    List<Block> moved = new ArrayList<>(takes.size());
    for (Take take : takes) {
      moved.add(block(take.block().unitId(), take.start(), take.end(), toAccount, newState));
    }
    return moved;
  }

  public void insert(String unitId, long start, long end, int vintage, String account, String state) {
    try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(INSERT)) {
      addInsert(insert, unitId, start, end, vintage, account, state);
      insert.executeBatch();
    } catch (SQLException e) {
      throw new IllegalStateException("inserting a block of " + unitId + " failed", e);
    }
  }

  private static final String INSERT = "INSERT INTO credit_block (unit_id, serial_start, serial_end, vintage, account, state) VALUES (?, ?, ?, ?, ?, ?)";

  private static void addInsert(PreparedStatement insert, String unitId, long start, long end, int vintage, String account, String state)
      throws SQLException {
    insert.setString(1, unitId);
    insert.setLong(2, start);
    insert.setLong(3, end);
    insert.setInt(4, vintage);
    insert.setString(5, account);
    insert.setString(6, state);
    insert.addBatch();
  }

  public static Block block(String unitId, long start, long end, String account, String state) {
    return new Block(UnitIdentifiers.blockSerial(unitId, start, end), unitId, start, end, end - start + 1, account, state);
  }

  private List<HeldBlock> query(String sql, String account) {
    try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
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
      blocks.add(new HeldBlock(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getLong(5)));
    }
    return blocks;
  }
}
