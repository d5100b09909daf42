package org.tanso.issuance.publicproject;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.sql.SQLException;
import org.tanso.http.CsvExport;
import org.tanso.http.ListQuery;
import org.tanso.issuance.project.ProjectFilter;

/** The public registry of projects: read-only, no token. */
@Path("/public/projects")
@PermitAll
public class PublicProjectResource {

  private final PublicProjectQueries queries;
  private final CsvExport csv;

  PublicProjectResource(PublicProjectQueries queries, CsvExport csv) {
    this.queries = queries;
    this.csv = csv;
  }

  /**
   * A page of JSON in registration order; with {@code Accept: text/csv} the whole filtered list,
   * streamed.
   */
  @GET
  @Produces({MediaType.APPLICATION_JSON, CsvExport.MEDIA_TYPE})
  public Response list(@Context HttpHeaders headers, @Context UriInfo uri) throws SQLException {
    ListQuery query = ListQuery.of(uri, ProjectFilter.PARAMETERS);
    ProjectFilter filter = ProjectFilter.of(query);
    if (CsvExport.requested(headers)) {
      return csv.response(queries.export(filter));
    }
    return Response.ok(
            queries.page(filter, query.text("limit"), query.text("after")),
            MediaType.APPLICATION_JSON)
        .build();
  }

  @GET
  @Path("{id}")
  @Produces(MediaType.APPLICATION_JSON)
  public PublicProjectViews.ProjectDetail project(@PathParam("id") String id) throws SQLException {
    return queries.project(id);
  }
}
