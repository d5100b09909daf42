package org.tanso.registry.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.tanso.registry.account.domain.AccountStatus;
import org.tanso.registry.account.domain.AccountType;

/**
 * An account. {@code balance} counts the ACTIVE units it holds and changes only under the row's
 * lock, in the same transaction as the blocks it counts, through {@link LockedAccounts#change}
 * (which writes the account's statement with it): this mapping never writes it.
 */
@Entity
@Table(name = "account")
public class AccountEntity {

  @Id public String number;

  @Column(nullable = false, columnDefinition = "char(2)")
  public String party;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  public AccountType type;

  @Column(nullable = false)
  public String holder;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  public AccountStatus status;

  @Column(nullable = false, updatable = false)
  public long balance;

  @Column(name = "opened_at", nullable = false)
  public Instant openedAt;
}
