package org.tanso.registry.article6;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.tanso.events.EventType;
import org.tanso.events.registry.Block;
import org.tanso.events.registry.FirstTransferRecorded;
import org.tanso.outbox.Outbox;
import org.tanso.registry.article6.domain.Authorisation;
import org.tanso.registry.article6.domain.CorrespondingAdjustment;
import org.tanso.registry.article6.domain.FirstTransfer;
import org.tanso.registry.directory.RegistryIdentity;
import org.tanso.registry.unit.RecordedTransaction;
import org.tanso.registry.unit.TransactionLedger;

/**
 * Applies {@link FirstTransfer} to the blocks an action just produced, in the action's transaction:
 * each serial range first transferred by it becomes APPLIED (when, by which party, through which
 * FIRST_TRANSFER transaction), and each first transfer is recorded as its own transaction and
 * {@code FirstTransferRecorded} event. A range already APPLIED is left alone: the update only
 * touches PENDING rows, and the database refuses any change to an APPLIED one.
 */
@ApplicationScoped
public class FirstTransfers {

  private final DataSource dataSource;
  private final Outbox outbox;
  private final TransactionLedger ledger;
  private final RegistryIdentity registry;

  FirstTransfers(
      DataSource dataSource, Outbox outbox, TransactionLedger ledger, RegistryIdentity registry) {
    this.dataSource = dataSource;
    this.outbox = outbox;
    this.ledger = ledger;
    this.registry = registry;
  }

  /**
   * The unit's authorisation as stored (null: mitigation contribution) and its first transferring
   * party.
   */
  record UnitAuthorisation(Authorisation authorisation, String firstTransferringParty) {}

  /**
   * @param blocks exactly the rows the action left (unit, range, account, state)
   * @param triggeredBy id of the triggering action
   * @param eventKey Kafka key of the triggering action's event, so the two keep their order
   * @return the first transfers recorded (none when the action first transfers nothing)
   */
  public List<RecordedTransaction> apply(
      FirstTransfer.Action action,
      List<Block> blocks,
      String triggeredBy,
      String initiatedBy,
      String eventKey,
      Instant at) {
    Map<String, UnitAuthorisation> units =
        authorisations(blocks.stream().map(Block::unitId).distinct().toList());
    record Group(FirstTransfer.Trigger trigger, String party) {}
    Map<Group, List<Block>> candidates = new LinkedHashMap<>();
    for (Block block : blocks) {
      UnitAuthorisation unit = units.get(block.unitId());
      if (unit == null || unit.authorisation() == null) {
        continue;
      }
      // the rule decides for a PENDING range; whether the range still is PENDING, the update below
      // finds out
      Optional<FirstTransfer.Trigger> trigger =
          FirstTransfer.by(action, unit.authorisation(), CorrespondingAdjustment.PENDING);
      trigger.ifPresent(
          t ->
              candidates
                  .computeIfAbsent(
                      new Group(t, unit.firstTransferringParty()), g -> new ArrayList<>())
                  .add(block));
    }
    List<RecordedTransaction> recorded = new ArrayList<>();
    for (Map.Entry<Group, List<Block>> group : candidates.entrySet()) {
      UUID id = UUID.randomUUID();
      List<Block> applied = markApplied(group.getValue(), id, group.getKey().party(), at);
      if (applied.isEmpty()) {
        continue;
      }
      long quantity = applied.stream().mapToLong(Block::quantity).sum();
      RecordedTransaction t =
          RecordedTransaction.firstTransfer(
              id,
              initiatedBy,
              quantity,
              new RecordedTransaction.Cause(group.getKey().trigger().name(), triggeredBy),
              applied,
              at);
      ledger.record(t);
      outbox.append(
          "account",
          eventKey,
          EventType.registry("FirstTransferRecorded"),
          applied.get(0).unitId(),
          new FirstTransferRecorded(
              registry.id(),
              id.toString(),
              group.getKey().trigger().name(),
              triggeredBy,
              group.getKey().party(),
              quantity,
              applied,
              at));
      recorded.add(t);
    }
    return recorded;
  }

  private List<Block> markApplied(List<Block> blocks, UUID transaction, String party, Instant at) {
    List<Block> applied = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "UPDATE credit_block SET ca_status = 'APPLIED', ca_applied_at = ?, ca_applied_by = ?, ca_first_transfer = ?"
                    + " WHERE unit_id = ? AND serial_start = ? AND serial_end = ? AND account = ? AND state = ? AND ca_status = 'PENDING'")) {
      for (Block b : blocks) {
        s.setTimestamp(1, Timestamp.from(at));
        s.setString(2, party);
        s.setObject(3, transaction);
        s.setString(4, b.unitId());
        s.setLong(5, b.start());
        s.setLong(6, b.end());
        s.setString(7, b.account());
        s.setString(8, b.state());
        if (s.executeUpdate() == 1) {
          applied.add(b);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("applying the corresponding adjustment failed", e);
    }
    return applied;
  }

  /** The stored authorisation of each unit id. */
  public Map<String, UnitAuthorisation> authorisations(List<String> unitIds) {
    Map<String, UnitAuthorisation> result = new HashMap<>();
    if (unitIds.isEmpty()) {
      return result;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT unit_id, authorisation_status, purposes, authorisation_purpose, first_transfer_definition, first_transferring_party, host_party"
                    + " FROM unit_issuance WHERE unit_id = ANY (?)")) {
      Array ids = c.createArrayOf("varchar", unitIds.toArray());
      s.setArray(1, ids);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          boolean authorised = "AUTHORISED".equals(rs.getString(2));
          Authorisation authorisation =
              authorised
                  ? Authorisation.of(
                      null,
                      rs.getString(3) == null ? rs.getString(4) : rs.getString(3),
                      rs.getString(5))
                  : null;
          String party = rs.getString(6) == null ? rs.getString(7) : rs.getString(6);
          result.put(rs.getString(1), new UnitAuthorisation(authorisation, party));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading authorisations failed", e);
    }
    return result;
  }
}
