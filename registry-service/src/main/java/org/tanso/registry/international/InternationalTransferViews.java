package org.tanso.registry.international;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.tanso.registry.unit.MovementViews;

/** Request and response bodies of international transfers. */
public final class InternationalTransferViews {

  private InternationalTransferViews() {}

  /** Either {@code quantity} or {@code serials}, not both. */
  public record ProposeTransfer(
      @NotBlank @Size(max = 32) String from,
      @NotBlank @Size(max = 32) String toRegistry,
      @NotBlank @Size(max = 32) String toAccount,
      @Positive Long quantity,
      @Size(min = 1, max = 100) List<MovementViews.@Valid @NotNull SerialRangeRequest> serials) {}

  /** A serial range of the transfer. */
  public record TransferBlock(
      String serial,
      String unitId,
      long start,
      long end,
      long quantity,
      String correspondingAdjustment) {}

  /**
   * An international transfer as either registry records it.
   *
   * @param direction {@code OUTGOING} in the proposing registry, {@code INCOMING} in the receiving
   *     one
   * @param answer the receiver's {@code ACCEPTED} or {@code REJECTED}, with {@code code} and {@code
   *     detail}; for a termination by timeout {@code code} is {@code TIMEOUT}
   * @param lateAnswerAt when an answer arrived after the transfer had ended (it changed nothing)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record InternationalTransfer(
      String id,
      String direction,
      String status,
      String fromRegistry,
      String toRegistry,
      String from,
      String toAccount,
      Long quantity,
      List<TransferBlock> blocks,
      String answer,
      String code,
      String detail,
      Instant proposedAt,
      Instant answeredAt,
      Instant completedAt,
      Instant terminatedAt,
      Instant lateAnswerAt) {}
}
