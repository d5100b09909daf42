package org.tanso.events.issuance;

import java.time.Instant;

/**
 * A registry administrator rejected an issuance request; nothing will be minted for it. Key: the
 * request id.
 */
public record IssuanceRejected(
    String requestId, String project, String reason, String rejectedBy, Instant rejectedAt) {}
