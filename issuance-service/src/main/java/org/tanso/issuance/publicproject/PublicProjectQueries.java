package org.tanso.issuance.publicproject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tanso.http.ApiException;
import org.tanso.http.CsvExport;
import org.tanso.http.Page;
import org.tanso.http.Paging;
import org.tanso.issuance.project.ProjectFilter;
import org.tanso.issuance.project.ProjectViews.Mechanism;
import org.tanso.issuance.project.domain.Article6Authorisation.FirstTransferDefinition;
import org.tanso.issuance.project.domain.Article6Authorisation.Purpose;
import org.tanso.issuance.publicproject.PublicProjectViews.Authorisation;
import org.tanso.issuance.publicproject.PublicProjectViews.Project;
import org.tanso.issuance.publicproject.PublicProjectViews.Quantities;
import org.tanso.issuance.publicproject.PublicProjectViews.Vintage;

/**
 * Reads of the public registry: projects in registration order with their per-vintage counters, one
 * project with its issuances, and the whole filtered list row by row for export.
 */
@ApplicationScoped
public class PublicProjectQueries {

  private static final String CURSOR = "p";

  private static final String COLUMNS =
      "p.id, p.title, p.mechanism, p.host_party, p.partner_party, p.methodology, p.sectoral_scope,"
          + " p.authorisation_id, p.authorisation_date, array_to_string(p.authorisation_purposes, ' '),"
          + " p.first_transfer_definition, p.authorised_quantity, p.cooperative_approach, p.registered_at";

  /** The columns of the CSV export, named as the JSON fields are. */
  static final List<String> CSV_COLUMNS =
      List.of(
          "id",
          "title",
          "mechanism",
          "hostParty",
          "partnerParty",
          "methodology",
          "sectoralScope",
          "authorisationId",
          "authorisationDate",
          "authorisationPurposes",
          "firstTransferDefinition",
          "authorisedQuantity",
          "cooperativeApproach",
          "registeredAt",
          "vintage",
          "issued",
          "retired",
          "cancelled");

  private final AgroalDataSource dataSource;
  private final ObjectMapper mapper;

  PublicProjectQueries(AgroalDataSource dataSource, ObjectMapper mapper) {
    this.dataSource = dataSource;
    this.mapper = mapper;
  }

  /** A project of a page and its place in the list's order. */
  private record Ordered(Project project, long seq) {}

  public Page<Project> page(ProjectFilter filter, String limit, String after) throws SQLException {
    int size = Paging.limit(limit);
    long afterSeq = Paging.after(CURSOR, after);
    List<Object> params = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + ", p.seq FROM project p");
    where(sql, params, filter, afterSeq);
    sql.append(" ORDER BY p.seq LIMIT ?");
    params.add(size + 1);
    try (Connection c = dataSource.getConnection()) {
      List<Ordered> rows = new ArrayList<>();
      try (PreparedStatement q = prepare(c, sql.toString(), params);
          ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          rows.add(new Ordered(project(rs), rs.getLong(15)));
        }
      }
      Page<Project> page = Page.of(rows, size, CURSOR, Ordered::seq, Ordered::project);
      Map<String, List<Vintage>> vintages =
          vintages(c, page.items().stream().map(Project::id).toArray(String[]::new));
      return new Page<>(
          page.items().stream().map(p -> withVintages(p, vintages.get(p.id()))).toList(),
          page.next());
    }
  }

  public PublicProjectViews.ProjectDetail project(String id) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      Project project = null;
      if (id != null && id.length() <= 32) {
        try (PreparedStatement q =
            prepare(c, "SELECT " + COLUMNS + " FROM project p WHERE p.id = ?", List.of(id))) {
          try (ResultSet rs = q.executeQuery()) {
            if (rs.next()) {
              project = project(rs);
            }
          }
        }
      }
      if (project == null) {
        throw ApiException.notFound("PROJECT_NOT_FOUND", "no project " + ApiException.echo(id));
      }
      project = withVintages(project, vintages(c, new String[] {id}).get(id));
      return new PublicProjectViews.ProjectDetail(project, issuances(c, id));
    }
  }

  /**
   * The export of every project the filter admits, in registration order, one row per project and
   * vintage (a project without issuances: one row with the vintage columns empty).
   */
  public CsvExport.Export export(ProjectFilter filter) throws SQLException {
    List<Object> params = new ArrayList<>();
    StringBuilder sql =
        new StringBuilder(
            "SELECT "
                + COLUMNS
                + ", v.vintage, v.issued, v.retired, v.cancelled FROM project p"
                + " LEFT JOIN LATERAL (SELECT t.vintage, sum(t.issued) AS issued,"
                + " sum(t.retired) AS retired, sum(t.cancelled) AS cancelled FROM unit_totals t"
                + " WHERE t.project_id = p.id GROUP BY t.vintage) v ON true");
    where(sql, params, filter, 0);
    sql.append(" ORDER BY p.seq, v.vintage");
    return new CsvExport.Export(
        "projects.csv",
        fingerprint(filter),
        CSV_COLUMNS,
        sql.toString(),
        params,
        rs -> {
          List<Object> row = new ArrayList<>(CSV_COLUMNS.size());
          for (int i = 1; i <= 13; i++) {
            row.add(rs.getObject(i) == null ? null : rs.getString(i));
          }
          row.add(rs.getTimestamp(14).toInstant().toString());
          for (int i = 15; i <= 18; i++) {
            row.add(rs.getObject(i) == null ? null : rs.getLong(i));
          }
          return row;
        });
  }

  /**
   * What the export of {@code filter} shows, in a few numbers: projects are never changed or
   * removed and the counters only grow, so the number of projects and unit ids and the sums of the
   * counters change whenever a row of the export does.
   */
  private String fingerprint(ProjectFilter filter) throws SQLException {
    List<Object> params = new ArrayList<>();
    StringBuilder sql =
        new StringBuilder(
            "SELECT count(DISTINCT p.id), count(t.unit_id), coalesce(sum(t.issued), 0),"
                + " coalesce(sum(t.retired), 0), coalesce(sum(t.cancelled), 0) FROM project p"
                + " LEFT JOIN unit_totals t ON t.project_id = p.id");
    where(sql, params, filter, 0);
    try (Connection c = dataSource.getConnection();
        PreparedStatement q = prepare(c, sql.toString(), params);
        ResultSet rs = q.executeQuery()) {
      rs.next();
      return "projects:"
          + filter.mechanism()
          + ":"
          + filter.hostParty()
          + ":"
          + rs.getLong(1)
          + ":"
          + rs.getLong(2)
          + ":"
          + rs.getLong(3)
          + ":"
          + rs.getLong(4)
          + ":"
          + rs.getLong(5);
    }
  }

  private static void where(
      StringBuilder sql, List<Object> params, ProjectFilter filter, long afterSeq) {
    List<String> conditions = new ArrayList<>();
    if (filter.mechanism() != null) {
      conditions.add("p.mechanism = ?");
      params.add(filter.mechanism().name());
    }
    if (filter.hostParty() != null) {
      conditions.add("p.host_party = ?");
      params.add(filter.hostParty());
    }
    if (afterSeq > 0) {
      conditions.add("p.seq > ?");
      params.add(afterSeq);
    }
    if (!conditions.isEmpty()) {
      sql.append(" WHERE ").append(String.join(" AND ", conditions));
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, List<Object> params)
      throws SQLException {
    PreparedStatement q = c.prepareStatement(sql);
    for (int i = 0; i < params.size(); i++) {
      q.setObject(i + 1, params.get(i));
    }
    return q;
  }

  private static Project project(ResultSet rs) throws SQLException {
    String authorisationId = rs.getString(8);
    Authorisation authorisation =
        authorisationId == null
            ? null
            : new Authorisation(
                authorisationId,
                rs.getObject(9, LocalDate.class),
                Arrays.stream(rs.getString(10).split(" ")).map(Purpose::valueOf).toList(),
                rs.getString(11) == null ? null : FirstTransferDefinition.valueOf(rs.getString(11)),
                rs.getLong(12),
                rs.getString(13));
    return new Project(
        rs.getString(1),
        rs.getString(2),
        Mechanism.valueOf(rs.getString(3)),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        authorisation,
        rs.getTimestamp(14).toInstant(),
        null,
        null);
  }

  private static Project withVintages(Project p, List<Vintage> vintages) {
    List<Vintage> all = vintages == null ? List.of() : List.copyOf(vintages);
    Quantities totals =
        new Quantities(
            all.stream().mapToLong(Vintage::issued).sum(),
            all.stream().mapToLong(Vintage::retired).sum(),
            all.stream().mapToLong(Vintage::cancelled).sum());
    return new Project(
        p.id(),
        p.title(),
        p.mechanism(),
        p.hostParty(),
        p.partnerParty(),
        p.methodology(),
        p.sectoralScope(),
        p.authorisation(),
        p.registeredAt(),
        totals,
        all);
  }

  private static Map<String, List<Vintage>> vintages(Connection c, String[] projects)
      throws SQLException {
    Map<String, List<Vintage>> byProject = new HashMap<>();
    if (projects.length == 0) {
      return byProject;
    }
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT project_id, vintage, sum(issued), sum(retired), sum(cancelled) FROM unit_totals"
                + " WHERE project_id = ANY (?) GROUP BY project_id, vintage ORDER BY project_id, vintage")) {
      q.setArray(1, c.createArrayOf("varchar", projects));
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          byProject
              .computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
              .add(new Vintage(rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
        }
      }
    }
    return byProject;
  }

  private List<PublicProjectViews.Issuance> issuances(Connection c, String project)
      throws SQLException {
    List<PublicProjectViews.Issuance> issuances = new ArrayList<>();
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT r.unit_id, r.vintage, r.monitoring_start, r.monitoring_end, r.quantity,"
                + " t.retired, t.cancelled, t.issued_at, r.report_reference, r.report_sha256,"
                + " r.issued_blocks FROM issuance_request r JOIN unit_totals t ON t.unit_id = r.unit_id"
                + " WHERE r.project_id = ? AND r.status = 'ISSUED' ORDER BY t.issued_at, r.unit_id")) {
      q.setString(1, project);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          issuances.add(
              new PublicProjectViews.Issuance(
                  rs.getString(1),
                  rs.getInt(2),
                  new PublicProjectViews.Period(
                      rs.getObject(3, LocalDate.class), rs.getObject(4, LocalDate.class)),
                  rs.getLong(5),
                  rs.getLong(6),
                  rs.getLong(7),
                  instant(rs.getTimestamp(8)),
                  new PublicProjectViews.VerificationReport(rs.getString(9), rs.getString(10)),
                  blocks(rs.getString(11))));
        }
      }
    }
    return issuances;
  }

  // the minted blocks as registry-service reported them, without the accounts they went to
  private List<PublicProjectViews.Block> blocks(String json) {
    if (json == null) {
      return List.of();
    }
    try {
      List<PublicProjectViews.Block> blocks = new ArrayList<>();
      for (JsonNode b : mapper.readTree(json)) {
        blocks.add(
            new PublicProjectViews.Block(
                b.path("serial").asText(),
                b.path("start").asLong(),
                b.path("end").asLong(),
                b.path("end").asLong() - b.path("start").asLong() + 1,
                b.path("state").asText()));
      }
      return blocks;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
