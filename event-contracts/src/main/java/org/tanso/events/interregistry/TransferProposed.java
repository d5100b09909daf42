package org.tanso.events.interregistry;

import java.time.Instant;
import java.util.List;

/**
 * Registry {@code fromRegistry} proposes to move units to {@code toAccount} in registry {@code
 * toRegistry}; it has reserved them. The receiver checks and answers with {@link TransferAnswered};
 * it creates nothing before {@link TransferCompleted}. Topic: {@code
 * tanso.interregistry.<toRegistry>}; key: the transfer id.
 */
public record TransferProposed(
    String transferId,
    String fromRegistry,
    String toRegistry,
    String fromAccount,
    String toAccount,
    long quantity,
    List<TransferredUnits> units,
    Instant proposedAt) {}
