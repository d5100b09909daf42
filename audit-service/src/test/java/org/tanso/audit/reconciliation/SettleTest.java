package org.tanso.audit.reconciliation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tanso.audit.reconciliation.ReconciliationService.Discrepancy;
import org.tanso.audit.reconciliation.ReconciliationService.Result;

/**
 * Differences that are only in flight go away on a repeated comparison; real ones are reported
 * after the settle time.
 */
class SettleTest {

  private static final Result CLEAN = new Result(true, 2, 10, 4, List.of(), List.of());
  private static final Result IN_FLIGHT =
      new Result(
          false,
          2,
          9,
          4,
          List.of(
              new Discrepancy(
                  "ACCOUNT_TOTAL",
                  "JP-100-000004-15",
                  null,
                  null,
                  null,
                  "{ACTIVE=90}",
                  "{ACTIVE=100}")),
          List.of());

  /** Answers the given results in turn, then the last one for ever, counting the comparisons. */
  private static final class Script implements ReconciliationService.Pass {
    private final Deque<Result> results;
    private Result last;
    int passes;

    Script(Result... results) {
      this.results = new ArrayDeque<>(List.of(results));
    }

    @Override
    public Result run() {
      passes++;
      if (!results.isEmpty()) {
        last = results.poll();
      }
      return last;
    }
  }

  @Test
  void aCleanComparisonAnswersAtOnce() throws Exception {
    Script script = new Script(CLEAN);
    long started = System.nanoTime();
    assertTrue(
        ReconciliationService.settled(script, Duration.ofSeconds(5), Duration.ofMillis(10)).ok());
    assertEquals(1, script.passes);
    assertTrue(System.nanoTime() - started < Duration.ofSeconds(2).toNanos());
  }

  @Test
  void aDifferenceThatGoesAwayIsNotReported() throws Exception {
    Script script = new Script(IN_FLIGHT, IN_FLIGHT, CLEAN);
    Result result =
        ReconciliationService.settled(script, Duration.ofSeconds(5), Duration.ofMillis(10));
    assertTrue(result.ok());
    assertEquals(10, result.entriesReplayed());
    assertEquals(3, script.passes);
  }

  @Test
  void aDifferenceThatStaysIsReportedAfterTheSettleTime() throws Exception {
    Script script = new Script(IN_FLIGHT);
    long started = System.nanoTime();
    Result result =
        ReconciliationService.settled(script, Duration.ofMillis(600), Duration.ofMillis(20));
    long took = System.nanoTime() - started;
    assertFalse(result.ok());
    assertEquals(IN_FLIGHT.discrepancies(), result.discrepancies());
    assertTrue(
        took >= Duration.ofMillis(600).toNanos(), "reported after " + took / 1_000_000 + " ms");
    // pauses of 20, 40, 80, 160, 300 (the rest) ms: six comparisons, not thirty
    assertTrue(script.passes > 2 && script.passes <= 7, "compared " + script.passes + " times");
  }

  @Test
  void noSettleTimeMeansOneComparison() throws Exception {
    Script script = new Script(IN_FLIGHT, CLEAN);
    assertFalse(ReconciliationService.settled(script, Duration.ZERO, Duration.ofMillis(10)).ok());
    assertEquals(1, script.passes);
  }
}
