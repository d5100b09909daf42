package org.tanso.identity;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Lets a client check what a service reads from its token. */
@Path("/me")
@Produces(MediaType.APPLICATION_JSON)
public class WhoAmIResource {

  /** The caller as the service sees it. */
  public record Caller(String subject, List<String> roles, String participant) {}

  private final JsonWebToken token;

  WhoAmIResource(JsonWebToken token) {
    this.token = token;
  }

  @GET
  @RolesAllowed({
    Roles.PROJECT_DEVELOPER,
    Roles.REGISTRY_ADMIN,
    Roles.REGULATOR,
    Roles.MARKET_OPERATOR
  })
  public Caller me() {
    return new Caller(
        token.getSubject(),
        token.getGroups().stream().sorted().toList(),
        token.getClaim(Roles.PARTICIPANT_CLAIM));
  }
}
