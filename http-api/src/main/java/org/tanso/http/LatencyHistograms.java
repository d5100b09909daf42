package org.tanso.http;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.stream.LongStream;

/**
 * Request latency as a Prometheus histogram ({@code http_server_requests_seconds_bucket} per
 * method, URI template and status), so that percentiles can be aggregated across replicas; the
 * buckets span 1 ms to 30 s (14 bounds).
 */
public class LatencyHistograms {

  /**
   * Fourteen bucket bounds per series (not the default ~70): enough for SLOs, few series per URI
   * and status.
   */
  static final double[] BUCKETS =
      LongStream.of(1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000)
          .mapToDouble(ms -> Duration.ofMillis(ms).toNanos())
          .toArray();

  @Produces
  @Singleton
  MeterFilter httpServerHistograms() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(
          Meter.Id id, DistributionStatisticConfig config) {
        if (!id.getName().equals("http.server.requests")) {
          return config;
        }
        return DistributionStatisticConfig.builder()
            .serviceLevelObjectives(BUCKETS)
            .build()
            .merge(config);
      }
    };
  }
}
