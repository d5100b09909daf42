package org.tanso.issuance.project;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.tanso.issuance.project.domain.Article6Authorisation.FirstTransferDefinition;
import org.tanso.issuance.project.domain.Article6Authorisation.Purpose;

/** Request and response bodies of the project endpoints. */
public final class ProjectViews {

  private ProjectViews() {}

  public enum Mechanism {
    JCM,
    A6_4
  }

  /**
   * An Article 6 authorisation. In a request {@code purposes} (with {@code firstTransferDefinition}
   * for OIMP) says what it authorises; the single {@code purpose} of v1 is still accepted alone
   * (Article6Authorisation says how the two combine). In a view {@code purposes} is always there,
   * and {@code purpose} is its first element for v1 clients.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Authorisation(
      @NotBlank
          @Size(max = 64)
          @Pattern(regexp = "[A-Za-z0-9._/-]+", message = "letters, digits and . _ / - only")
          String id,
      @NotNull LocalDate date,
      Purpose purpose,
      List<@NotNull Purpose> purposes,
      FirstTransferDefinition firstTransferDefinition,
      @NotNull @Positive Long quantity,
      @Size(max = 200) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "no control characters")
          String cooperativeApproach) {}

  public record Allocation(@NotBlank @Size(max = 32) String account, @NotNull BigDecimal percent) {}

  public record RegisterProject(
      @NotBlank @Pattern(regexp = "[A-Za-z0-9_]{1,32}", message = "1 to 32 letters, digits or '_'")
          String id,
      @NotBlank
          @Size(max = 300)
          @Pattern(regexp = "[^\\p{Cntrl}]*", message = "no control characters")
          String title,
      @NotNull Mechanism mechanism,
      @NotBlank @Pattern(regexp = "[A-Z]{2}", message = "an ISO 3166-1 alpha-2 code")
          String hostParty,
      @NotBlank @Pattern(regexp = "[A-Z]{2}", message = "an ISO 3166-1 alpha-2 code")
          String partnerParty,
      @NotBlank
          @Size(max = 64)
          @Pattern(regexp = "[A-Za-z0-9._-]+", message = "letters, digits and . _ - only")
          String methodology,
      @NotBlank
          @Size(max = 200)
          @Pattern(regexp = "[^\\p{Cntrl}]*", message = "no control characters")
          String sectoralScope,
      @NotEmpty @Size(max = 50)
          List<
                  @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
                  String>
              participants,
      @Valid Authorisation authorisation,
      @NotEmpty @Size(max = 50) List<@Valid @NotNull Allocation> allocation) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Project(
      String id,
      String title,
      Mechanism mechanism,
      String hostParty,
      String partnerParty,
      String methodology,
      String sectoralScope,
      List<String> participants,
      Authorisation authorisation,
      List<Allocation> allocation,
      long issuedToDate,
      Long remainingAuthorisedQuantity,
      Instant registeredAt) {}
}
