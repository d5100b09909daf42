package org.tanso.issuance.project;

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
import org.tanso.issuance.request.IssuanceRequestRepository;

@Path("/projects")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ProjectResource {

  private final ProjectService projects;
  private final IssuanceRequestRepository requests;
  private final Idempotency idempotency;
  private final Callers callers;

  ProjectResource(
      ProjectService projects,
      IssuanceRequestRepository requests,
      Idempotency idempotency,
      Callers callers) {
    this.projects = projects;
    this.requests = requests;
    this.idempotency = idempotency;
    this.callers = callers;
  }

  @POST
  @RolesAllowed(Roles.REGISTRY_ADMIN)
  @Transactional
  public Response register(
      @HeaderParam(Idempotency.HEADER) String key,
      @Valid @NotNull ProjectViews.RegisterProject request) {
    Caller caller = callers.current();
    return idempotency.execute(
        caller.idempotencyScope(),
        key,
        "POST /projects",
        request,
        201,
        () -> projects.register(caller, request));
  }

  @GET
  @RolesAllowed({
    Roles.PROJECT_DEVELOPER,
    Roles.REGISTRY_ADMIN,
    Roles.REGULATOR,
    Roles.MARKET_OPERATOR
  })
  public Page<ProjectViews.Project> list(@Context UriInfo uri) {
    return projects.list(ListQuery.of(uri, ProjectFilter.PARAMETERS), requests::inFlightQuantities);
  }

  @GET
  @Path("{id}")
  @RolesAllowed({
    Roles.PROJECT_DEVELOPER,
    Roles.REGISTRY_ADMIN,
    Roles.REGULATOR,
    Roles.MARKET_OPERATOR
  })
  public ProjectViews.Project project(@PathParam("id") String id) {
    ProjectEntity project = projects.find(id);
    return ProjectService.view(project, requests.inFlightQuantity(project.id));
  }
}
