package org.tanso.events.registry;

import java.time.Instant;
import java.util.List;

/**
 * Units arrived from another registry on completion of an international transfer: the blocks are
 * ACTIVE in {@code toAccount}, with the unit ids, serials and Article 6 data they had in the
 * sending registry. Key: {@code toAccount}.
 */
public record UnitsAcquired(
    String transferId,
    String fromRegistry,
    String toRegistry,
    String from,
    String toAccount,
    long quantity,
    List<Block> blocks,
    Instant at) {}
