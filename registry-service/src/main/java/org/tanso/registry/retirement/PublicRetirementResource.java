package org.tanso.registry.retirement;

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
import org.tanso.http.CsvExport;
import org.tanso.http.ListQuery;

/**
 * The public registry's retirements: anyone may list and read them, no token needed, as JSON pages
 * or the whole filtered list as CSV. Anonymity, the per-address rate limit and the caching headers
 * come from http-api's public routes.
 */
@Path("/public/retirements")
@PermitAll
public class PublicRetirementResource {

  private final RetirementQueries queries;

  PublicRetirementResource(RetirementQueries queries) {
    this.queries = queries;
  }

  @GET
  @Produces({MediaType.APPLICATION_JSON, CsvExport.MEDIA_TYPE})
  public Response list(@Context UriInfo uri, @Context HttpHeaders headers) {
    ListQuery query = ListQuery.of(uri, RetirementFilter.PARAMETERS);
    RetirementFilter filter = RetirementFilter.of(query);
    if (CsvExport.requested(headers)) {
      return queries.publicCsv(filter);
    }
    return Response.ok(
            queries.publicPage(filter, query.text("after"), query.text("limit")),
            MediaType.APPLICATION_JSON)
        .build();
  }

  @GET
  @Path("/{id}")
  @Produces(MediaType.APPLICATION_JSON)
  public RetirementViews.Retirement one(@PathParam("id") String id) {
    return queries.publicOne(id);
  }
}
