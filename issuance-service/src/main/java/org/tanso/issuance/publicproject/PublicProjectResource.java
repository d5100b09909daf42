package org.tanso.issuance.publicproject;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import org.tanso.issuance.project.ProjectFilter;

/** The public registry of projects: read-only, no token. */
@Path("/public/projects")
@PermitAll
public class PublicProjectResource {

  private final PublicProjectQueries queries;

  PublicProjectResource(PublicProjectQueries queries) {
    this.queries = queries;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public PublicProjectViews.Page list(
      @QueryParam("mechanism") String mechanism,
      @QueryParam("hostParty") String hostParty,
      @QueryParam("limit") String limit,
      @QueryParam("after") String after)
      throws SQLException {
    return queries.page(ProjectFilter.of(mechanism, hostParty), limit, after);
  }

  @GET
  @Path("{id}")
  @Produces(MediaType.APPLICATION_JSON)
  public PublicProjectViews.ProjectDetail project(@PathParam("id") String id) throws SQLException {
    return queries.project(id);
  }
}
