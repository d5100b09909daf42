package org.tanso.registry.retirement;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.tanso.http.ApiException;
import org.tanso.http.ListQuery;
import org.tanso.http.Page;
import org.tanso.identity.Caller;
import org.tanso.identity.Callers;
import org.tanso.identity.Roles;

/**
 * Retirements with the account they were retired from: every one for a registry administrator and a
 * regulator, those from its own accounts for a project developer, whatever it asks.
 */
@Path("/")
public class RetirementResource {

  private final RetirementQueries queries;
  private final Callers callers;

  RetirementResource(RetirementQueries queries, Callers callers) {
    this.queries = queries;
    this.callers = callers;
  }

  @GET
  @Path("retirements")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.REGISTRY_ADMIN, Roles.REGULATOR, Roles.PROJECT_DEVELOPER})
  public Page<RetirementViews.HeldRetirement> list(@Context UriInfo uri) {
    ListQuery query = ListQuery.of(uri, RetirementFilter.PARAMETERS);
    Caller caller = callers.current();
    RetirementQueries.Scope scope;
    if (caller.isAdmin() || caller.isRegulator()) {
      scope = RetirementQueries.Scope.ALL;
    } else if (caller.participant() != null) {
      scope = new RetirementQueries.Scope(caller.participant());
    } else {
      throw ApiException.forbidden("the token names no participant");
    }
    return queries.page(
        RetirementFilter.of(query), scope, query.text("after"), query.text("limit"));
  }
}
