package org.tanso.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses, before any resource runs, a path or query that carries control characters (%00 to %1F,
 * %7F): no identifier of Tanso contains them, and PostgreSQL cannot even compare a NUL.
 */
public class ControlCharacterGuard {

  private static final Pattern ENCODED_CONTROL = Pattern.compile("%(?:[01][0-9a-fA-F]|7[fF])");

  @ServerRequestFilter(preMatching = true)
  public Response refuseControlCharacters(ContainerRequestContext request) {
    String raw =
        request.getUriInfo().getRequestUri().getRawPath()
            + "?"
            + request.getUriInfo().getRequestUri().getRawQuery();
    if (ENCODED_CONTROL.matcher(raw).find() || raw.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      return ProblemMappers.problem(
          400,
          "MALFORMED_REQUEST",
          "the request path or query contains control characters",
          null,
          null);
    }
    return null;
  }
}
