package org.tanso.issuance.project;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A registered project; {@code issuedToDate} grows only when registry-service confirms an issuance.
 */
@Entity
@Table(name = "project")
public class ProjectEntity {

  @Id public String id;

  @Column(nullable = false)
  public String title;

  @Column(nullable = false)
  public String mechanism;

  @Column(name = "host_party", nullable = false, columnDefinition = "char(2)")
  public String hostParty;

  @Column(name = "partner_party", nullable = false, columnDefinition = "char(2)")
  public String partnerParty;

  @Column(nullable = false)
  public String methodology;

  @Column(name = "sectoral_scope", nullable = false)
  public String sectoralScope;

  @ElementCollection(fetch = FetchType.EAGER)
  @CollectionTable(name = "project_participant", joinColumns = @JoinColumn(name = "project_id"))
  @OrderColumn(name = "position")
  @Column(name = "participant_id")
  public List<String> participants = new ArrayList<>();

  @ElementCollection(fetch = FetchType.EAGER)
  @CollectionTable(name = "project_allocation", joinColumns = @JoinColumn(name = "project_id"))
  @OrderColumn(name = "position")
  public List<AllocationRow> allocation = new ArrayList<>();

  @Column(name = "authorisation_id")
  public String authorisationId;

  @Column(name = "authorisation_date")
  public LocalDate authorisationDate;

  /** The first of {@link #authorisationPurposes}, kept for readers of the single-purpose schema. */
  @Column(name = "authorisation_purpose")
  public String authorisationPurpose;

  /** NDC, OIMP or both, in the order the registry office gave them. */
  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(name = "authorisation_purposes", columnDefinition = "varchar(8)[]")
  public String[] authorisationPurposes;

  /** For OIMP authorisations: AUTHORISATION, ISSUANCE or USE_OR_CANCELLATION. */
  @Column(name = "first_transfer_definition")
  public String firstTransferDefinition;

  @Column(name = "authorised_quantity")
  public Long authorisedQuantity;

  @Column(name = "cooperative_approach")
  public String cooperativeApproach;

  @Column(name = "issued_to_date", nullable = false)
  public long issuedToDate;

  @Column(name = "registered_by", nullable = false)
  public String registeredBy;

  @Column(name = "registered_at", nullable = false)
  public Instant registeredAt;

  /** One allocation table row. */
  @Embeddable
  public static class AllocationRow {
    @Column(nullable = false)
    public String account;

    @Column(nullable = false, precision = 7, scale = 4)
    public BigDecimal percent;

    public AllocationRow() {}

    public AllocationRow(String account, BigDecimal percent) {
      this.account = account;
      this.percent = percent;
    }
  }
}
