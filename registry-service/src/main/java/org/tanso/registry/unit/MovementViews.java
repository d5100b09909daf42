package org.tanso.registry.unit;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.tanso.events.registry.Block;

/** Request and response bodies of transfers, retirements, cancellations and unit queries. */
public final class MovementViews {

  private MovementViews() {}

  public enum Purpose {
    NDC,
    OIMP
  }

  public record SerialRangeRequest(
      @NotBlank @Size(max = 80) String unitId,
      @NotNull @Positive Long start,
      @NotNull @Positive Long end) {}

  /** Either {@code quantity} or {@code serials}, not both. */
  public record TransferRequest(
      @NotBlank @Size(max = 32) String from,
      @NotBlank @Size(max = 32) String to,
      @Positive Long quantity,
      @Size(min = 1, max = 100) List<@Valid @NotNull SerialRangeRequest> serials) {}

  public record RetirementRequest(
      @NotBlank @Size(max = 32) String account,
      @NotNull @Positive Long quantity,
      @NotBlank
          @Size(max = 200)
          @Pattern(regexp = "[^\\p{Cntrl}]*", message = "no control characters")
          String beneficiary,
      @NotNull Purpose purpose,
      @NotBlank @Pattern(regexp = "[A-Z]{2}", message = "an ISO 3166-1 alpha-2 code")
          String usingParty) {}

  public record CancellationRequest(
      @NotBlank @Size(max = 32) String account,
      @NotNull @Positive Long quantity,
      @NotBlank
          @Size(max = 500)
          @Pattern(regexp = "[^\\p{Cntrl}]*", message = "no control characters")
          String reason) {}

  /**
   * A recorded transaction as clients see it; the fields of other kinds are absent.
   *
   * @param counterpartRegistry the other registry of an INTERNATIONAL_TRANSFER or ACQUISITION
   * @param trigger why a FIRST_TRANSFER happened; {@code triggeredBy} names the triggering action
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Transaction(
      String id,
      String kind,
      String from,
      String to,
      long quantity,
      List<Block> blocks,
      Instant at,
      String retirementId,
      String beneficiary,
      String purpose,
      String usingParty,
      String reason,
      String counterpartRegistry,
      String counterpartAccount,
      String trigger,
      String triggeredBy) {

    public static Transaction of(RecordedTransaction t) {
      RecordedTransaction.Retirement r = t.retirement();
      return new Transaction(
          t.id().toString(),
          t.kind().name(),
          t.from(),
          t.to(),
          t.quantity(),
          t.blocks(),
          t.at(),
          r == null ? null : r.retirementId(),
          r == null ? null : r.beneficiary(),
          r == null ? null : r.purpose(),
          r == null ? null : r.usingParty(),
          t.reason(),
          t.counterpart() == null ? null : t.counterpart().registry(),
          t.counterpart() == null ? null : t.counterpart().account(),
          t.cause() == null ? null : t.cause().trigger(),
          t.cause() == null ? null : t.cause().triggeredBy());
    }
  }

  /**
   * A serial range's corresponding adjustment: {@code NOT_APPLICABLE}, {@code PENDING} or {@code
   * APPLIED} with when, by which party and through which FIRST_TRANSFER transaction.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Adjustment(
      String status, Instant appliedAt, String appliedBy, String firstTransfer) {}

  /**
   * @param reservedFor the international transfer RESERVED units are held for
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record UnitLocation(
      String unitId,
      long serialNumber,
      String blockSerial,
      String account,
      String state,
      Adjustment correspondingAdjustment,
      String reservedFor) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Holding(
      String serial,
      String unitId,
      long start,
      long end,
      long quantity,
      String project,
      int vintage,
      String state,
      Adjustment correspondingAdjustment,
      String reservedFor) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AccountHolding(
      String account,
      String serial,
      String unitId,
      long start,
      long end,
      long quantity,
      String project,
      int vintage,
      String state,
      Adjustment correspondingAdjustment,
      String reservedFor) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Page<T>(List<T> items, String next) {}
}
