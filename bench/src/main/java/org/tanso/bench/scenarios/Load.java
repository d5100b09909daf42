package org.tanso.bench.scenarios;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.tanso.bench.Fixture;

/**
 * Settings every scenario shares, passed as system properties by the benchmark runner: the fixture,
 * the arrival rate, and the ramp and steady durations of the open workload.
 */
final class Load {

  static final Fixture FIXTURE = Fixture.load(Path.of(System.getProperty("bench.fixture")));

  private Load() {}

  static double rate() {
    return Double.parseDouble(System.getProperty("bench.rate", "500"));
  }

  static double number(String name, double defaultValue) {
    return Double.parseDouble(System.getProperty("bench." + name, Double.toString(defaultValue)));
  }

  /**
   * A ramp to {@code rate} arrivals per second, then {@code rate} per second for the steady
   * duration.
   */
  static OpenInjectionStep[] open(double rate) {
    Duration ramp = Duration.ofSeconds((long) number("rampSeconds", 10));
    Duration steady = Duration.ofSeconds((long) number("durationSeconds", 60));
    if (ramp.isZero()) {
      return new OpenInjectionStep[] {constantUsersPerSec(rate).during(steady)};
    }
    return new OpenInjectionStep[] {
      rampUsersPerSec(Math.max(1, rate / 20)).to(rate).during(ramp),
      constantUsersPerSec(rate).during(steady)
    };
  }

  /**
   * JSON over HTTP/1.1 with keep-alive connections shared by the virtual users, round-robin over
   * the registry instances. At most 512 connections per host (bench.maxConnectionsPerHost): an
   * overloaded service makes requests wait for a connection, not exhaust the machine's ports.
   */
  static HttpProtocolBuilder protocol() {
    List<String> urls = FIXTURE.registryUrls();
    return http.baseUrls(urls)
        .shareConnections()
        .acceptHeader("application/json")
        .contentTypeHeader("application/json")
        .maxConnectionsPerHost((int) number("maxConnectionsPerHost", 512))
        .disableCaching()
        .disableWarmUp();
  }

  static Fixture.Holder anyHolder() {
    List<Fixture.Holder> holders = FIXTURE.holders();
    return holders.get(ThreadLocalRandom.current().nextInt(holders.size()));
  }

  static Fixture.Holder anyHolderBut(Fixture.Holder not) {
    Fixture.Holder h;
    do {
      h = anyHolder();
    } while (h == not);
    return h;
  }
}
