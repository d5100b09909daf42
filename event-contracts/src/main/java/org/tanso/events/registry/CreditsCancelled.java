package org.tanso.events.registry;

import java.time.Instant;
import java.util.List;

/**
 * Units were cancelled: moved from {@code account} to the registry's cancellation account in state
 * CANCELLED, never to move again. Key: {@code account}.
 */
public record CreditsCancelled(
    String transactionId,
    String account,
    String cancellationAccount,
    long quantity,
    String reason,
    List<Block> blocks,
    Instant at) {}
