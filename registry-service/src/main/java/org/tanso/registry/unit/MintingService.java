package org.tanso.registry.unit;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.tanso.events.EventType;
import org.tanso.events.issuance.IssuanceApproved;
import org.tanso.events.registry.Block;
import org.tanso.events.registry.CreditsIssued;
import org.tanso.events.registry.IssuanceFailed;
import org.tanso.outbox.Inbox;
import org.tanso.outbox.Outbox;
import org.tanso.registry.account.AccountService;
import org.tanso.registry.account.LockedAccounts;
import org.tanso.registry.account.LockedAccounts.Locked;
import org.tanso.registry.account.domain.AccountNumber;
import org.tanso.registry.account.domain.AccountStatus;
import org.tanso.registry.account.domain.Movement;
import org.tanso.registry.account.domain.Parties;
import org.tanso.registry.article6.FirstTransfers;
import org.tanso.registry.article6.domain.Authorisation;
import org.tanso.registry.article6.domain.CorrespondingAdjustment;
import org.tanso.registry.article6.domain.FirstTransfer;
import org.tanso.registry.directory.RegistryIdentity;
import org.tanso.registry.unit.domain.IssuanceSplit;
import org.tanso.registry.unit.domain.UnitIdentifiers;

/**
 * Mints the units of an approved issuance request, or explains with {@code IssuanceFailed} why it
 * minted nothing. The same request is minted at most once, however often its approval arrives.
 */
@ApplicationScoped
public class MintingService {

  static final String CONSUMER = "registry-service";

  private final Inbox inbox;
  private final Outbox outbox;
  private final LockedAccounts accounts;
  private final AccountService accountService;
  private final BlockStore blocks;
  private final EntityManager em;
  private final UnitMetrics metrics;
  private final FirstTransfers firstTransfers;
  private final RegistryIdentity registry;

  MintingService(
      Inbox inbox,
      Outbox outbox,
      LockedAccounts accounts,
      AccountService accountService,
      BlockStore blocks,
      EntityManager em,
      UnitMetrics metrics,
      FirstTransfers firstTransfers,
      RegistryIdentity registry) {
    this.firstTransfers = firstTransfers;
    this.registry = registry;
    this.metrics = metrics;
    this.inbox = inbox;
    this.outbox = outbox;
    this.accounts = accounts;
    this.accountService = accountService;
    this.blocks = blocks;
    this.em = em;
  }

  /** Why an approved request cannot be minted. */
  static final class Failure extends RuntimeException {
    final String code;

    Failure(String code, String detail) {
      super(detail);
      this.code = code;
    }
  }

  @Transactional
  public void onApproved(UUID eventId, String type, IssuanceApproved approved) {
    if (!inbox.firstDelivery(eventId, CONSUMER, type)) {
      Log.debugf("event %s already processed", eventId);
      return;
    }
    if (approved.requestId() != null && alreadyMinted(approved.requestId())) {
      Log.infof(
          "request %s was minted before; approval event %s has no further effect",
          approved.requestId(), eventId);
      return;
    }
    try {
      mint(approved);
    } catch (Failure failure) {
      String key = approved.requestId() == null ? eventId.toString() : approved.requestId();
      outbox.append(
          "request",
          key,
          EventType.registry("IssuanceFailed"),
          key,
          new IssuanceFailed(key, failure.code, failure.getMessage(), MovementService.now()));
    }
  }

  private void mint(IssuanceApproved a) {
    validate(a);
    boolean a64 = "A6_4".equals(a.mechanism());
    List<IssuanceSplit.Share> shares =
        a.allocation().stream()
            .map(s -> new IssuanceSplit.Share(s.account(), s.percent()))
            .toList();
    String sop = accountService.shareOfProceedsAccount();
    String omge = accountService.cancellationAccount();

    // issuance numbers of one project are handed out one at a time
    em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext(?1))")
        .setParameter(1, "issuance:" + a.project())
        .getSingleResult();
    if (exists(
        "SELECT count(*) FROM unit_issuance WHERE project = ?1 AND monitoring_start = ?2 AND monitoring_end = ?3 AND vintage = ?4",
        a.project(),
        a.monitoringPeriod().start(),
        a.monitoringPeriod().end(),
        a.vintage())) {
      throw new Failure(
          "ALREADY_ISSUED",
          "project " + a.project() + " was already issued for this monitoring period and vintage");
    }
    if (exists(
        "SELECT count(*) FROM unit_issuance WHERE project = ?1 AND monitoring_start <= ?3 AND monitoring_end >= ?2",
        a.project(),
        a.monitoringPeriod().start(),
        a.monitoringPeriod().end())) {
      throw new Failure(
          "PERIOD_OVERLAP",
          "the monitoring period overlaps an earlier issuance of project " + a.project());
    }
    if (a.authorisation() != null) {
      long issued =
          ((Number)
                  em.createNativeQuery(
                          "SELECT coalesce(sum(quantity), 0) FROM unit_issuance WHERE project = ?1")
                      .setParameter(1, a.project())
                      .getSingleResult())
              .longValue();
      if (issued + a.quantity() > a.authorisation().quantity()) {
        throw new Failure(
            "ABOVE_AUTHORISED_QUANTITY",
            "issuing "
                + a.quantity()
                + " on top of "
                + issued
                + " exceeds the authorised "
                + a.authorisation().quantity());
      }
    }

    Set<String> receiving = new LinkedHashSet<>();
    shares.forEach(s -> receiving.add(s.account()));
    if (a64) {
      receiving.add(sop);
      receiving.add(omge);
    }
    Map<String, Locked> locked = accounts.lock(receiving);
    for (String number : receiving) {
      Locked account = locked.get(number);
      if (account == null) {
        throw new Failure("ACCOUNT_NOT_FOUND", "no account " + number);
      }
      if (account.status() != AccountStatus.OPEN) {
        throw new Failure("ACCOUNT_NOT_OPEN", "account " + number + " is " + account.status());
      }
    }
    for (IssuanceSplit.Share share : shares) {
      if (!locked.get(share.account()).type().mayReceive()) {
        throw new Failure(
            "ACCOUNT_TYPE_NOT_ALLOWED",
            locked.get(share.account()).type()
                + " account "
                + share.account()
                + " cannot receive issuance");
      }
    }

    int issuanceNo =
        ((Number)
                em.createNativeQuery(
                        "SELECT coalesce(max(issuance_no), 0) + 1 FROM unit_issuance WHERE project = ?1")
                    .setParameter(1, a.project())
                    .getSingleResult())
            .intValue();
    String unitId =
        UnitIdentifiers.unitId(a.mechanism(), a.hostParty(), a.project(), a.vintage(), issuanceNo);
    boolean authorised = a.authorisation() != null;
    Instant now = MovementService.now();
    String originatingRegistry = registry.id();
    Authorisation authorisation =
        authorised
            ? Authorisation.of(
                a.authorisation().purposes(),
                a.authorisation().purpose(),
                a.authorisation().firstTransferDefinition())
            : null;
    String status = CorrespondingAdjustment.initial(authorisation).name();
    em.createNativeQuery(
            "INSERT INTO unit_issuance (unit_id, request_id, project, mechanism, host_party, vintage, issuance_no, monitoring_start, monitoring_end,"
                + " quantity, authorisation_status, authorisation_id, authorisation_purpose, authorised_quantity, corresponding_adjustment,"
                + " cooperative_approach, originating_registry, first_transferring_party, issued_at, purposes, first_transfer_definition,"
                + " authorisation_date, sectoral_scope, methodology)"
                + " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)")
        .setParameter(1, unitId)
        .setParameter(2, a.requestId())
        .setParameter(3, a.project())
        .setParameter(4, a.mechanism())
        .setParameter(5, a.hostParty())
        .setParameter(6, a.vintage())
        .setParameter(7, issuanceNo)
        .setParameter(8, a.monitoringPeriod().start())
        .setParameter(9, a.monitoringPeriod().end())
        .setParameter(10, a.quantity())
        .setParameter(11, authorised ? "AUTHORISED" : "MITIGATION_CONTRIBUTION")
        .setParameter(12, authorised ? a.authorisation().id() : null)
        .setParameter(13, authorised ? a.authorisation().purpose() : null)
        .setParameter(14, authorised ? a.authorisation().quantity() : null)
        .setParameter(15, status)
        .setParameter(16, authorised ? a.authorisation().cooperativeApproach() : null)
        .setParameter(17, authorised ? originatingRegistry : null)
        .setParameter(18, authorised ? a.hostParty() : null)
        .setParameter(19, now)
        .setParameter(20, authorised ? authorisation.purposesText() : null)
        .setParameter(
            21,
            authorised && authorisation.firstTransferDefinition() != null
                ? authorisation.firstTransferDefinition().name()
                : null)
        .setParameter(22, authorised ? a.authorisation().date() : null)
        .setParameter(23, a.sectoralScope())
        .setParameter(24, a.methodology())
        .executeUpdate();

    List<Block> minted = new ArrayList<>();
    Map<String, Long> received = new LinkedHashMap<>();
    long next = 1;
    for (IssuanceSplit.Part part : IssuanceSplit.split(a.quantity(), a64, shares)) {
      String account =
          switch (part.kind()) {
            case SHARE_OF_PROCEEDS -> sop;
            case OMGE_CANCELLATION -> omge;
            case ALLOCATION -> part.account();
          };
      String state = part.kind() == IssuanceSplit.Kind.OMGE_CANCELLATION ? "CANCELLED" : "ACTIVE";
      long end = next + part.quantity() - 1;
      blocks.insert(unitId, next, end, a.vintage(), account, state, status);
      if (state.equals("ACTIVE")) {
        received.merge(account, part.quantity(), Long::sum);
      }
      minted.add(BlockStore.block(unitId, next, end, account, state));
      next = end + 1;
    }
    List<Movement> movements = new ArrayList<>();
    received.forEach(
        (account, quantity) ->
            movements.add(
                Movement.in(account, Movement.Kind.ISSUANCE, unitId, quantity, null, null)));
    accounts.change(now, movements);
    CreditsIssued.Article6Identifier article6 =
        authorised
            ? new CreditsIssued.Article6Identifier(
                a.authorisation().id(),
                a.authorisation().purpose(),
                a.authorisation().cooperativeApproach(),
                originatingRegistry,
                a.hostParty(),
                1,
                a.quantity(),
                a.vintage())
            : null;
    outbox.append(
        "unit",
        unitId,
        EventType.registry("CreditsIssued"),
        unitId,
        new CreditsIssued(
            a.requestId(),
            unitId,
            a.project(),
            a.mechanism(),
            a.hostParty(),
            a.vintage(),
            a.monitoringPeriod().start(),
            a.monitoringPeriod().end(),
            a.quantity(),
            authorised ? "AUTHORISED" : "MITIGATION_CONTRIBUTION",
            authorised ? "REQUIRED" : "NOT_APPLICABLE",
            article6,
            minted,
            now));
    // OIMP units first transferred at authorisation or issuance become ITMOs now
    firstTransfers.apply(
        FirstTransfer.Action.ISSUANCE, minted, a.requestId(), "registry-service", unitId, now);
    metrics.issued(a.mechanism(), a.quantity());
    Log.infof("minted %d units of request %s as %s", a.quantity(), a.requestId(), unitId);
  }

  private static void validate(IssuanceApproved a) {
    if (a.requestId() == null || a.requestId().isBlank() || a.requestId().length() > 64) {
      throw new Failure("INVALID_REQUEST", "requestId is missing or longer than 64 characters");
    }
    if (a.project() == null || !a.project().matches("[A-Za-z0-9_]{1,32}")) {
      throw new Failure("INVALID_REQUEST", "project id is missing or malformed");
    }
    if (!"JCM".equals(a.mechanism()) && !"A6_4".equals(a.mechanism())) {
      throw new Failure("INVALID_REQUEST", "mechanism must be JCM or A6_4");
    }
    if (!Parties.isValid(a.hostParty())) {
      throw new Failure("INVALID_REQUEST", "host party is not an ISO 3166-1 alpha-2 code");
    }
    if (a.vintage() < 1990 || a.vintage() > 2200) {
      throw new Failure("INVALID_REQUEST", "vintage out of range");
    }
    if (a.monitoringPeriod() == null
        || a.monitoringPeriod().start() == null
        || a.monitoringPeriod().end() == null
        || a.monitoringPeriod().start().isAfter(a.monitoringPeriod().end())) {
      throw new Failure("INVALID_REQUEST", "monitoring period is missing or reversed");
    }
    if (a.quantity() <= 0) {
      throw new Failure("INVALID_QUANTITY", "quantity must be positive");
    }
    List<IssuanceSplit.Share> shares =
        a.allocation() == null
            ? null
            : a.allocation().stream()
                .map(s -> s == null ? null : new IssuanceSplit.Share(s.account(), s.percent()))
                .toList();
    String problem = IssuanceSplit.allocationProblem(shares);
    if (problem != null) {
      throw new Failure("INVALID_ALLOCATION", problem);
    }
    Set<String> seen = new LinkedHashSet<>();
    for (IssuanceSplit.Share share : shares) {
      if (!AccountNumber.isValid(share.account())) {
        throw new Failure(
            "INVALID_ALLOCATION",
            "allocation account " + share.account() + " is not a well-formed account number");
      }
      if (!seen.add(share.account())) {
        throw new Failure(
            "INVALID_ALLOCATION", "allocation names account " + share.account() + " twice");
      }
    }
    if (a.authorisation() != null
        && (a.authorisation().quantity() <= 0 || a.authorisation().id() == null)) {
      throw new Failure("INVALID_REQUEST", "authorisation needs an id and a positive quantity");
    }
  }

  private boolean alreadyMinted(String requestId) {
    return exists("SELECT count(*) FROM unit_issuance WHERE request_id = ?1", requestId);
  }

  private boolean exists(String countSql, Object... params) {
    var query = em.createNativeQuery(countSql);
    for (int i = 0; i < params.length; i++) {
      query.setParameter(i + 1, params[i]);
    }
    return ((Number) query.getSingleResult()).longValue() > 0;
  }
}
