package org.tanso.events.interregistry;

import java.time.Instant;
import java.util.List;

/**
 * The proposer completed the transfer: the units left it for good and the receiver now creates
 * them, ACTIVE, with the data given here (corresponding adjustment as of completion). Key: the
 * transfer id.
 */
public record TransferCompleted(
    String transferId,
    String fromRegistry,
    String toRegistry,
    List<TransferredUnits> units,
    Instant completedAt) {}
