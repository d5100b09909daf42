package org.tanso.registry.unit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Business counters in units (tonnes of CO2e), counted when the transaction that moved them
 * commits, never for a change that rolled back: {@code tanso_units_issued_total{mechanism}}, {@code
 * tanso_units_transferred_total}, {@code tanso_units_retired_total}, {@code
 * tanso_units_cancelled_total}, and the number of operations of each kind.
 */
@ApplicationScoped
public class UnitMetrics {

  private final TransactionSynchronizationRegistry transactions;
  private final MeterRegistry meters;
  private final Counter transferred;
  private final Counter retired;
  private final Counter cancelled;
  private final Counter transfers;
  private final Counter retirements;
  private final Counter cancellations;

  UnitMetrics(MeterRegistry meters, TransactionSynchronizationRegistry transactions) {
    this.meters = meters;
    this.transactions = transactions;
    this.transferred =
        units("tanso.units.transferred", "units moved between accounts by transfers");
    this.retired = units("tanso.units.retired", "units retired (used towards a target or a claim)");
    this.cancelled =
        units("tanso.units.cancelled", "units cancelled into the cancellation account");
    this.transfers = operations("TRANSFER");
    this.retirements = operations("RETIREMENT");
    this.cancellations = operations("CANCELLATION");
  }

  void issued(String mechanism, long quantity) {
    Counter counter =
        Counter.builder("tanso.units.issued")
            .description("units issued into holding, share-of-proceeds and cancellation accounts")
            .tag("mechanism", mechanism)
            .register(meters);
    afterCommit(counter, quantity, null);
  }

  void transferred(long quantity) {
    afterCommit(transferred, quantity, transfers);
  }

  void retired(long quantity) {
    afterCommit(retired, quantity, retirements);
  }

  void cancelled(long quantity) {
    afterCommit(cancelled, quantity, cancellations);
  }

  private Counter units(String name, String description) {
    return Counter.builder(name).description(description).register(meters);
  }

  private Counter operations(String kind) {
    return Counter.builder("tanso.transactions")
        .description("committed unit transactions")
        .tag("kind", kind)
        .register(meters);
  }

  private void afterCommit(Counter units, long quantity, Counter operations) {
    transactions.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {}

          @Override
          public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
              units.increment(quantity);
              if (operations != null) {
                operations.increment();
              }
            }
          }
        });
  }
}
