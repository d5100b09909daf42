package org.tanso.registry.international;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Terminates outgoing international transfers that got no answer within the configured timeout. */
@ApplicationScoped
public class TransferTimeouts {

  private final OutgoingTransfers outgoing;

  TransferTimeouts(OutgoingTransfers outgoing) {
    this.outgoing = outgoing;
  }

  @Scheduled(
      every = "${tanso.international-transfer.sweep-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void sweep() {
    try {
      int terminated = outgoing.terminateOverdue();
      if (terminated > 0) {
        Log.infof("terminated %d international transfers without an answer in time", terminated);
      }
    } catch (RuntimeException e) {
      Log.warnf(
          "sweeping overdue international transfers failed, will try again: %s", e.toString());
    }
  }
}
