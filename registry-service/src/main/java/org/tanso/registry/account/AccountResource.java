package org.tanso.registry.account;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
import org.tanso.identity.Callers;
import org.tanso.identity.Roles;

@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AccountResource {

  private final AccountService service;
  private final Idempotency idempotency;
  private final AccountLists lists;
  private final Callers callers;

  AccountResource(
      AccountService service, Idempotency idempotency, AccountLists lists, Callers callers) {
    this.service = service;
    this.idempotency = idempotency;
    this.lists = lists;
    this.callers = callers;
  }

  @POST
  @Path("participants")
  @RolesAllowed(Roles.REGISTRY_ADMIN)
  @Transactional
  public Response register(
      @HeaderParam(Idempotency.HEADER) String key,
      @Valid @NotNull AccountViews.RegisterParticipant request) {
    return idempotency.execute(
        callers.current().idempotencyScope(),
        key,
        "POST /participants",
        request,
        201,
        () -> service.register(request));
  }

  @GET
  @Path("participants")
  @RolesAllowed({Roles.REGISTRY_ADMIN, Roles.REGULATOR})
  public Page<AccountViews.Participant> participants(@Context UriInfo uri) {
    return lists.participants(ListQuery.of(uri));
  }

  @GET
  @Path("accounts")
  @RolesAllowed({Roles.PROJECT_DEVELOPER, Roles.REGISTRY_ADMIN, Roles.REGULATOR})
  public Page<AccountViews.Account> accounts(@Context UriInfo uri) {
    return lists.accounts(
        callers.current(), ListQuery.of(uri, "holder", "party", "type", "status"));
  }

  @GET
  @Path("accounts/{number}/transactions")
  @RolesAllowed({Roles.PROJECT_DEVELOPER, Roles.REGISTRY_ADMIN, Roles.REGULATOR})
  public Page<AccountViews.StatementLine> statement(
      @PathParam("number") String number, @Context UriInfo uri) {
    return lists.statement(callers.current(), number, ListQuery.of(uri, "from", "to"));
  }

  @GET
  @Path("participants/{id}")
  @RolesAllowed({Roles.REGISTRY_ADMIN, Roles.REGULATOR})
  public AccountViews.Participant participant(@PathParam("id") String id) {
    return service.participant(id);
  }

  @POST
  @Path("accounts")
  @RolesAllowed(Roles.REGISTRY_ADMIN)
  @Transactional
  public Response open(
      @HeaderParam(Idempotency.HEADER) String key,
      @Valid @NotNull AccountViews.OpenAccount request) {
    return idempotency.execute(
        callers.current().idempotencyScope(),
        key,
        "POST /accounts",
        request,
        201,
        () -> service.open(request));
  }

  @GET
  @Path("accounts/{number}")
  @RolesAllowed({Roles.PROJECT_DEVELOPER, Roles.REGISTRY_ADMIN, Roles.REGULATOR})
  public AccountViews.Account account(@PathParam("number") String number) {
    return service.readable(callers.current(), number);
  }

  @PUT
  @Path("accounts/{number}/status")
  @RolesAllowed(Roles.REGISTRY_ADMIN)
  public AccountViews.Account changeStatus(
      @PathParam("number") String number, @Valid @NotNull AccountViews.ChangeStatus request) {
    return service.changeStatus(number, request);
  }
}
