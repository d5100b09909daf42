package org.tanso.registry.unit;

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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.tanso.http.Idempotency;
import org.tanso.identity.Caller;
import org.tanso.identity.Callers;
import org.tanso.identity.Roles;

@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MovementResource {

  private final MovementService movements;
  private final UnitQueryService queries;
  private final Idempotency idempotency;
  private final Callers callers;

  MovementResource(
      MovementService movements,
      UnitQueryService queries,
      Idempotency idempotency,
      Callers callers) {
    this.movements = movements;
    this.queries = queries;
    this.idempotency = idempotency;
    this.callers = callers;
  }

  @POST
  @Path("transfers")
  @RolesAllowed({Roles.PROJECT_DEVELOPER, Roles.REGISTRY_ADMIN})
  @Transactional
  public Response transfer(
      @HeaderParam(Idempotency.HEADER) String key,
      @Valid @NotNull MovementViews.TransferRequest request) {
    Caller caller = callers.current();
    return idempotency.execute(
        caller.idempotencyScope(),
        key,
        "POST /transfers",
        request,
        201,
        () -> movements.transfer(caller, request));
  }

  @POST
  @Path("retirements")
  @RolesAllowed({Roles.PROJECT_DEVELOPER, Roles.REGISTRY_ADMIN})
  @Transactional
  public Response retire(
      @HeaderParam(Idempotency.HEADER) String key,
      @Valid @NotNull MovementViews.RetirementRequest request) {
    Caller caller = callers.current();
    return idempotency.execute(
        caller.idempotencyScope(),
        key,
        "POST /retirements",
        request,
        201,
        () -> movements.retire(caller, request));
  }

  @POST
  @Path("cancellations")
  @RolesAllowed({Roles.PROJECT_DEVELOPER, Roles.REGISTRY_ADMIN})
  @Transactional
  public Response cancel(
      @HeaderParam(Idempotency.HEADER) String key,
      @Valid @NotNull MovementViews.CancellationRequest request) {
    Caller caller = callers.current();
    return idempotency.execute(
        caller.idempotencyScope(),
        key,
        "POST /cancellations",
        request,
        201,
        () -> movements.cancel(caller, request));
  }

  @GET
  @Path("transactions/{id}")
  @RolesAllowed({Roles.PROJECT_DEVELOPER, Roles.REGISTRY_ADMIN, Roles.REGULATOR})
  public MovementViews.Transaction transaction(@PathParam("id") String id) {
    return queries.transaction(callers.current(), id);
  }

  @GET
  @Path("units/{unitId}/{serialNumber}")
  @RolesAllowed({Roles.REGISTRY_ADMIN, Roles.REGULATOR})
  public MovementViews.UnitLocation unit(
      @PathParam("unitId") String unitId, @PathParam("serialNumber") String serialNumber) {
    return queries.unit(unitId, serialNumber);
  }

  @GET
  @Path("accounts/{number}/holdings")
  @RolesAllowed({Roles.PROJECT_DEVELOPER, Roles.REGISTRY_ADMIN, Roles.REGULATOR})
  public MovementViews.Page<MovementViews.Holding> holdings(
      @PathParam("number") String number,
      @QueryParam("after") String after,
      @QueryParam("limit") String limit) {
    return queries.holdings(callers.current(), number, after, limit);
  }

  @GET
  @Path("holdings")
  @RolesAllowed({Roles.REGISTRY_ADMIN, Roles.REGULATOR})
  public MovementViews.Page<MovementViews.AccountHolding> allHoldings(
      @QueryParam("after") String after, @QueryParam("limit") String limit) {
    return queries.allHoldings(after, limit);
  }
}
