package org.tanso.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Redelivery's retry rule on its own: retry with back-off while patience lasts, then the last
 * failure.
 */
class RedeliveryTest {

  @Test
  void retriesAFailingActionUntilItSucceeds() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    long start = System.nanoTime();
    Redelivery.apply(
        "test",
        () -> {
          if (runs.incrementAndGet() <= 3) {
            throw new IllegalStateException("database not there yet");
          }
        },
        Duration.ofSeconds(20));
    assertEquals(4, runs.get(), "runs until the first success");
    long waitedMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(
        waitedMs >= 100 + 200 + 400,
        "backs off 100, 200 and 400 ms between runs, waited " + waitedMs + " ms");
  }

  @Test
  void givesUpWithTheLastFailureOncePatienceRunsOut() {
    AtomicInteger runs = new AtomicInteger();
    long start = System.nanoTime();
    IllegalStateException failure =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10),
            () ->
                assertThrows(
                    IllegalStateException.class,
                    () ->
                        Redelivery.apply(
                            "test",
                            () -> {
                              throw new IllegalStateException(
                                  "still down, attempt " + runs.incrementAndGet());
                            },
                            Duration.ofSeconds(1))));
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(
        "still down, attempt " + runs.get(), failure.getMessage(), "the last failure propagates");
    assertTrue(runs.get() >= 3, "retried before giving up: " + runs.get() + " runs");
    assertTrue(tookMs <= 1_500, "gave up within its patience of 1 s, took " + tookMs + " ms");
  }

  @Test
  void anActionThatSucceedsRunsOnce() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Redelivery.apply("test", runs::incrementAndGet, Duration.ofSeconds(1));
    assertEquals(1, runs.get());
  }
}
