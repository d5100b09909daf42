package org.tanso.http;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Request latency as a Prometheus histogram ({@code http_server_requests_seconds_bucket} per
 * method, URI template and status), so that percentiles can be aggregated across replicas; the
 * buckets span 1 ms to 30 s.
 */
public class LatencyHistograms {

  @Produces
  @Singleton
  MeterFilter httpServerHistograms() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!id.getName().equals("http.server.requests")) {
          return config;
        }
        return DistributionStatisticConfig.builder()
            .percentilesHistogram(true)
            .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
            .maximumExpectedValue((double) Duration.ofSeconds(30).toNanos())
            .build()
            .merge(config);
      }
    };
  }
}
