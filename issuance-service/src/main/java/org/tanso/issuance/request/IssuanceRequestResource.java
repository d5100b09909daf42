package org.tanso.issuance.request;

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
import java.util.Map;
import org.tanso.http.Idempotency;
import org.tanso.http.ListQuery;
import org.tanso.http.Page;
import org.tanso.identity.Caller;
import org.tanso.identity.Callers;
import org.tanso.identity.Roles;

@Path("/issuance-requests")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class IssuanceRequestResource {

  private final IssuanceRequestService service;
  private final Idempotency idempotency;
  private final Callers callers;

  IssuanceRequestResource(
      IssuanceRequestService service, Idempotency idempotency, Callers callers) {
    this.service = service;
    this.idempotency = idempotency;
    this.callers = callers;
  }

  @POST
  @RolesAllowed(Roles.PROJECT_DEVELOPER)
  @Transactional
  public Response submit(
      @HeaderParam(Idempotency.HEADER) String key,
      @Valid @NotNull RequestViews.SubmitRequest request) {
    Caller caller = callers.current();
    return idempotency.execute(
        caller.idempotencyScope(),
        key,
        "POST /issuance-requests",
        request,
        201,
        () -> service.submit(caller, request));
  }

  /**
   * Market operators follow issuance on the topic; like a single request, the queue is not theirs.
   */
  @GET
  @RolesAllowed({Roles.PROJECT_DEVELOPER, Roles.REGISTRY_ADMIN, Roles.REGULATOR})
  public Page<RequestViews.Request> list(@Context UriInfo uri) {
    return service.list(callers.current(), ListQuery.of(uri, "status", "project"));
  }

  @GET
  @Path("{id}")
  @RolesAllowed({Roles.PROJECT_DEVELOPER, Roles.REGISTRY_ADMIN, Roles.REGULATOR})
  public RequestViews.Request read(@PathParam("id") String id) {
    return service.read(callers.current(), id);
  }

  /** Approval takes no body; an empty JSON object is accepted too. */
  @POST
  @Path("{id}/approval")
  @RolesAllowed(Roles.REGISTRY_ADMIN)
  @Transactional
  @Consumes(MediaType.WILDCARD)
  public Response approve(
      @HeaderParam(Idempotency.HEADER) String key, @PathParam("id") String id, String body) {
    if (body != null && !body.isBlank() && !body.replaceAll("\\s", "").equals("{}")) {
      throw org.tanso.http.ApiException.malformed("approval takes no body");
    }
    Caller caller = callers.current();
    return idempotency.execute(
        caller.idempotencyScope(),
        key,
        "POST /issuance-requests/" + id + "/approval",
        Map.of(),
        200,
        () -> service.approve(caller, id));
  }

  @POST
  @Path("{id}/rejection")
  @RolesAllowed(Roles.REGISTRY_ADMIN)
  @Transactional
  public Response reject(
      @HeaderParam(Idempotency.HEADER) String key,
      @PathParam("id") String id,
      @Valid @NotNull RequestViews.Rejection body) {
    Caller caller = callers.current();
    return idempotency.execute(
        caller.idempotencyScope(),
        key,
        "POST /issuance-requests/" + id + "/rejection",
        body,
        200,
        () -> service.reject(caller, id, body.reason()));
  }
}
