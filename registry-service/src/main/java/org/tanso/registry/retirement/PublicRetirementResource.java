package org.tanso.registry.retirement;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.tanso.http.CsvExport;

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
  public Response list(
      @QueryParam("beneficiary") String beneficiary,
      @QueryParam("year") String year,
      @QueryParam("project") String project,
      @QueryParam("after") String after,
      @QueryParam("limit") String limit,
      @Context HttpHeaders headers) {
    RetirementFilter filter = RetirementFilter.of(beneficiary, year, project);
    if (CsvExport.requested(headers)) {
      return queries.publicCsv(filter);
    }
    return Response.ok(queries.publicPage(filter, after, limit), MediaType.APPLICATION_JSON)
        .build();
  }

  @GET
  @Path("/{id}")
  @Produces(MediaType.APPLICATION_JSON)
  public RetirementViews.Retirement one(@PathParam("id") String id) {
    return queries.publicOne(id);
  }
}
