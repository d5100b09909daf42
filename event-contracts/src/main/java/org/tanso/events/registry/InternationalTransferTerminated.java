package org.tanso.events.registry;

import java.time.Instant;
import java.util.List;

/**
 * The international transfer ended without moving anything: the receiving registry rejected it
 * ({@code code} is its answer) or no answer came in time ({@code code} = {@code TIMEOUT}). The
 * blocks are ACTIVE again in {@code from}. Key: {@code from}.
 */
public record InternationalTransferTerminated(
    String transferId,
    String fromRegistry,
    String toRegistry,
    String from,
    String toAccount,
    long quantity,
    String code,
    String detail,
    List<Block> blocks,
    Instant at) {}
