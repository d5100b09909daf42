package org.tanso.events.registry;

import java.time.Instant;
import java.util.List;

/**
 * Units moved from one account to another; the blocks are those now held by {@code to}. Key: {@code
 * from}.
 */
public record CreditsTransferred(
    String transactionId, String from, String to, long quantity, List<Block> blocks, Instant at) {}
