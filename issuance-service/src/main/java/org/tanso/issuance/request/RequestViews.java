package org.tanso.issuance.request;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.LocalDate;

/** Request and response bodies of the issuance-request endpoints. */
public final class RequestViews {

  private RequestViews() {}

  public record Period(@NotNull LocalDate start, @NotNull LocalDate end) {}

  public record VerificationReport(
      @NotBlank
          @Size(max = 200)
          @Pattern(regexp = "[^\\p{Cntrl}]*", message = "no control characters")
          String reference,
      @NotBlank @Pattern(regexp = "[0-9a-f]{64}", message = "64 lower-case hex digits")
          String sha256) {}

  public record SubmitRequest(
      @NotBlank @Size(max = 32) String project,
      @NotNull @Valid Period monitoringPeriod,
      @NotNull Integer vintage,
      @NotNull @Positive Long quantity,
      @NotNull @Valid VerificationReport verificationReport) {}

  public record Rejection(
      @NotBlank
          @Size(max = 1000)
          @Pattern(regexp = "[^\\p{Cntrl}]*", message = "no control characters")
          String reason) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Decision(String reason, String by, Instant at) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Issued(String unitId, JsonNode blocks) {}

  public record Failure(String code, String detail) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Request(
      String id,
      String project,
      String status,
      Period monitoringPeriod,
      int vintage,
      long quantity,
      VerificationReport verificationReport,
      String submittedBy,
      String participant,
      Instant submittedAt,
      Decision approval,
      Decision rejection,
      Issued issued,
      Failure failure) {}
}
