package org.tanso.events.issuance;

import java.time.Instant;

/**
 * issuance-service recorded registry-service's answer to an approved request: {@code ISSUED} (with
 * the unit identifier; the project's issued-to-date grew by {@code quantity}) or {@code FAILED}
 * (with registry-service's failure code). Key: the request id.
 */
public record IssuanceOutcomeRecorded(
    String requestId,
    String project,
    String status,
    String unitId,
    long quantity,
    String failureCode,
    String failureDetail,
    Instant recordedAt) {}
