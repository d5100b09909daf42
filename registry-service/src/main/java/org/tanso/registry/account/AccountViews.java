package org.tanso.registry.account;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.tanso.registry.account.domain.AccountStatus;
import org.tanso.registry.account.domain.AccountType;
import org.tanso.registry.account.domain.Movement;

/** Request and response bodies of the participant and account endpoints. */
public final class AccountViews {

  private AccountViews() {}

  public record RegisterParticipant(
      @NotBlank
          @Size(max = 64)
          @Pattern(
              regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}",
              message = "letters, digits, '.', '_' and '-' only")
          String id,
      @NotBlank
          @Size(max = 200)
          @Pattern(regexp = "[^\\p{Cntrl}]*", message = "no control characters")
          String name,
      @NotBlank @Pattern(regexp = "[A-Z]{2}", message = "an ISO 3166-1 alpha-2 code")
          String party) {}

  public record Participant(String id, String name, String party) {}

  public record OpenAccount(
      @NotBlank @Size(max = 64) String holder,
      @NotBlank @Pattern(regexp = "[A-Z]{2}", message = "an ISO 3166-1 alpha-2 code") String party,
      @NotNull AccountType type) {}

  /**
   * @param balance ACTIVE units, the ones the account can spend
   * @param reserved units held back for international transfers in progress (shown when read)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Account(
      String number,
      String holder,
      String party,
      AccountType type,
      AccountStatus status,
      Long balance,
      Long reserved) {

    static Account of(AccountEntity a) {
      return new Account(a.number, a.holder, a.party, a.type, a.status, a.balance, null);
    }

    static Account of(AccountEntity a, long reserved) {
      return new Account(a.number, a.holder, a.party, a.type, a.status, a.balance, reserved);
    }
  }

  /**
   * One line of an account's statement.
   *
   * @param seq the account's movement number: 1, 2, 3, ... in the order its balance changed
   * @param reference the transaction id ({@code GET /transactions/{id}}), the international
   *     transfer id ({@code GET /international-transfers/{id}}), or the unit id of an issuance
   * @param effect the signed change of the balance ({@code quantity}, {@code -quantity}, or 0 for
   *     reserved units leaving in an international transfer)
   * @param balanceAfter the balance this movement left
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record StatementLine(
      long seq,
      Instant at,
      Movement.Kind kind,
      Movement.Direction direction,
      String reference,
      Counterparty counterparty,
      long quantity,
      long effect,
      long balanceAfter) {}

  /** The other side of a movement: an account here, or a registry and its account. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Counterparty(String registry, String account) {}

  public record ChangeStatus(@NotNull AccountStatus status, @Size(max = 500) String reason) {}
}
