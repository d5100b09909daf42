package org.tanso.events.issuance;

import java.time.Instant;

/**
 * A project participant asked for units for a verified monitoring period; the request waits for a
 * registry administrator other than the submitter. Key: the request id.
 */
public record IssuanceRequested(
    String requestId,
    String project,
    IssuanceApproved.MonitoringPeriod monitoringPeriod,
    int vintage,
    long quantity,
    VerificationReport verificationReport,
    String submittedBy,
    String participant,
    Instant submittedAt) {

  /** The verification report the request rests on, identified by reference and SHA-256. */
  public record VerificationReport(String reference, String sha256) {}
}
