package org.tanso.registry.report;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.tanso.http.ApiException;
import org.tanso.registry.article6.domain.AefAction;
import org.tanso.registry.article6.domain.Authorisation;
import org.tanso.registry.article6.domain.FirstTransfer;
import org.tanso.registry.article6.domain.ItmoIdentifier;
import org.tanso.registry.article6.domain.Purpose;
import org.tanso.registry.directory.RegistryIdentity;
import org.tanso.registry.directory.domain.RegistryDirectory;

/**
 * Builds the AEF report of one year from the registry's records: each action row is one serial
 * range of one recorded transaction (or issuance) of authorised units in that year (UTC), so the
 * totals per action type are the registry's own figures.
 */
@ApplicationScoped
public class AefReports {

  static final String METRIC = "tCO2e";

  private final DataSource dataSource;
  private final RegistryIdentity registry;

  AefReports(DataSource dataSource, RegistryIdentity registry) {
    this.dataSource = dataSource;
    this.registry = registry;
  }

  /** The units' data every row repeats. */
  private record Unit(
      String unitId,
      String cooperativeApproach,
      String authorisationId,
      String firstTransferringParty,
      String originatingRegistry,
      String mechanism,
      int vintage,
      String sector,
      String activityType,
      Authorisation authorisation) {

    String id(long serial) {
      return ItmoIdentifier.of(
          cooperativeApproach,
          originatingRegistry,
          firstTransferringParty,
          unitId,
          serial,
          vintage);
    }

    String unit(long serial) {
      return unitId + "-" + String.format(Locale.ROOT, "%06d", serial);
    }

    String underlyingRegistry() {
      return "A6_4".equals(mechanism) ? "Article 6.4 mechanism registry" : mechanism;
    }

    String purposes() {
      return AefAction.purposes(authorisation);
    }

    String definition() {
      return authorisation.firstTransferDefinition() == null
          ? null
          : authorisation.firstTransferDefinition().name();
    }
  }

  private static final String UNIT_COLUMNS =
      "u.unit_id, u.cooperative_approach, u.authorisation_id, u.first_transferring_party, u.originating_registry, u.mechanism, u.vintage,"
          + " u.sectoral_scope, u.methodology, coalesce(u.purposes, u.authorisation_purpose), u.first_transfer_definition";

  private static Unit unit(ResultSet rs, int at) throws SQLException {
    return new Unit(
        rs.getString(at),
        rs.getString(at + 1),
        rs.getString(at + 2),
        trim(rs.getString(at + 3)),
        rs.getString(at + 4),
        rs.getString(at + 5),
        rs.getInt(at + 6),
        rs.getString(at + 7),
        rs.getString(at + 8),
        Authorisation.of(null, rs.getString(at + 9), rs.getString(at + 10)));
  }

  public AefReport report(String yearText) {
    int year;
    try {
      year = Integer.parseInt(yearText == null ? "" : yearText);
    } catch (NumberFormatException e) {
      throw ApiException.malformed("year must be a four-digit year, e.g. year=2026");
    }
    if (year < 1990 || year > 2200) {
      throw ApiException.malformed("year must be between 1990 and 2200");
    }
    Instant from = LocalDate.of(year, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant to = LocalDate.of(year + 1, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant now = Instant.now();
    try (Connection c = dataSource.getConnection()) {
      c.setReadOnly(true);
      // one snapshot for all tables, so that they agree with each other
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setAutoCommit(false);
      try {
        List<AefReport.Action> actions = new ArrayList<>();
        actions.addAll(authorizations(c, from, to));
        actions.addAll(omgeCancellations(c, from, to));
        actions.addAll(transactions(c, from, to));
        actions.sort(
            Comparator.comparing(AefReport.Action::actionDate)
                .thenComparing(AefReport.Action::recordId)
                .thenComparing(AefReport.Action::firstUniqueIdentifier));
        RegistryDirectory.Registry self = registry.directory().self();
        return new AefReport(
            new AefReport.Submission(self.party(), year, self.id(), self.name(), now, now),
            authorisations(c, from, to),
            actions,
            holdings(c),
            totals(actions));
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("building the AEF report for " + year + " failed", e);
    }
  }

  /**
   * Authorisations of units this registry issued, dated in the year (undated ones by their first
   * issuance).
   */
  private List<AefReport.Authorisation> authorisations(Connection c, Instant from, Instant to)
      throws SQLException {
    String sql =
        "SELECT u.authorisation_id, min(u.authorisation_date), min(u.host_party), min(u.cooperative_approach), max(u.authorised_quantity),"
            + " string_agg(DISTINCT u.sectoral_scope, '; '), string_agg(DISTINCT u.methodology, '; '), min(coalesce(u.purposes, u.authorisation_purpose)),"
            + " min(u.first_transfer_definition), sum(u.quantity)"
            + " FROM unit_issuance u WHERE u.authorisation_status = 'AUTHORISED' AND NOT u.acquired GROUP BY u.authorisation_id"
            + " HAVING coalesce(min(u.authorisation_date), CAST(min(u.issued_at) AT TIME ZONE 'UTC' AS date)) >= ?"
            + " AND coalesce(min(u.authorisation_date), CAST(min(u.issued_at) AT TIME ZONE 'UTC' AS date)) < ? ORDER BY 1";
    List<AefReport.Authorisation> rows = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, from.atOffset(ZoneOffset.UTC).toLocalDate());
      s.setObject(2, to.atOffset(ZoneOffset.UTC).toLocalDate());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          Authorisation a = Authorisation.of(null, rs.getString(8), rs.getString(9));
          rows.add(
              new AefReport.Authorisation(
                  rs.getString(1),
                  rs.getDate(2) == null ? null : rs.getDate(2).toLocalDate(),
                  trim(rs.getString(3)),
                  rs.getString(4),
                  rs.getObject(5) == null ? null : rs.getLong(5),
                  METRIC,
                  rs.getString(6),
                  rs.getString(7),
                  AefAction.purposes(a),
                  a.firstTransferDefinition() == null ? null : a.firstTransferDefinition().name(),
                  rs.getLong(10)));
        }
      }
    }
    return rows;
  }

  /**
   * Each issuance of authorised units in the year: the units it authorised, serials 1..quantity.
   */
  private List<AefReport.Action> authorizations(Connection c, Instant from, Instant to)
      throws SQLException {
    String sql =
        "SELECT "
            + UNIT_COLUMNS
            + ", u.issued_at, u.quantity FROM unit_issuance u"
            + " WHERE u.authorisation_status = 'AUTHORISED' AND NOT u.acquired AND u.issued_at >= ? AND u.issued_at < ?";
    List<AefReport.Action> rows = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bindYear(s, from, to);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          Unit u = unit(rs, 1);
          rows.add(
              action(
                  AefAction.AUTHORIZATION,
                  date(rs.getTimestamp(12)),
                  u.unitId(),
                  u,
                  1,
                  rs.getLong(13),
                  null,
                  null,
                  null));
        }
      }
    }
    return rows;
  }

  /**
   * Units cancelled at issuance for overall mitigation (A6.4): CANCELLED rows no cancellation
   * transaction made.
   */
  private List<AefReport.Action> omgeCancellations(Connection c, Instant from, Instant to)
      throws SQLException {
    String sql =
        "SELECT "
            + UNIT_COLUMNS
            + ", u.issued_at, b.serial_start, b.serial_end FROM credit_block b JOIN unit_issuance u ON u.unit_id = b.unit_id"
            + " WHERE u.authorisation_status = 'AUTHORISED' AND NOT u.acquired AND b.state = 'CANCELLED' AND u.issued_at >= ? AND u.issued_at < ?"
            + " AND NOT EXISTS (SELECT 1 FROM transaction_block tb JOIN registry_transaction t ON t.id = tb.transaction_id AND t.kind = 'CANCELLATION'"
            + " WHERE tb.unit_id = b.unit_id AND int8range(tb.serial_start, tb.serial_end, '[]') @> b.serials)";
    List<AefReport.Action> rows = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bindYear(s, from, to);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          Unit u = unit(rs, 1);
          rows.add(
              action(
                  AefAction.CANCELLATION_OMGE,
                  date(rs.getTimestamp(12)),
                  u.unitId(),
                  u,
                  rs.getLong(13),
                  rs.getLong(14),
                  null,
                  null,
                  registry.party()));
        }
      }
    }
    return rows;
  }

  /**
   * First transfers, international transfers, acquisitions, uses and cancellations recorded in the
   * year.
   */
  private List<AefReport.Action> transactions(Connection c, Instant from, Instant to)
      throws SQLException {
    String sql =
        "SELECT "
            + UNIT_COLUMNS
            + ", t.id, t.kind, t.created_at, t.purpose, t.using_party, t.counterpart_registry, t.trigger, t.triggered_by,"
            + " tb.serial_start, tb.serial_end FROM registry_transaction t JOIN transaction_block tb ON tb.transaction_id = t.id"
            + " JOIN unit_issuance u ON u.unit_id = tb.unit_id WHERE u.authorisation_status = 'AUTHORISED'"
            + " AND t.kind IN ('FIRST_TRANSFER', 'INTERNATIONAL_TRANSFER', 'ACQUISITION', 'RETIREMENT', 'CANCELLATION')"
            + " AND t.created_at >= ? AND t.created_at < ? ORDER BY t.created_at, t.id, tb.position";
    Map<String, String> transferDestinations = transferDestinations(c);
    String self = registry.party();
    List<AefReport.Action> rows = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bindYear(s, from, to);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          Unit u = unit(rs, 1);
          String id = rs.getString(12);
          String kind = rs.getString(13);
          LocalDate date = date(rs.getTimestamp(14));
          String counterpart = partyOf(rs.getString(17));
          long start = rs.getLong(20);
          long end = rs.getLong(21);
          AefReport.Action row =
              switch (kind) {
                case "FIRST_TRANSFER" -> {
                  FirstTransfer.Trigger trigger = FirstTransfer.Trigger.valueOf(rs.getString(18));
                  String acquiring =
                      trigger == FirstTransfer.Trigger.INTERNATIONAL_TRANSFER
                          ? partyOf(transferDestinations.get(rs.getString(19)))
                          : null;
                  yield action(
                      AefAction.firstTransfer(trigger),
                      date,
                      id,
                      u,
                      start,
                      end,
                      u.firstTransferringParty(),
                      acquiring,
                      null);
                }
                case "INTERNATIONAL_TRANSFER" ->
                    action(AefAction.TRANSFER, date, id, u, start, end, self, counterpart, null);
                case "ACQUISITION" ->
                    action(AefAction.ACQUISITION, date, id, u, start, end, counterpart, self, null);
                case "RETIREMENT" ->
                    action(
                        AefAction.use(Purpose.valueOf(rs.getString(15))),
                        date,
                        id,
                        u,
                        start,
                        end,
                        null,
                        null,
                        trim(rs.getString(16)));
                default ->
                    action(
                        AefAction.VOLUNTARY_CANCELLATION,
                        date,
                        id,
                        u,
                        start,
                        end,
                        null,
                        null,
                        self);
              };
          rows.add(row);
        }
      }
    }
    return rows;
  }

  /** Where each outgoing international transfer went (registry id by transfer id). */
  private static Map<String, String> transferDestinations(Connection c) throws SQLException {
    Map<String, String> result = new HashMap<>();
    try (PreparedStatement s =
            c.prepareStatement(
                "SELECT CAST(id AS text), to_registry FROM international_transfer WHERE direction = 'OUT'");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        result.put(rs.getString(1), rs.getString(2));
      }
    }
    return result;
  }

  /** Authorised units held in this registry now: ACTIVE or reserved for a transfer in progress. */
  private List<AefReport.Holding> holdings(Connection c) throws SQLException {
    String sql =
        "SELECT "
            + UNIT_COLUMNS
            + ", b.account, b.state, b.serial_start, b.serial_end, b.ca_status FROM credit_block b"
            + " JOIN unit_issuance u ON u.unit_id = b.unit_id WHERE u.authorisation_status = 'AUTHORISED' AND b.state IN ('ACTIVE', 'RESERVED')"
            + " ORDER BY b.account, b.unit_id, b.serial_start";
    List<AefReport.Holding> rows = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(sql);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        Unit u = unit(rs, 1);
        long start = rs.getLong(14);
        long end = rs.getLong(15);
        rows.add(
            new AefReport.Holding(
                rs.getString(12),
                rs.getString(13),
                u.cooperativeApproach(),
                u.authorisationId(),
                u.firstTransferringParty(),
                u.id(start),
                u.id(end),
                u.unit(start),
                u.unit(end),
                METRIC,
                end - start + 1,
                u.vintage(),
                u.sector(),
                u.activityType(),
                u.purposes(),
                rs.getString(16)));
      }
    }
    return rows;
  }

  private AefReport.Action action(
      AefAction action,
      LocalDate date,
      String recordId,
      Unit u,
      long start,
      long end,
      String transferring,
      String acquiring,
      String using) {
    return new AefReport.Action(
        date,
        action.type(),
        action.subtype(),
        recordId,
        u.cooperativeApproach(),
        u.authorisationId(),
        u.firstTransferringParty(),
        registry.id(),
        u.id(start),
        u.id(end),
        u.underlyingRegistry(),
        u.unit(start),
        u.unit(end),
        METRIC,
        end - start + 1,
        u.vintage(),
        u.sector(),
        u.activityType(),
        transferring,
        acquiring,
        u.purposes(),
        u.definition(),
        using);
  }

  private static List<AefReport.Total> totals(List<AefReport.Action> actions) {
    Map<String, long[]> sums = new LinkedHashMap<>();
    Map<String, String[]> names = new LinkedHashMap<>();
    for (AefAction a : AefAction.values()) {
      String key = a.type() + "|" + a.subtype();
      sums.put(key, new long[2]);
      names.put(key, new String[] {a.type(), a.subtype()});
    }
    for (AefReport.Action row : actions) {
      long[] sum = sums.get(row.actionType() + "|" + row.actionSubtype());
      sum[0]++;
      sum[1] += row.quantity();
    }
    List<AefReport.Total> totals = new ArrayList<>();
    sums.forEach(
        (key, sum) ->
            totals.add(new AefReport.Total(names.get(key)[0], names.get(key)[1], sum[0], sum[1])));
    return totals;
  }

  private String partyOf(String registryId) {
    if (registryId == null) {
      return null;
    }
    return registry
        .directory()
        .peer(registryId)
        .map(RegistryDirectory.Registry::party)
        .orElse(registryId.length() >= 2 ? registryId.substring(0, 2) : registryId);
  }

  private static void bindYear(PreparedStatement s, Instant from, Instant to) throws SQLException {
    s.setTimestamp(1, Timestamp.from(from));
    s.setTimestamp(2, Timestamp.from(to));
  }

  private static LocalDate date(Timestamp ts) {
    return ts.toInstant().atOffset(ZoneOffset.UTC).toLocalDate();
  }

  private static String trim(String value) {
    return value == null ? null : value.trim();
  }
}
