package org.tanso.issuance.request;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.tanso.events.EventType;
import org.tanso.events.issuance.IssuanceApproved;
import org.tanso.events.issuance.IssuanceOutcomeRecorded;
import org.tanso.events.issuance.IssuanceRejected;
import org.tanso.events.issuance.IssuanceRequested;
import org.tanso.events.registry.CreditsIssued;
import org.tanso.events.registry.IssuanceFailed;
import org.tanso.http.ApiException;
import org.tanso.http.ListQuery;
import org.tanso.http.Page;
import org.tanso.http.Paging;
import org.tanso.identity.Caller;
import org.tanso.issuance.project.ProjectEntity;
import org.tanso.issuance.project.ProjectRepository;
import org.tanso.issuance.project.ProjectService;
import org.tanso.issuance.publicproject.UnitTotalsService;
import org.tanso.issuance.publicproject.domain.UnitCounts;
import org.tanso.issuance.request.domain.MonitoringPeriod;
import org.tanso.issuance.request.domain.RequestStatus;
import org.tanso.outbox.Inbox;
import org.tanso.outbox.Outbox;

/**
 * The issuance workflow: a project participant submits, a registry administrator other than the
 * submitter approves or rejects, registry-service's answer makes the request ISSUED or FAILED.
 * Every step changes the request and appends its event in one transaction.
 */
@ApplicationScoped
public class IssuanceRequestService {

  /** The name registry events are recorded under in the inbox. */
  public static final String CONSUMER = "issuance-service";

  private final IssuanceRequestRepository requests;
  private final ProjectRepository projects;
  private final Outbox outbox;
  private final Inbox inbox;
  private final ObjectMapper mapper;
  private final UnitTotalsService totals;

  IssuanceRequestService(
      IssuanceRequestRepository requests,
      ProjectRepository projects,
      Outbox outbox,
      Inbox inbox,
      ObjectMapper mapper,
      UnitTotalsService totals) {
    this.requests = requests;
    this.projects = projects;
    this.outbox = outbox;
    this.inbox = inbox;
    this.mapper = mapper;
    this.totals = totals;
  }

  @Transactional
  public RequestViews.Request submit(Caller caller, RequestViews.SubmitRequest s) {
    MonitoringPeriod period;
    try {
      period = new MonitoringPeriod(s.monitoringPeriod().start(), s.monitoringPeriod().end());
    } catch (IllegalArgumentException e) {
      throw ApiException.malformed("monitoringPeriod: " + e.getMessage());
    }
    if (!period.admitsVintage(s.vintage())) {
      throw ApiException.badRequest(
          "VINTAGE_OUTSIDE_PERIOD",
          "vintage " + s.vintage() + " is not a year of the monitoring period");
    }
    // one submission per project at a time: overlap and authorised-quantity checks see every
    // earlier request.
    // Locked on first load: a row read earlier in the transaction would keep its stale state.
    ProjectEntity project = s.project().length() > 32 ? null : projects.lock(s.project());
    if (project == null) {
      throw ApiException.notFound(
          "PROJECT_NOT_FOUND", "no project " + ApiException.echo(s.project()));
    }
    if (caller.participant() == null
        || !project.participants.contains(caller.participant())
        || !caller.is("project-developer")) {
      throw ApiException.forbidden(
          "the caller's participant is not a participant of project " + project.id);
    }
    for (IssuanceRequestEntity earlier : requests.ofProject(project.id, RequestStatus.LIVE)) {
      if (period.overlaps(new MonitoringPeriod(earlier.monitoringStart, earlier.monitoringEnd))) {
        throw ApiException.conflict(
            "PERIOD_OVERLAP",
            "the monitoring period overlaps request " + earlier.id + " (" + earlier.status + ")");
      }
    }
    if (project.authorisedQuantity != null) {
      long remaining =
          project.authorisedQuantity - project.issuedToDate - requests.inFlightQuantity(project.id);
      if (s.quantity() > remaining) {
        throw ApiException.conflict(
            "ABOVE_AUTHORISED_QUANTITY",
            "requested " + s.quantity() + ", " + Math.max(0, remaining) + " remain authorised");
      }
    }
    IssuanceRequestEntity r = new IssuanceRequestEntity();
    r.id = UUID.randomUUID().toString();
    r.projectId = project.id;
    r.status = RequestStatus.SUBMITTED;
    r.monitoringStart = period.start();
    r.monitoringEnd = period.end();
    r.vintage = s.vintage();
    r.quantity = s.quantity();
    r.reportReference = s.verificationReport().reference();
    r.reportSha256 = s.verificationReport().sha256();
    r.submittedBy = caller.subject() == null ? caller.participant() : caller.subject();
    r.submitterParticipant = caller.participant();
    r.submittedAt = now();
    requests.persist(r);
    requests.flush();
    outbox.append(
        "request",
        r.id,
        EventType.issuance("IssuanceRequested"),
        r.id,
        new IssuanceRequested(
            r.id,
            r.projectId,
            new IssuanceApproved.MonitoringPeriod(r.monitoringStart, r.monitoringEnd),
            r.vintage,
            r.quantity,
            new IssuanceRequested.VerificationReport(r.reportReference, r.reportSha256),
            r.submittedBy,
            r.submitterParticipant,
            r.submittedAt));
    return view(r);
  }

  public RequestViews.Request read(Caller caller, String id) {
    IssuanceRequestEntity r = find(id);
    boolean submitter =
        caller.is("project-developer")
            && caller.participant() != null
            && caller.participant().equals(r.submitterParticipant);
    if (!(submitter || caller.isAdmin() || caller.isRegulator())) {
      throw ApiException.forbidden(
          "only the submitter, registry administrators and regulators read this request");
    }
    return view(r);
  }

  /**
   * The approval queue: requests oldest first (by submission), of one status and/or project or all,
   * each as {@code GET /issuance-requests/{id}} shows it. Registry administrators and regulators
   * see every request; a project developer only those of the projects its participant takes part
   * in, whatever it filters by. One index range scan: (project_id, [status,] seq) per project,
   * (status, seq) or seq (V6).
   */
  public Page<RequestViews.Request> list(Caller caller, ListQuery query) {
    RequestStatus status = query.oneOf("status", RequestStatus.class);
    String project = query.matching("project", "[A-Za-z0-9_]{1,32}", "a project id");
    long after = Paging.after("r", query.text("after"));
    int size = Paging.limit(query.text("limit"));
    boolean all = caller.isAdmin() || caller.isRegulator();
    if (!all && caller.participant() == null) {
      return new Page<>(List.of(), null);
    }
    String filters =
        (status == null ? "" : " AND status = :status")
            + (project == null ? "" : " AND project_id = :project");
    String sql =
        all
            ? "SELECT seq, id FROM issuance_request WHERE seq > :after"
                + filters
                + " ORDER BY seq LIMIT :limit"
            : "SELECT r.seq, r.id FROM project_participant pp CROSS JOIN LATERAL"
                + " (SELECT seq, id FROM issuance_request WHERE project_id = pp.project_id AND seq > :after"
                + filters
                + " ORDER BY seq LIMIT :limit) r WHERE pp.participant_id = :participant"
                + " ORDER BY r.seq LIMIT :limit";
    var q =
        requests
            .getEntityManager()
            .createNativeQuery(sql)
            .setParameter("after", after)
            .setParameter("limit", size + 1);
    if (status != null) {
      q.setParameter("status", status.name());
    }
    if (project != null) {
      q.setParameter("project", project);
    }
    if (!all) {
      q.setParameter("participant", caller.participant());
    }
    @SuppressWarnings("unchecked")
    List<Object[]> rows = q.getResultList();
    List<String> ids = rows.stream().map(r -> (String) r[1]).toList();
    Map<String, IssuanceRequestEntity> byId = new HashMap<>();
    if (!ids.isEmpty()) {
      requests.list("id in ?1", ids).forEach(r -> byId.put(r.id, r));
    }
    return Page.of(
        rows, size, "r", r -> ((Number) r[0]).longValue(), r -> view(byId.get((String) r[1])));
  }

  @Transactional
  public RequestViews.Request approve(Caller caller, String id) {
    IssuanceRequestEntity r = decidable(caller, id, RequestStatus.APPROVED);
    ProjectEntity p = projects.findById(r.projectId);
    r.status = RequestStatus.APPROVED;
    r.decidedBy = caller.subject();
    r.decidedAt = now();
    outbox.append(
        "request",
        r.id,
        EventType.issuance("IssuanceApproved"),
        r.id,
        new IssuanceApproved(
            r.id,
            p.id,
            p.mechanism,
            p.hostParty,
            p.partnerParty,
            p.methodology,
            p.sectoralScope,
            r.vintage,
            new IssuanceApproved.MonitoringPeriod(r.monitoringStart, r.monitoringEnd),
            r.quantity,
            p.allocation.stream()
                .map(
                    a ->
                        new IssuanceApproved.AllocationShare(
                            a.account, ProjectService.plain(a.percent)))
                .toList(),
            ProjectService.authorisation(p),
            r.decidedBy,
            r.decidedAt));
    return view(r);
  }

  @Transactional
  public RequestViews.Request reject(Caller caller, String id, String reason) {
    IssuanceRequestEntity r = decidable(caller, id, RequestStatus.REJECTED);
    r.status = RequestStatus.REJECTED;
    r.decidedBy = caller.subject();
    r.decidedAt = now();
    r.rejectionReason = reason;
    outbox.append(
        "request",
        r.id,
        EventType.issuance("IssuanceRejected"),
        r.id,
        new IssuanceRejected(r.id, r.projectId, reason, r.decidedBy, r.decidedAt));
    return view(r);
  }

  /**
   * registry-service minted the request's units ({@code minted}: its blocks, checked when the
   * record was read).
   */
  @Transactional
  public void onCreditsIssued(
      UUID eventId, String type, CreditsIssued issued, List<UnitCounts.Range> minted) {
    if (!inbox.firstDelivery(eventId, CONSUMER, type)) {
      return;
    }
    IssuanceRequestEntity r = issued.requestId() == null ? null : requests.lock(issued.requestId());
    if (r == null || !r.status.mayBecome(RequestStatus.ISSUED)) {
      Log.warnf(
          "CreditsIssued %s for request %s ignored: request %s",
          eventId, issued.requestId(), r == null ? "unknown" : r.status);
      return;
    }
    ProjectEntity p = projects.lock(r.projectId);
    r.status = RequestStatus.ISSUED;
    r.unitId = issued.unitId();
    r.issuedBlocks = json(issued.blocks());
    r.completedAt = now();
    p.issuedToDate += issued.quantity();
    totals.issued(
        r.unitId,
        r.projectId,
        r.vintage,
        issued.quantity(),
        minted,
        issued.issuedAt() == null ? r.completedAt : issued.issuedAt());
    outbox.append(
        "request",
        r.id,
        EventType.issuance("IssuanceOutcomeRecorded"),
        r.id,
        new IssuanceOutcomeRecorded(
            r.id, r.projectId, "ISSUED", r.unitId, issued.quantity(), null, null, r.completedAt));
  }

  /** registry-service could not mint the request. */
  @Transactional
  public void onIssuanceFailed(UUID eventId, String type, IssuanceFailed failed) {
    if (!inbox.firstDelivery(eventId, CONSUMER, type)) {
      return;
    }
    IssuanceRequestEntity r = failed.requestId() == null ? null : requests.lock(failed.requestId());
    if (r == null || !r.status.mayBecome(RequestStatus.FAILED)) {
      Log.warnf(
          "IssuanceFailed %s for request %s ignored: request %s",
          eventId, failed.requestId(), r == null ? "unknown" : r.status);
      return;
    }
    r.status = RequestStatus.FAILED;
    r.failureCode = failed.code();
    r.failureDetail =
        failed.detail() == null
            ? null
            : failed.detail().substring(0, Math.min(1000, failed.detail().length()));
    r.completedAt = now();
    outbox.append(
        "request",
        r.id,
        EventType.issuance("IssuanceOutcomeRecorded"),
        r.id,
        new IssuanceOutcomeRecorded(
            r.id,
            r.projectId,
            "FAILED",
            null,
            r.quantity,
            r.failureCode,
            r.failureDetail,
            r.completedAt));
  }

  private IssuanceRequestEntity decidable(Caller caller, String id, RequestStatus decision) {
    // locked on first load, so the status read below is the committed one
    IssuanceRequestEntity r = id == null || id.length() > 64 ? null : requests.lock(id);
    if (r == null) {
      throw ApiException.notFound(
          "REQUEST_NOT_FOUND", "no issuance request " + ApiException.echo(id));
    }
    if (caller.subject() == null || caller.subject().equals(r.submittedBy)) {
      throw new ApiException(
          403,
          "FOUR_EYES",
          "a request is decided by a registry administrator other than its submitter");
    }
    if (!r.status.mayBecome(decision)) {
      throw ApiException.conflict(
          "REQUEST_NOT_SUBMITTED", "request " + id + " is " + r.status + ", not SUBMITTED");
    }
    return r;
  }

  private IssuanceRequestEntity find(String id) {
    IssuanceRequestEntity r = id == null || id.length() > 64 ? null : requests.findById(id);
    if (r == null) {
      throw ApiException.notFound(
          "REQUEST_NOT_FOUND", "no issuance request " + ApiException.echo(id));
    }
    return r;
  }

  RequestViews.Request view(IssuanceRequestEntity r) {
    RequestViews.Decision approval =
        r.status != RequestStatus.SUBMITTED
                && r.status != RequestStatus.REJECTED
                && r.decidedBy != null
            ? new RequestViews.Decision(null, r.decidedBy, r.decidedAt)
            : null;
    RequestViews.Decision rejection =
        r.status == RequestStatus.REJECTED
            ? new RequestViews.Decision(r.rejectionReason, r.decidedBy, r.decidedAt)
            : null;
    RequestViews.Issued issued =
        r.status == RequestStatus.ISSUED
            ? new RequestViews.Issued(r.unitId, tree(r.issuedBlocks))
            : null;
    RequestViews.Failure failure =
        r.status == RequestStatus.FAILED
            ? new RequestViews.Failure(r.failureCode, r.failureDetail)
            : null;
    return new RequestViews.Request(
        r.id,
        r.projectId,
        r.status.name(),
        new RequestViews.Period(r.monitoringStart, r.monitoringEnd),
        r.vintage,
        r.quantity,
        new RequestViews.VerificationReport(r.reportReference, r.reportSha256),
        r.submittedBy,
        r.submitterParticipant,
        r.submittedAt,
        approval,
        rejection,
        issued,
        failure);
  }

  private String json(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonNode tree(String json) {
    try {
      return json == null ? null : mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }
}
