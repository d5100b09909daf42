package org.tanso.registry.retirement;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.tanso.http.ApiException;
import org.tanso.http.CsvExport;
import org.tanso.http.Page;
import org.tanso.http.Paging;
import org.tanso.registry.article6.domain.ItmoIdentifier;
import org.tanso.registry.retirement.RetirementViews.Article6;
import org.tanso.registry.retirement.RetirementViews.HeldRetirement;
import org.tanso.registry.retirement.RetirementViews.Range;
import org.tanso.registry.retirement.RetirementViews.Retirement;
import org.tanso.registry.unit.domain.UnitIdentifiers;

/**
 * The one query of retirement lists, public and authenticated: retirements in the order of their
 * numbers, filtered (V6 indexes make each filter a range scan in that order), optionally limited to
 * the accounts of one holder. Only the authenticated view reads the retiring account.
 */
@ApplicationScoped
class RetirementQueries {

  private static final String CURSOR = "r";

  /**
   * Which retirements a caller may list: all of them, or those retired from a holder's accounts.
   */
  record Scope(String holder) {
    static final Scope ALL = new Scope(null);
  }

  private final DataSource dataSource;
  private final CsvExport csv;

  RetirementQueries(DataSource dataSource, CsvExport csv) {
    this.dataSource = dataSource;
    this.csv = csv;
  }

  Page<Retirement> publicPage(RetirementFilter filter, String after, String limit) {
    Page<HeldRetirement> page = page(filter, Scope.ALL, after, limit, false);
    return new Page<>(page.items().stream().map(HeldRetirement::retirement).toList(), page.next());
  }

  Page<HeldRetirement> page(RetirementFilter filter, Scope scope, String after, String limit) {
    return page(filter, scope, after, limit, true);
  }

  Retirement publicOne(String id) {
    if (id.length() > 32) {
      throw notFound(id);
    }
    Selection selection = new Selection(null, Scope.ALL, 0);
    selection.where.append(" AND t.retirement_id = ?");
    selection.parameters.add(id);
    List<HeldRetirement> found = read(selection, 1, false);
    if (found.isEmpty()) {
      throw notFound(id);
    }
    return found.get(0).retirement();
  }

  /** The whole filtered public list, one CSV row per retired serial range. */
  jakarta.ws.rs.core.Response publicCsv(RetirementFilter filter) {
    Selection selection = new Selection(filter, Scope.ALL, 0);
    String sql =
        "SELECT t.retirement_id, t.created_at, t.beneficiary, t.purpose, t.using_party, t.quantity, "
            + BLOCK_COLUMNS
            + " FROM registry_transaction t"
            + selection.joins
            + BLOCK_JOINS
            + " WHERE "
            + selection.where
            + " ORDER BY t.retirement_no, tb.position";
    return csv.response(
        new CsvExport.Export(
            "retirements.csv",
            fingerprint(selection) + "\n" + (filter == null ? "" : filter.describe()),
            List.of(
                "retirementId",
                "retiredAt",
                "beneficiary",
                "purpose",
                "usingParty",
                "quantity",
                "serial",
                "unitId",
                "start",
                "end",
                "rangeQuantity",
                "project",
                "vintage",
                "authorisationStatus",
                "authorisationId",
                "authorisationPurpose",
                "cooperativeApproach",
                "originatingRegistry",
                "firstTransferringParty",
                "firstItmoIdentifier",
                "lastItmoIdentifier",
                "correspondingAdjustment"),
            sql,
            selection.parameters,
            rs -> {
              Range r = range(rs, 7);
              Article6 a = r.article6();
              List<Object> row = new ArrayList<>(22);
              row.add(rs.getString(1));
              row.add(rs.getTimestamp(2).toInstant().toString());
              row.add(rs.getString(3));
              row.add(rs.getString(4));
              row.add(rs.getString(5));
              row.add(rs.getLong(6));
              row.add(r.serial());
              row.add(r.unitId());
              row.add(r.start());
              row.add(r.end());
              row.add(r.quantity());
              row.add(r.project());
              row.add(r.vintage());
              row.add(r.authorisationStatus());
              row.add(a == null ? null : a.authorisationId());
              row.add(a == null ? null : a.authorisationPurpose());
              row.add(a == null ? null : a.cooperativeApproach());
              row.add(a == null ? null : a.originatingRegistry());
              row.add(a == null ? null : a.firstTransferringParty());
              row.add(a == null ? null : a.firstItmoIdentifier());
              row.add(a == null ? null : a.lastItmoIdentifier());
              row.add(r.correspondingAdjustment());
              return row;
            }));
  }

  private Page<HeldRetirement> page(
      RetirementFilter filter, Scope scope, String after, String limit, boolean withAccount) {
    long position = Paging.after(CURSOR, after);
    int size = Paging.limit(limit);
    Selection selection = new Selection(filter, scope, position);
    List<HeldRetirement> rows = read(selection, size + 1, withAccount);
    return Page.of(rows, size, CURSOR, r -> number(r.retirement().id()), r -> r);
  }

  /** The WHERE clause and joins of a filtered, scoped list after a position. */
  private static final class Selection {
    final StringBuilder joins = new StringBuilder();
    final StringBuilder where = new StringBuilder("t.retirement_no IS NOT NULL");
    final List<Object> parameters = new ArrayList<>();

    Selection(RetirementFilter filter, Scope scope, long after) {
      // parameters in the order their placeholders appear: joins first
      if (filter != null && filter.project() != null) {
        joins.append(
            " JOIN retirement_project rp ON rp.retirement_no = t.retirement_no AND rp.project = ?");
        parameters.add(filter.project());
      }
      if (scope.holder() != null) {
        joins.append(" JOIN account a ON a.number = t.from_account AND a.holder = ?");
        parameters.add(scope.holder());
      }
      if (filter != null && filter.year() != null) {
        where.append(" AND t.retirement_year = ?");
        parameters.add(filter.year());
      }
      if (filter != null && filter.beneficiary() != null) {
        where.append(" AND t.beneficiary = ?");
        parameters.add(filter.beneficiary());
      }
      if (after > 0) {
        where.append(" AND t.retirement_no > ?");
        parameters.add(after);
        if (filter != null && filter.project() != null) {
          // said of both sides, so that the project's index is entered at the cursor too
          where.append(" AND rp.retirement_no > ?");
          parameters.add(after);
        }
      }
    }
  }

  private static final String BLOCK_COLUMNS =
      "tb.unit_id, tb.serial_start, tb.serial_end, u.project, u.vintage, u.authorisation_status,"
          + " u.authorisation_id, u.authorisation_purpose, u.cooperative_approach,"
          + " u.originating_registry, u.first_transferring_party, b.ca_status";

  private static final String BLOCK_JOINS =
      " JOIN transaction_block tb ON tb.transaction_id = t.id"
          + " JOIN unit_issuance u ON u.unit_id = tb.unit_id"
          + " LEFT JOIN credit_block b ON b.unit_id = tb.unit_id"
          + " AND b.serials = int8range(tb.serial_start, tb.serial_end, '[]') AND b.state = 'RETIRED'";

  private List<HeldRetirement> read(Selection selection, int limit, boolean withAccount) {
    String sql =
        "SELECT t.retirement_no, t.retirement_id, t.created_at, t.beneficiary, t.purpose,"
            + " t.using_party, t.quantity, "
            + (withAccount ? "t.from_account" : "NULL")
            + " FROM registry_transaction t"
            + selection.joins
            + " WHERE "
            + selection.where
            + " ORDER BY t.retirement_no LIMIT ?";
    Map<Long, String> accounts = new LinkedHashMap<>();
    Map<Long, Object[]> heads = new LinkedHashMap<>();
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement s = c.prepareStatement(sql)) {
        int i = 1;
        for (Object p : selection.parameters) {
          s.setObject(i++, p);
        }
        s.setInt(i, limit);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            long no = rs.getLong(1);
            heads.put(
                no,
                new Object[] {
                  rs.getString(2),
                  rs.getTimestamp(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getLong(7)
                });
            accounts.put(no, rs.getString(8));
          }
        }
      }
      Map<Long, List<Range>> blocks = blocks(c, heads.keySet());
      List<HeldRetirement> result = new ArrayList<>(heads.size());
      heads.forEach(
          (no, h) ->
              result.add(
                  new HeldRetirement(
                      accounts.get(no),
                      new Retirement(
                          (String) h[0],
                          ((Timestamp) h[1]).toInstant(),
                          (String) h[2],
                          (String) h[3],
                          (String) h[4],
                          (Long) h[5],
                          blocks.getOrDefault(no, List.of())))));
      return result;
    } catch (SQLException e) {
      throw new IllegalStateException("reading retirements failed", e);
    }
  }

  private static Map<Long, List<Range>> blocks(Connection c, java.util.Set<Long> numbers)
      throws SQLException {
    Map<Long, List<Range>> blocks = new LinkedHashMap<>();
    if (numbers.isEmpty()) {
      return blocks;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT t.retirement_no, "
                + BLOCK_COLUMNS
                + " FROM registry_transaction t"
                + BLOCK_JOINS
                + " WHERE t.retirement_no = ANY (?) ORDER BY t.retirement_no, tb.position")) {
      Array array = c.createArrayOf("bigint", numbers.toArray());
      s.setArray(1, array);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          blocks.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(range(rs, 2));
        }
      }
    }
    return blocks;
  }

  /** The range whose {@link #BLOCK_COLUMNS} start at column {@code first}. */
  private static Range range(ResultSet rs, int first) throws SQLException {
    String unitId = rs.getString(first);
    long start = rs.getLong(first + 1);
    long end = rs.getLong(first + 2);
    int vintage = rs.getInt(first + 4);
    String authorisationStatus = rs.getString(first + 5);
    Article6 article6 = null;
    if ("AUTHORISED".equals(authorisationStatus)) {
      String approach = rs.getString(first + 8);
      String registry = rs.getString(first + 9);
      String transferring = rs.getString(first + 10);
      article6 =
          new Article6(
              rs.getString(first + 6),
              rs.getString(first + 7),
              approach,
              registry,
              transferring,
              ItmoIdentifier.of(approach, registry, transferring, unitId, start, vintage),
              ItmoIdentifier.of(approach, registry, transferring, unitId, end, vintage));
    }
    String adjustment = rs.getString(first + 11);
    return new Range(
        UnitIdentifiers.blockSerial(unitId, start, end),
        unitId,
        start,
        end,
        end - start + 1,
        rs.getString(first + 3),
        vintage,
        authorisationStatus,
        article6,
        adjustment == null ? "NOT_APPLICABLE" : adjustment);
  }

  /**
   * What the filtered list is now: its length, its newest retirement and the latest corresponding
   * adjustment (the only change a retired range can still see).
   */
  private String fingerprint(Selection selection) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT count(*), coalesce(max(t.retirement_no), 0),"
                    + " (SELECT max(ca_applied_at) FROM credit_block WHERE ca_applied_at IS NOT NULL)"
                    + " FROM registry_transaction t"
                    + selection.joins
                    + " WHERE "
                    + selection.where)) {
      int i = 1;
      for (Object p : selection.parameters) {
        s.setObject(i++, p);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1) + ":" + rs.getLong(2) + ":" + rs.getTimestamp(3);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("fingerprinting retirements failed", e);
    }
  }

  private static long number(String retirementId) {
    return Long.parseLong(retirementId.substring(retirementId.lastIndexOf('-') + 1));
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound("RETIREMENT_NOT_FOUND", "no retirement " + ApiException.echo(id));
  }
}
