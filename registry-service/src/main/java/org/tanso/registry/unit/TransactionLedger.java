package org.tanso.registry.unit;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import javax.sql.DataSource;
import org.tanso.events.registry.Block;

/**
 * Writes recorded transactions (registry_transaction, transaction_block) on the caller's
 * transaction.
 */
@ApplicationScoped
public class TransactionLedger {

  private final DataSource dataSource;

  TransactionLedger(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public RecordedTransaction record(RecordedTransaction t) {
    RecordedTransaction.Retirement r = t.retirement();
    try (Connection c = dataSource.getConnection();
        PreparedStatement tx =
            c.prepareStatement(
                "INSERT INTO registry_transaction (id, kind, from_account, to_account, quantity, initiated_by, beneficiary, purpose, using_party,"
                    + " retirement_id, reason, created_at, counterpart_registry, counterpart_account, trigger, triggered_by)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        PreparedStatement parts =
            c.prepareStatement(
                "INSERT INTO transaction_block (transaction_id, position, unit_id, serial_start, serial_end, account, state) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      tx.setObject(1, t.id());
      tx.setString(2, t.kind().name());
      tx.setString(3, t.from());
      tx.setString(4, t.to());
      tx.setLong(5, t.quantity());
      tx.setString(6, t.initiatedBy());
      tx.setString(7, r == null ? null : r.beneficiary());
      tx.setString(8, r == null ? null : r.purpose());
      tx.setString(9, r == null ? null : r.usingParty());
      tx.setString(10, r == null ? null : r.retirementId());
      tx.setString(11, t.reason());
      tx.setTimestamp(12, Timestamp.from(t.at()));
      tx.setString(13, t.counterpart() == null ? null : t.counterpart().registry());
      tx.setString(14, t.counterpart() == null ? null : t.counterpart().account());
      tx.setString(15, t.cause() == null ? null : t.cause().trigger());
      tx.setString(16, t.cause() == null ? null : t.cause().triggeredBy());
      tx.executeUpdate();
      int position = 0;
      for (Block block : t.blocks()) {
        parts.setObject(1, t.id());
        parts.setInt(2, position++);
        parts.setString(3, block.unitId());
        parts.setLong(4, block.start());
        parts.setLong(5, block.end());
        parts.setString(6, block.account());
        parts.setString(7, block.state());
        parts.addBatch();
      }
      parts.executeBatch();
    } catch (SQLException e) {
      throw new IllegalStateException("recording the " + t.kind() + " failed", e);
    }
    return t;
  }
}
