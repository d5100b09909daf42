package org.tanso.registry.account;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.tanso.registry.account.domain.AccountStatus;
import org.tanso.registry.account.domain.AccountType;

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

  public record ChangeStatus(@NotNull AccountStatus status, @Size(max = 500) String reason) {}
}
