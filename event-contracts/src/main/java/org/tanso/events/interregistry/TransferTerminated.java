package org.tanso.events.interregistry;

import java.time.Instant;

/**
 * The proposer terminated the transfer (rejected, or no answer in time: {@code code}); its units
 * are spendable there again and the receiver must never create them. Key: the transfer id.
 */
public record TransferTerminated(
    String transferId, String fromRegistry, String toRegistry, String code, Instant terminatedAt) {}
