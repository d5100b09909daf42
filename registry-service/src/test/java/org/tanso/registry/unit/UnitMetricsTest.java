package org.tanso.registry.unit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.QuarkusTransactionException;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The business counters move when the transaction that moved the units commits, and never for one
 * that rolled back.
 */
@QuarkusTest
class UnitMetricsTest {

  @Inject UnitMetrics metrics;
  @Inject MeterRegistry meters;

  @Test
  void aRolledBackTransferIsNotCounted() {
    double units = counter("tanso.units.transferred");
    double transfers = meters.get("tanso.transactions").tag("kind", "TRANSFER").counter().count();

    assertThrows(
        QuarkusTransactionException.class,
        () ->
            QuarkusTransaction.requiringNew()
                .run(
                    () -> {
                      metrics.transferred(70);
                      QuarkusTransaction.setRollbackOnly();
                    }),
        "the transaction rolls back");
    assertEquals(units, counter("tanso.units.transferred"), "rolled back: not counted");
    assertEquals(
        transfers, meters.get("tanso.transactions").tag("kind", "TRANSFER").counter().count());

    QuarkusTransaction.requiringNew().run(() -> metrics.transferred(70));
    assertEquals(units + 70, counter("tanso.units.transferred"), "committed: counted");
    assertEquals(
        transfers + 1, meters.get("tanso.transactions").tag("kind", "TRANSFER").counter().count());
  }

  @Test
  void aRolledBackIssuanceIsNotCounted() {
    QuarkusTransaction.requiringNew().run(() -> metrics.issued("ROLLBACK-TEST", 1));
    double before =
        meters.get("tanso.units.issued").tag("mechanism", "ROLLBACK-TEST").counter().count();
    assertThrows(
        QuarkusTransactionException.class,
        () ->
            QuarkusTransaction.requiringNew()
                .run(
                    () -> {
                      metrics.issued("ROLLBACK-TEST", 500);
                      QuarkusTransaction.setRollbackOnly();
                    }));
    assertEquals(
        before,
        meters.get("tanso.units.issued").tag("mechanism", "ROLLBACK-TEST").counter().count());
  }

  private double counter(String name) {
    return meters.get(name).counter().count();
  }
}
