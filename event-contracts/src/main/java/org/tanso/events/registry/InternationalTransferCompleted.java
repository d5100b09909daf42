package org.tanso.events.registry;

import java.time.Instant;
import java.util.List;

/**
 * The receiving registry accepted and the units left this registry for good: the blocks are in
 * state TRANSFERRED_OUT and exist, ACTIVE, in the receiving registry. Key: {@code from}.
 */
public record InternationalTransferCompleted(
    String transferId,
    String fromRegistry,
    String toRegistry,
    String from,
    String toAccount,
    long quantity,
    List<Block> blocks,
    Instant at) {}
