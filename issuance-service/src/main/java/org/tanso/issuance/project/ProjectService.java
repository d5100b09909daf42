package org.tanso.issuance.project;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.tanso.events.EventType;
import org.tanso.events.issuance.IssuanceApproved;
import org.tanso.events.issuance.ProjectRegistered;
import org.tanso.http.ApiException;
import org.tanso.http.ListQuery;
import org.tanso.http.Page;
import org.tanso.http.Paging;
import org.tanso.identity.Caller;
import org.tanso.issuance.project.domain.AccountNumbers;
import org.tanso.issuance.project.domain.AllocationTable;
import org.tanso.issuance.project.domain.Article6Authorisation;
import org.tanso.issuance.project.domain.Parties;
import org.tanso.outbox.Outbox;

/** Projects: registration by a registry administrator, and what anyone may read of them. */
@ApplicationScoped
public class ProjectService {

  private final ProjectRepository projects;
  private final Outbox outbox;

  ProjectService(ProjectRepository projects, Outbox outbox) {
    this.projects = projects;
    this.outbox = outbox;
  }

  @Transactional
  public ProjectViews.Project register(Caller caller, ProjectViews.RegisterProject r) {
    requireParty("hostParty", r.hostParty());
    requireParty("partnerParty", r.partnerParty());
    if (new HashSet<>(r.participants()).size() != r.participants().size()) {
      throw ApiException.malformed("participants are listed twice");
    }
    for (ProjectViews.Allocation row : r.allocation()) {
      if (!AccountNumbers.isWellFormed(row.account())) {
        throw ApiException.malformed(
            "allocation account '"
                + row.account()
                + "' is not a well-formed account number with valid check digits");
      }
    }
    String problem =
        AllocationTable.problem(
            r.allocation().stream()
                .map(a -> new AllocationTable.Row(a.account(), a.percent()))
                .toList());
    if (problem != null) {
      throw ApiException.badRequest("INVALID_ALLOCATION", problem);
    }
    Article6Authorisation article6 = article6(r.authorisation());
    if (projects.findById(r.id()) != null) {
      throw ApiException.conflict("PROJECT_EXISTS", "project " + r.id() + " is already registered");
    }
    ProjectEntity p = new ProjectEntity();
    p.id = r.id();
    p.title = r.title();
    p.mechanism = r.mechanism().name();
    p.hostParty = r.hostParty();
    p.partnerParty = r.partnerParty();
    p.methodology = r.methodology();
    p.sectoralScope = r.sectoralScope();
    p.participants.addAll(r.participants());
    r.allocation()
        .forEach(a -> p.allocation.add(new ProjectEntity.AllocationRow(a.account(), a.percent())));
    if (r.authorisation() != null) {
      p.authorisationId = r.authorisation().id();
      p.authorisationDate = r.authorisation().date();
      p.authorisationPurpose = article6.purpose().name();
      p.authorisationPurposes = article6.purposes().stream().map(Enum::name).toArray(String[]::new);
      p.firstTransferDefinition =
          article6.firstTransferDefinition() == null
              ? null
              : article6.firstTransferDefinition().name();
      p.authorisedQuantity = r.authorisation().quantity();
      p.cooperativeApproach = r.authorisation().cooperativeApproach();
    }
    p.issuedToDate = 0;
    p.registeredBy = caller.subject() == null ? "unknown" : caller.subject();
    p.registeredAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    projects.persist(p);
    projects.flush();
    outbox.append(
        "project",
        p.id,
        EventType.issuance("ProjectRegistered"),
        p.id,
        new ProjectRegistered(
            p.id,
            p.title,
            p.mechanism,
            p.hostParty,
            p.partnerParty,
            p.methodology,
            p.sectoralScope,
            List.copyOf(p.participants),
            authorisation(p),
            p.allocation.stream()
                .map(a -> new ProjectRegistered.Allocation(a.account, plain(a.percent)))
                .toList(),
            p.registeredBy,
            p.registeredAt));
    return view(p, 0);
  }

  public ProjectEntity find(String id) {
    ProjectEntity project = id == null || id.length() > 32 ? null : projects.findById(id);
    if (project == null) {
      throw ApiException.notFound("PROJECT_NOT_FOUND", "no project " + ApiException.echo(id));
    }
    return project;
  }

  /**
   * Projects in registration order, of one mechanism and/or host party or all; each item as {@code
   * GET /projects/{id}} shows it. One index range scan: (mechanism, host_party, seq), (mechanism,
   * seq), (host_party, seq) or seq (V6).
   *
   * @param inFlight the quantity requested and not yet issued, per project id of the page
   */
  public Page<ProjectViews.Project> list(
      ListQuery query, Function<Collection<String>, Map<String, Long>> inFlight) {
    ProjectFilter filter = ProjectFilter.of(query);
    ProjectViews.Mechanism mechanism = filter.mechanism();
    String hostParty = filter.hostParty();
    long after = Paging.after("p", query.text("after"));
    int size = Paging.limit(query.text("limit"));
    StringBuilder sql = new StringBuilder("SELECT seq, id FROM project WHERE seq > ?1");
    List<Object> parameters = new ArrayList<>(List.of(after));
    if (mechanism != null) {
      parameters.add(mechanism.name());
      sql.append(" AND mechanism = ?").append(parameters.size());
    }
    if (hostParty != null) {
      parameters.add(hostParty);
      sql.append(" AND host_party = ?").append(parameters.size());
    }
    parameters.add(size + 1);
    sql.append(" ORDER BY seq LIMIT ?").append(parameters.size());
    var q = projects.getEntityManager().createNativeQuery(sql.toString());
    for (int i = 0; i < parameters.size(); i++) {
      q.setParameter(i + 1, parameters.get(i));
    }
    @SuppressWarnings("unchecked")
    List<Object[]> rows = q.getResultList();
    List<String> ids = rows.stream().map(r -> (String) r[1]).toList();
    Map<String, ProjectEntity> byId = new HashMap<>();
    if (!ids.isEmpty()) {
      projects.list("id in ?1", ids).forEach(p -> byId.put(p.id, p));
    }
    Map<String, Long> requested = ids.isEmpty() ? Map.of() : inFlight.apply(ids);
    return Page.of(
        rows,
        size,
        "p",
        r -> ((Number) r[0]).longValue(),
        r -> view(byId.get((String) r[1]), requested.getOrDefault((String) r[1], 0L)));
  }

  public static IssuanceApproved.Authorisation authorisation(ProjectEntity p) {
    return p.authorisationId == null
        ? null
        : new IssuanceApproved.Authorisation(
            p.authorisationId,
            p.authorisationDate,
            p.authorisationPurpose,
            List.of(p.authorisationPurposes),
            p.authorisedQuantity,
            p.cooperativeApproach,
            p.firstTransferDefinition);
  }

  public static ProjectViews.Project view(ProjectEntity p, long inFlight) {
    ProjectViews.Authorisation auth =
        p.authorisationId == null
            ? null
            : new ProjectViews.Authorisation(
                p.authorisationId,
                p.authorisationDate,
                Article6Authorisation.Purpose.valueOf(p.authorisationPurpose),
                Arrays.stream(p.authorisationPurposes)
                    .map(Article6Authorisation.Purpose::valueOf)
                    .toList(),
                p.firstTransferDefinition == null
                    ? null
                    : Article6Authorisation.FirstTransferDefinition.valueOf(
                        p.firstTransferDefinition),
                p.authorisedQuantity,
                p.cooperativeApproach);
    Long remaining =
        p.authorisedQuantity == null
            ? null
            : Math.max(0, p.authorisedQuantity - p.issuedToDate - inFlight);
    return new ProjectViews.Project(
        p.id,
        p.title,
        ProjectViews.Mechanism.valueOf(p.mechanism),
        p.hostParty,
        p.partnerParty,
        p.methodology,
        p.sectoralScope,
        List.copyOf(p.participants),
        auth,
        p.allocation.stream()
            .map(a -> new ProjectViews.Allocation(a.account, plain(a.percent)))
            .toList(),
        p.issuedToDate,
        remaining,
        p.registeredAt);
  }

  /** 50.0000 as 50, 33.3300 as 33.33: the number as a person wrote it. */
  public static java.math.BigDecimal plain(java.math.BigDecimal value) {
    return new java.math.BigDecimal(value.stripTrailingZeros().toPlainString());
  }

  /** The request's authorisation under the Article 6 rules, or null when it has none. */
  private static Article6Authorisation article6(ProjectViews.Authorisation a) {
    if (a == null) {
      return null;
    }
    try {
      return Article6Authorisation.of(a.purpose(), a.purposes(), a.firstTransferDefinition());
    } catch (Article6Authorisation.Invalid e) {
      throw ApiException.badRequest("INVALID_AUTHORISATION", e.getMessage());
    }
  }

  private static void requireParty(String field, String party) {
    if (!Parties.isParty(party)) {
      throw ApiException.malformed(
          field + " '" + ApiException.echo(party) + "' is not an ISO 3166-1 alpha-2 code");
    }
  }
}
