package org.tanso.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a body announced larger than {@code quarkus.http.limits.max-body-size} with a 413 problem
 * before reading it, ahead of the HTTP layer's own check (which answers with an empty body). A body
 * without a length that grows past the limit is still cut off by that check.
 */
@ApplicationScoped
public class BodySizeGuard {

  private final long limit;
  private final String problem;

  BodySizeGuard(
      @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
          MemorySize limit,
      ObjectMapper mapper)
      throws JsonProcessingException {
    this.limit = limit.asLongValue();
    this.problem =
        mapper.writeValueAsString(
            Problem.of(
                413,
                "BODY_TOO_LARGE",
                "request bodies are limited to " + this.limit + " bytes",
                null,
                null));
  }

  void install(@Observes Router router) {
    router
        .route()
        .order(Integer.MIN_VALUE)
        .handler(
            ctx -> {
              String length = ctx.request().getHeader("Content-Length");
              if (length != null && tooLong(length)) {
                ctx.response()
                    .setStatusCode(413)
                    .putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .putHeader("Connection", "close")
                    .end(problem);
              } else {
                ctx.next();
              }
            });
  }

  private boolean tooLong(String length) {
    try {
      return Long.parseLong(length.trim()) > limit;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
