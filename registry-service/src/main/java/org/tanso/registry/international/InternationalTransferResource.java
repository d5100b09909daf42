package org.tanso.registry.international;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.tanso.http.Idempotency;
import org.tanso.http.ListQuery;
import org.tanso.http.Page;
import org.tanso.identity.Caller;
import org.tanso.identity.Callers;
import org.tanso.identity.Roles;

/**
 * Transfers of units to an account in another registry (202: the receiving registry decides later).
 */
@Path("/international-transfers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InternationalTransferResource {

  private final OutgoingTransfers outgoing;
  private final InternationalTransfers queries;
  private final Idempotency idempotency;
  private final Callers callers;

  InternationalTransferResource(
      OutgoingTransfers outgoing,
      InternationalTransfers queries,
      Idempotency idempotency,
      Callers callers) {
    this.outgoing = outgoing;
    this.queries = queries;
    this.idempotency = idempotency;
    this.callers = callers;
  }

  @POST
  @RolesAllowed({Roles.PROJECT_DEVELOPER, Roles.REGISTRY_ADMIN})
  @Transactional
  public Response propose(
      @HeaderParam(Idempotency.HEADER) String key,
      @Valid @NotNull InternationalTransferViews.ProposeTransfer request) {
    Caller caller = callers.current();
    return idempotency.execute(
        caller.idempotencyScope(),
        key,
        "POST /international-transfers",
        request,
        202,
        () -> outgoing.propose(caller, request));
  }

  @GET
  @RolesAllowed({Roles.PROJECT_DEVELOPER, Roles.REGISTRY_ADMIN, Roles.REGULATOR})
  public Page<InternationalTransferViews.InternationalTransfer> list(@Context UriInfo uri) {
    return queries.list(callers.current(), ListQuery.of(uri, "status"));
  }

  @GET
  @Path("{id}")
  @RolesAllowed({Roles.PROJECT_DEVELOPER, Roles.REGISTRY_ADMIN, Roles.REGULATOR})
  public InternationalTransferViews.InternationalTransfer find(@PathParam("id") String id) {
    return queries.find(callers.current(), id);
  }
}
