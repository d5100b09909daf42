package org.tanso.issuance.request;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;
import org.tanso.issuance.request.domain.RequestStatus;

/** An issuance request and where it stands in the workflow. */
@Entity
@Table(name = "issuance_request")
public class IssuanceRequestEntity {

  @Id public String id;

  @Column(name = "project_id", nullable = false)
  public String projectId;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  public RequestStatus status;

  @Column(name = "monitoring_start", nullable = false)
  public LocalDate monitoringStart;

  @Column(name = "monitoring_end", nullable = false)
  public LocalDate monitoringEnd;

  @Column(nullable = false)
  public int vintage;

  @Column(nullable = false)
  public long quantity;

  @Column(name = "report_reference", nullable = false)
  public String reportReference;

  @Column(name = "report_sha256", nullable = false)
  public String reportSha256;

  @Column(name = "submitted_by", nullable = false)
  public String submittedBy;

  @Column(name = "submitter_participant", nullable = false)
  public String submitterParticipant;

  @Column(name = "submitted_at", nullable = false)
  public Instant submittedAt;

  @Column(name = "decided_by")
  public String decidedBy;

  @Column(name = "decided_at")
  public Instant decidedAt;

  @Column(name = "rejection_reason")
  public String rejectionReason;

  @Column(name = "unit_id")
  public String unitId;

  /** The minted blocks as registry-service reported them (JSON array). */
  @Column(name = "issued_blocks")
  public String issuedBlocks;

  @Column(name = "failure_code")
  public String failureCode;

  @Column(name = "failure_detail")
  public String failureDetail;

  @Column(name = "completed_at")
  public Instant completedAt;
}
