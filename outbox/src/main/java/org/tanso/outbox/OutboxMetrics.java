package org.tanso.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * The outbox backlog as Prometheus gauges: {@code tanso_outbox_backlog_events} (committed events
 * not yet acknowledged by the broker) and {@code tanso_outbox_oldest_unpublished_age_seconds}. Read
 * from the database (the partial index on unpublished rows), at most once per second however often
 * it is scraped; NaN while the database cannot be read.
 */
@ApplicationScoped
public class OutboxMetrics {

  private static final Duration FRESH_FOR = Duration.ofSeconds(1);

  private final DataSource dataSource;
  private final MeterRegistry meters;
  private final ReentrantLock reading = new ReentrantLock();
  private volatile Reading last = new Reading(Instant.EPOCH, Double.NaN, Double.NaN);

  OutboxMetrics(DataSource dataSource, MeterRegistry meters) {
    this.dataSource = dataSource;
    this.meters = meters;
  }

  void register(@Observes StartupEvent event) {
    Gauge.builder("tanso.outbox.backlog", this, m -> m.reading().events())
        .description("committed events waiting in the outbox for the broker's acknowledgement")
        .baseUnit("events")
        .register(meters);
    Gauge.builder("tanso.outbox.oldest.unpublished.age", this, m -> m.reading().oldestAgeSeconds())
        .description("age of the oldest event not yet published (0 when none waits)")
        .baseUnit("seconds")
        .register(meters);
  }

  /**
   * The last reading if it is fresh or another scrape is reading the database now (scrapes never
   * queue up behind a busy pool).
   */
  Reading reading() {
    Instant now = Instant.now();
    if (Duration.between(last.at(), now).compareTo(FRESH_FOR) < 0 || !reading.tryLock()) {
      return last;
    }
    try {
      return read(now);
    } finally {
      reading.unlock();
    }
  }

  private Reading read(Instant now) {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.setQueryTimeout(5);
      try (ResultSet r =
          s.executeQuery(
              "SELECT count(*), min(occurred_at) FROM outbox_event WHERE published_at IS NULL")) {
        r.next();
        Timestamp oldest = r.getTimestamp(2);
        double age =
            oldest == null
                ? 0
                : Math.max(0, Duration.between(oldest.toInstant(), now).toMillis() / 1000.0);
        last = new Reading(now, r.getLong(1), age);
      }
    } catch (SQLException e) {
      Log.debugf("outbox backlog not readable: %s", e.toString());
      last = new Reading(now, Double.NaN, Double.NaN);
    }
    return last;
  }

  record Reading(Instant at, double events, double oldestAgeSeconds) {}
}
