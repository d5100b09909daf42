package org.tanso.http;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A token bucket per caller: {@code tanso.rate-limit.per-second} requests a second on average,
 * bursts up to {@code tanso.rate-limit.burst}. Beyond that, 429 {@code RATE_LIMITED} with
 * Retry-After. The caller is its bearer token (hashed), so a forged token cannot spend someone
 * else's allowance; requests without a token share their client address's bucket. Health, metrics
 * and OpenAPI under /q are not limited.
 *
 * <p>Public routes ({@link PublicRoutes}) are limited per client address only, whatever
 * Authorization header a request carries (a fresh forged header must not buy a fresh bucket), with
 * their own allowance: {@code tanso.rate-limit.public.per-second} (default 20) and {@code
 * tanso.rate-limit.public.burst} (default 40). The client address is the peer of the connection;
 * {@code X-Forwarded-For} / {@code Forwarded} count only where the service is told it runs behind a
 * proxy ({@code quarkus.http.proxy.proxy-address-forwarding=true}, best with {@code
 * quarkus.http.proxy.trusted-proxies}), otherwise any client could name a new address per request.
 */
@ApplicationScoped
public class RateLimiter {

  private static final int MAX_CALLERS = 10_000;

  private final boolean enabled;
  private final long perSecond;
  private final long burst;
  private final long publicPerSecond;
  private final long publicBurst;
  private final Map<String, Bucket> buckets =
      Collections.synchronizedMap(
          new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
              return size() > MAX_CALLERS;
            }
          });

  RateLimiter(
      @ConfigProperty(name = "tanso.rate-limit.enabled", defaultValue = "true") boolean enabled,
      @ConfigProperty(name = "tanso.rate-limit.per-second", defaultValue = "200") long perSecond,
      @ConfigProperty(name = "tanso.rate-limit.burst", defaultValue = "400") long burst,
      @ConfigProperty(name = "tanso.rate-limit.public.per-second", defaultValue = "20")
          long publicPerSecond,
      @ConfigProperty(name = "tanso.rate-limit.public.burst", defaultValue = "40")
          long publicBurst) {
    this.enabled = enabled;
    this.perSecond = perSecond;
    this.burst = burst;
    this.publicPerSecond = publicPerSecond;
    this.publicBurst = publicBurst;
  }

  @ServerRequestFilter(preMatching = true, priority = 10)
  public Response limit(ContainerRequestContext request, RoutingContext routing) {
    if (!enabled) {
      return null;
    }
    HttpServerRequest http = routing.request();
    String address = http.remoteAddress() == null ? "?" : http.remoteAddress().hostAddress();
    boolean publicRoute = PublicRoutes.isPublic(routing);
    String authorization = request.getHeaderString("Authorization");
    String caller =
        publicRoute
            ? "p:" + address
            : authorization != null ? "t:" + Idempotency.sha256(authorization) : "a:" + address;
    long capacity = publicRoute ? publicBurst : burst;
    long refill = publicRoute ? publicPerSecond : perSecond;
    Bucket bucket =
        buckets.computeIfAbsent(
            caller,
            k ->
                Bucket.builder()
                    .addLimit(
                        Bandwidth.builder()
                            .capacity(capacity)
                            .refillGreedy(refill, Duration.ofSeconds(1))
                            .build())
                    .build());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      return null;
    }
    long retryAfter =
        Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    return Response.fromResponse(
            ProblemMappers.problem(
                429,
                "RATE_LIMITED",
                "too many requests; try again in " + retryAfter + " s",
                null,
                null))
        .header("Retry-After", retryAfter)
        .build();
  }
}
