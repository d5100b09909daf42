package org.tanso.events.registry;

import java.time.Instant;
import java.util.List;

/**
 * This registry proposed to move units to an account in another registry. The units are reserved:
 * they stay in {@code from} in state RESERVED and cannot be spent until the transfer completes or
 * is terminated. Key: {@code from}.
 */
public record InternationalTransferProposed(
    String transferId,
    String fromRegistry,
    String toRegistry,
    String from,
    String toAccount,
    long quantity,
    List<Block> blocks,
    Instant at) {}
