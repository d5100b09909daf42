package org.tanso.events.registry;

import java.time.Instant;

/**
 * This registry, as the receiving side, answered a proposed international transfer: {@code
 * ACCEPTED} or {@code REJECTED} with a stable {@code code}. Nothing is held here yet: units are
 * created only when the sender completes. Key: {@code toAccount}.
 */
public record InternationalTransferAnswered(
    String transferId,
    String fromRegistry,
    String toRegistry,
    String toAccount,
    long quantity,
    String answer,
    String code,
    String detail,
    Instant at) {}
