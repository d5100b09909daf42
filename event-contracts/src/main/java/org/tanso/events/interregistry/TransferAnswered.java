package org.tanso.events.interregistry;

import java.time.Instant;

/**
 * The receiving registry's answer to a {@link TransferProposed}: {@code ACCEPTED}, or {@code
 * REJECTED} with a stable {@code code}. Sent from {@code fromRegistry} (the receiver) to {@code
 * toRegistry} (the proposer), which alone decides the outcome. Key: the transfer id.
 */
public record TransferAnswered(
    String transferId,
    String fromRegistry,
    String toRegistry,
    String answer,
    String code,
    String detail,
    Instant answeredAt) {}
