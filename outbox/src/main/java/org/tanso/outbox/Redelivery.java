package org.tanso.outbox;

import io.quarkus.logging.Log;
import java.time.Duration;

/**
 * Applies a consumed event, retrying with back-off when applying fails after the record was read
 * successfully: that is the database or a race, not the record. Retries go on for {@code patience}
 * (long enough to ride out a database restart); only then does the failure propagate and the record
 * go to the dead-letter topic.
 */
public final class Redelivery {

  public static final Duration DEFAULT_PATIENCE = Duration.ofMinutes(2);

  private Redelivery() {}

  public static void apply(String what, Runnable action, Duration patience)
      throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    long backoff = 100;
    int attempt = 0;
    while (true) {
      try {
        action.run();
        return;
      } catch (RuntimeException e) {
        attempt++;
        if (System.nanoTime() + backoff * 1_000_000 > deadline) {
          throw e;
        }
        Log.warnf(
            "applying %s failed (attempt %d), retrying in %d ms: %s",
            what, attempt, backoff, e.toString());
        Thread.sleep(backoff);
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  }
}
