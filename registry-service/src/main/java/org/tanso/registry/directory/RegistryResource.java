package org.tanso.registry.directory;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.tanso.identity.Roles;

/** Which registry this is and whom it trades with. */
@Path("/registry")
@Produces(MediaType.APPLICATION_JSON)
public class RegistryResource {

  /** A registry as clients see it. */
  public record RegistryView(String id, String party, String name) {}

  public record Registry(String id, String party, String name, List<RegistryView> peers) {}

  private final RegistryIdentity identity;

  RegistryResource(RegistryIdentity identity) {
    this.identity = identity;
  }

  @GET
  @RolesAllowed({
    Roles.PROJECT_DEVELOPER,
    Roles.REGISTRY_ADMIN,
    Roles.REGULATOR,
    Roles.MARKET_OPERATOR
  })
  public Registry registry() {
    var self = identity.directory().self();
    return new Registry(
        self.id(),
        self.party(),
        self.name(),
        identity.directory().peers().stream()
            .map(p -> new RegistryView(p.id(), p.party(), p.name()))
            .toList());
  }
}
