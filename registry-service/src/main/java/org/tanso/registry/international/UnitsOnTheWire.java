package org.tanso.registry.international;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.tanso.events.interregistry.TransferredUnits;
import org.tanso.events.registry.Block;

/**
 * Translates between this registry's blocks and the units a registry-to-registry message carries:
 * the same unit id and serials, the issuance's Article 6 data and each range's corresponding
 * adjustment.
 */
@ApplicationScoped
public class UnitsOnTheWire {

  private final DataSource dataSource;

  UnitsOnTheWire(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The blocks as they stand now (each is exactly one row), with their issuance's data. */
  List<TransferredUnits> describe(List<Block> blocks) {
    List<TransferredUnits> units = new ArrayList<>(blocks.size());
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT u.project, u.mechanism, u.host_party, u.vintage, u.monitoring_start, u.monitoring_end, u.quantity, u.authorisation_id,"
                    + " u.authorisation_date, coalesce(u.purposes, u.authorisation_purpose), u.first_transfer_definition, u.cooperative_approach,"
                    + " u.originating_registry, u.first_transferring_party, u.sectoral_scope, u.methodology, b.ca_status, b.ca_applied_at,"
                    + " b.ca_applied_by FROM credit_block b JOIN unit_issuance u ON u.unit_id = b.unit_id"
                    + " WHERE b.unit_id = ? AND b.serial_start = ? AND b.serial_end = ?")) {
      for (Block block : blocks) {
        s.setString(1, block.unitId());
        s.setLong(2, block.start());
        s.setLong(3, block.end());
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            throw new IllegalStateException("block " + block.serial() + " is not held here");
          }
          String purposes = rs.getString(10);
          TransferredUnits.Origin origin =
              new TransferredUnits.Origin(
                  rs.getString(1),
                  rs.getString(2),
                  trim(rs.getString(3)),
                  rs.getInt(4),
                  rs.getDate(5).toLocalDate(),
                  rs.getDate(6).toLocalDate(),
                  rs.getLong(7),
                  rs.getString(8),
                  rs.getDate(9) == null ? null : rs.getDate(9).toLocalDate(),
                  purposes == null ? List.of() : Arrays.asList(purposes.split(",")),
                  rs.getString(11),
                  rs.getString(12),
                  rs.getString(13),
                  trim(rs.getString(14)),
                  rs.getString(15),
                  rs.getString(16));
          Timestamp appliedAt = rs.getTimestamp(18);
          units.add(
              new TransferredUnits(
                  block.unitId(),
                  block.start(),
                  block.end(),
                  origin,
                  new TransferredUnits.CorrespondingAdjustment(
                      rs.getString(17),
                      appliedAt == null ? null : appliedAt.toInstant(),
                      trim(rs.getString(19)))));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("describing blocks failed", e);
    }
    return units;
  }

  /** Records the issuance data of a unit id acquired from another registry, once. */
  void recordAcquiredIssuance(TransferredUnits units, Instant at) {
    TransferredUnits.Origin o = units.origin();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO unit_issuance (unit_id, request_id, project, mechanism, host_party, vintage, issuance_no, monitoring_start, monitoring_end,"
                    + " quantity, authorisation_status, authorisation_id, authorisation_purpose, corresponding_adjustment, cooperative_approach,"
                    + " originating_registry, first_transferring_party, issued_at, purposes, first_transfer_definition, authorisation_date,"
                    + " sectoral_scope, methodology, acquired)"
                    + " VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, 'AUTHORISED', ?, ?, 'PENDING', ?, ?, ?, ?, ?, ?, ?, ?, ?, true)"
                    + " ON CONFLICT (unit_id) DO NOTHING")) {
      s.setString(1, units.unitId());
      s.setString(2, o.project());
      s.setString(3, o.mechanism());
      s.setString(4, o.hostParty());
      s.setInt(5, o.vintage());
      s.setInt(6, issuanceNumber(units.unitId()));
      s.setDate(7, Date.valueOf(o.monitoringStart()));
      s.setDate(8, Date.valueOf(o.monitoringEnd()));
      s.setLong(9, o.issuedQuantity());
      s.setString(10, o.authorisationId());
      s.setString(11, o.purposes().isEmpty() ? null : o.purposes().get(0));
      s.setString(12, o.cooperativeApproach());
      s.setString(13, o.originatingRegistry());
      s.setString(14, o.firstTransferringParty());
      s.setTimestamp(15, Timestamp.from(at));
      s.setString(16, String.join(",", o.purposes()));
      s.setString(17, o.firstTransferDefinition());
      s.setDate(18, o.authorisationDate() == null ? null : Date.valueOf(o.authorisationDate()));
      s.setString(19, o.sectoralScope());
      s.setString(20, o.methodology());
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "recording the issuance of acquired unit " + units.unitId() + " failed", e);
    }
  }

  /**
   * Takes over the corresponding adjustment the sender applied; a range applied here already keeps
   * its own.
   */
  void adoptAdjustment(Block block, TransferredUnits.CorrespondingAdjustment adjustment) {
    if (adjustment == null || !"APPLIED".equals(adjustment.status())) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "UPDATE credit_block SET ca_status = 'APPLIED', ca_applied_at = ?, ca_applied_by = ?"
                    + " WHERE unit_id = ? AND serial_start = ? AND serial_end = ? AND ca_status <> 'APPLIED'")) {
      s.setTimestamp(1, Timestamp.from(adjustment.appliedAt()));
      s.setString(2, adjustment.appliedBy());
      s.setString(3, block.unitId());
      s.setLong(4, block.start());
      s.setLong(5, block.end());
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "recording the corresponding adjustment of " + block.serial() + " failed", e);
    }
  }

  /** The issuance number at the end of a unit id ({@code ...-0003}), 0 when there is none. */
  static int issuanceNumber(String unitId) {
    int dash = unitId.lastIndexOf('-');
    try {
      return dash < 0 ? 0 : Integer.parseInt(unitId.substring(dash + 1));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String trim(String value) {
    return value == null ? null : value.trim();
  }
}
