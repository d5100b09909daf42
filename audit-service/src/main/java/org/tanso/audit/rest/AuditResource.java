package org.tanso.audit.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.tanso.audit.log.AuditLog;
import org.tanso.audit.log.AuditQueries;
import org.tanso.audit.log.CheckpointSigner;
import org.tanso.audit.reconciliation.ReconciliationService;
import org.tanso.http.ApiException;
import org.tanso.identity.Roles;

@Path("/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

  private final AuditQueries queries;
  private final AuditLog log;
  private final CheckpointSigner signer;
  private final ReconciliationService reconciliation;

  AuditResource(
      AuditQueries queries,
      AuditLog log,
      CheckpointSigner signer,
      ReconciliationService reconciliation) {
    this.queries = queries;
    this.log = log;
    this.signer = signer;
    this.reconciliation = reconciliation;
  }

  @GET
  @Path("entries")
  @RolesAllowed(Roles.REGULATOR)
  public AuditQueries.Page entries(
      @QueryParam("subject") String subject,
      @QueryParam("type") String type,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("after") String after,
      @QueryParam("limit") String limit)
      throws Exception {
    return queries.entries(blankToNull(subject), blankToNull(type), from, to, after, limit);
  }

  @GET
  @Path("entries/{seq}")
  @RolesAllowed(Roles.REGULATOR)
  public AuditQueries.Entry entry(@PathParam("seq") String seq) throws Exception {
    return queries.entry(seq);
  }

  @GET
  @Path("proofs/inclusion")
  @RolesAllowed(Roles.REGULATOR)
  public AuditQueries.Inclusion inclusion(
      @QueryParam("seq") String seq, @QueryParam("treeSize") String treeSize) throws Exception {
    return queries.inclusion(seq, treeSize);
  }

  @GET
  @Path("proofs/consistency")
  @RolesAllowed(Roles.REGULATOR)
  public AuditQueries.Consistency consistency(
      @QueryParam("first") String first, @QueryParam("second") String second) throws Exception {
    return queries.consistency(first, second);
  }

  @GET
  @Path("checkpoints/latest")
  @RolesAllowed({
    Roles.PROJECT_DEVELOPER,
    Roles.REGISTRY_ADMIN,
    Roles.REGULATOR,
    Roles.MARKET_OPERATOR
  })
  public AuditLog.Checkpoint latestCheckpoint() throws Exception {
    return log.latestCheckpoint()
        .orElseThrow(
            () -> ApiException.notFound("NO_CHECKPOINT", "no checkpoint has been published yet"));
  }

  @GET
  @Path("public-key")
  @PermitAll
  @Produces("application/x-pem-file")
  public Response publicKey() {
    return Response.ok(signer.publicKeyPem()).header("X-Key-Id", signer.keyId()).build();
  }

  @GET
  @Path("verification")
  @RolesAllowed(Roles.REGULATOR)
  public AuditQueries.Verification verification() throws Exception {
    return queries.verify();
  }

  @GET
  @Path("reconciliation")
  @RolesAllowed(Roles.REGULATOR)
  public ReconciliationService.Result reconciliation() throws Exception {
    return reconciliation.reconcile();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
