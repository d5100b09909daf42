package org.tanso.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The public registry: every route under {@code /public/} is read-only, needs no token and answers
 * every client the same. Its resources are {@code @PermitAll} (the services deny unannotated
 * endpoints).
 *
 * <p>A public route is anonymous: before any authentication mechanism runs, the {@code
 * Authorization} header of a request to it is removed. A bogus, expired or foreign token therefore
 * gets the same public answer as no token (never a 401, even where something asks for the caller
 * with lazy authentication, or with proactive authentication), and a valid one reveals nothing
 * more. The same classification (of the path as routing sees it, dot segments resolved) decides the
 * rate limit ({@link RateLimiter}: per client address, never per token) and the caching headers
 * ({@link PublicCaching}).
 */
@ApplicationScoped
public class PublicRoutes {

  /** The path prefix of every public route. */
  public static final String PREFIX = "/public/";

  private static final String MARK = "tanso.public-route";

  /** Whether {@code path} (as routed, starting with '/') is a public route. */
  public static boolean isPublic(String path) {
    return path != null && (path.startsWith(PREFIX) || path.equals("/public"));
  }

  /** Whether the request in {@code context} was classified as one to a public route. */
  public static boolean isPublic(RoutingContext context) {
    return context != null && Boolean.TRUE.equals(context.get(MARK));
  }

  void install(@Observes Router router) {
    router
        .route()
        .order(Integer.MIN_VALUE + 1)
        .handler(
            ctx -> {
              if (isPublic(ctx.normalizedPath())) {
                ctx.put(MARK, Boolean.TRUE);
                ctx.request().headers().remove("Authorization");
              }
              ctx.next();
            });
  }
}
