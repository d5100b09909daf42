package org.tanso.registry.account;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.tanso.events.EventType;
import org.tanso.events.registry.AccountOpened;
import org.tanso.events.registry.AccountStatusChanged;
import org.tanso.events.registry.ParticipantRegistered;
import org.tanso.http.ApiException;
import org.tanso.identity.Caller;
import org.tanso.outbox.Outbox;
import org.tanso.registry.account.domain.AccountNumber;
import org.tanso.registry.account.domain.AccountStatus;
import org.tanso.registry.account.domain.AccountType;
import org.tanso.registry.account.domain.Parties;

/** Participants and accounts: registration, opening, status, and who may see or act on them. */
@ApplicationScoped
public class AccountService {

  private final ParticipantRepository participants;
  private final AccountRepository accounts;
  private final Outbox outbox;
  private final RegistryAccountsConfig config;
  private final EntityManager em;

  AccountService(
      ParticipantRepository participants,
      AccountRepository accounts,
      Outbox outbox,
      RegistryAccountsConfig config,
      EntityManager em) {
    this.participants = participants;
    this.accounts = accounts;
    this.outbox = outbox;
    this.config = config;
    this.em = em;
  }

  @Transactional
  public AccountViews.Participant register(AccountViews.RegisterParticipant request) {
    requireParty(request.party());
    if (participants.findById(request.id()) != null) {
      throw ApiException.conflict(
          "PARTICIPANT_EXISTS", "participant " + request.id() + " already exists");
    }
    ParticipantEntity p = new ParticipantEntity();
    p.id = request.id();
    p.name = request.name();
    p.party = request.party();
    p.createdAt = now();
    participants.persist(p);
    participants.flush();
    outbox.append(
        "participant",
        p.id,
        EventType.registry("ParticipantRegistered"),
        p.id,
        new ParticipantRegistered(p.id, p.name, p.party, p.createdAt));
    return new AccountViews.Participant(p.id, p.name, p.party);
  }

  public AccountViews.Participant participant(String id) {
    ParticipantEntity p = participants.findById(id);
    if (p == null) {
      throw ApiException.notFound("PARTICIPANT_NOT_FOUND", "no participant " + id);
    }
    return new AccountViews.Participant(p.id, p.name, p.party);
  }

  @Transactional
  public AccountViews.Account open(AccountViews.OpenAccount request) {
    requireParty(request.party());
    if (participants.findById(request.holder()) == null) {
      throw ApiException.notFound("PARTICIPANT_NOT_FOUND", "no participant " + request.holder());
    }
    AccountNumber number =
        new AccountNumber(request.party(), request.type(), (int) accounts.nextSequence());
    AccountEntity account = insert(number, request.holder());
    return AccountViews.Account.of(account);
  }

  private AccountEntity insert(AccountNumber number, String holder) {
    AccountEntity a = new AccountEntity();
    a.number = number.toString();
    a.party = number.party();
    a.type = number.type();
    a.holder = holder;
    a.status = AccountStatus.OPEN;
    a.balance = 0;
    a.openedAt = now();
    accounts.persist(a);
    accounts.flush();
    outbox.append(
        "account",
        a.number,
        EventType.registry("AccountOpened"),
        a.number,
        new AccountOpened(a.number, a.holder, a.party, a.type.name(), a.status.name(), a.openedAt));
    return a;
  }

  /**
   * The account if {@code caller} may read it: its holder, a registry administrator or a regulator.
   */
  public AccountViews.Account readable(Caller caller, String number) {
    AccountEntity account = find(number);
    if (!(caller.isAdmin() || caller.isRegulator() || caller.actsFor(account.holder))) {
      throw ApiException.forbidden(
          "account " + number + " is not held by the caller's participant");
    }
    return AccountViews.Account.of(account, reserved(number));
  }

  /**
   * Units of the account held back for proposed international transfers: not in its balance, not
   * spendable.
   */
  long reserved(String number) {
    return ((Number)
            em.createNativeQuery(
                    "SELECT coalesce(sum(serial_end - serial_start + 1), 0) FROM credit_block WHERE account = ?1 AND state = 'RESERVED'")
                .setParameter(1, number)
                .getSingleResult())
        .longValue();
  }

  /**
   * Whether the caller acts for the holder of {@code account} (false for no account or no
   * participant).
   */
  public boolean heldBy(Caller caller, String account) {
    if (account == null || caller.participant() == null) {
      return false;
    }
    AccountEntity entity = accounts.findById(account);
    return entity != null && caller.actsFor(entity.holder);
  }

  /** A well-formed, existing account; malformed numbers are refused before any look-up. */
  public AccountEntity find(String number) {
    requireWellFormed(number);
    AccountEntity account = accounts.findById(number);
    if (account == null) {
      throw ApiException.notFound("ACCOUNT_NOT_FOUND", "no account " + number);
    }
    return account;
  }

  @Transactional
  public AccountViews.Account changeStatus(String number, AccountViews.ChangeStatus request) {
    requireWellFormed(number);
    AccountEntity account = accounts.lockInOrder(List.of(number)).get(number);
    if (account == null) {
      throw ApiException.notFound("ACCOUNT_NOT_FOUND", "no account " + number);
    }
    if (account.status == AccountStatus.CLOSED) {
      throw ApiException.conflict("ACCOUNT_CLOSED", "account " + number + " is closed for good");
    }
    if (request.status() == AccountStatus.CLOSED && account.balance > 0) {
      throw ApiException.conflict(
          "ACCOUNT_NOT_EMPTY",
          "account " + number + " still holds " + account.balance + " active units");
    }
    if (request.status() == AccountStatus.CLOSED && reserved(number) > 0) {
      throw ApiException.conflict(
          "ACCOUNT_NOT_EMPTY",
          "account " + number + " has units reserved for an international transfer in progress");
    }
    if (account.status == request.status()) {
      return AccountViews.Account.of(account);
    }
    AccountStatus previous = account.status;
    account.status = request.status();
    outbox.append(
        "account",
        number,
        EventType.registry("AccountStatusChanged"),
        number,
        new AccountStatusChanged(
            number, previous.name(), account.status.name(), request.reason(), now()));
    return AccountViews.Account.of(account);
  }

  public static void requireWellFormed(String number) {
    if (!AccountNumber.isValid(number)) {
      throw ApiException.malformed(
          "'"
              + ApiException.echo(number)
              + "' is not a well-formed account number with valid check digits");
    }
  }

  static void requireParty(String party) {
    if (!Parties.isValid(party)) {
      throw ApiException.malformed(
          "'" + ApiException.echo(party) + "' is not an ISO 3166-1 alpha-2 party");
    }
  }

  public String shareOfProceedsAccount() {
    return config
        .shareOfProceedsAccount()
        .orElse(new AccountNumber(config.party(), AccountType.SHARE_OF_PROCEEDS, 1).toString());
  }

  public String cancellationAccount() {
    return config
        .cancellationAccount()
        .orElse(new AccountNumber(config.party(), AccountType.CANCELLATION, 2).toString());
  }

  public String operatorParticipant() {
    return config.operatorParticipant();
  }

  /**
   * The registry operator and its share-of-proceeds and cancellation accounts exist from the first
   * start.
   */
  @Transactional
  void ensureRegistryAccounts(@Observes StartupEvent event) {
    // one instance at a time, so concurrent first starts cannot race
    em.createNativeQuery("SELECT pg_advisory_xact_lock(7262001)").getSingleResult();
    if (participants.findById(config.operatorParticipant()) == null) {
      register(
          new AccountViews.RegisterParticipant(
              config.operatorParticipant(), config.operatorName(), config.party()));
    }
    for (String number : List.of(shareOfProceedsAccount(), cancellationAccount())) {
      AccountNumber parsed =
          AccountNumber.parse(number)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "configured registry account " + number + " is malformed"));
      if (accounts.findById(number) == null) {
        insert(parsed, config.operatorParticipant());
        Log.infof("opened registry account %s (%s)", number, parsed.type());
      }
      // generated numbers must never reach a configured one
      em.createNativeQuery(
              "SELECT setval('account_number_seq', GREATEST(?1, (SELECT last_value FROM account_number_seq)))")
          .setParameter(1, (long) parsed.sequence())
          .getSingleResult();
    }
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }
}
