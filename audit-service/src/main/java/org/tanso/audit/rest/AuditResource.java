package org.tanso.audit.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
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

  private static final ObjectMapper JSON = new ObjectMapper();

  static final String PEM = "application/x-pem-file";
  static final String JWK = "application/jwk+json";

  /**
   * The checkpoints' key: PEM (as always, for no Accept header or a wildcard), or a JWK (RFC 8037)
   * when JSON is asked for, with the checkpoints' key id as {@code kid}.
   */
  @GET
  @Path("public-key")
  @PermitAll
  @Produces({PEM, MediaType.APPLICATION_JSON, JWK})
  public Response publicKey(@Context HttpHeaders headers) throws JsonProcessingException {
    MediaType wanted = publicKeyType(headers);
    if (wanted == null) {
      return Response.ok(signer.publicKeyPem(), PEM).header("X-Key-Id", signer.keyId()).build();
    }
    Map<String, String> jwk = new LinkedHashMap<>();
    jwk.put("kty", "OKP");
    jwk.put("crv", "Ed25519");
    jwk.put("x", Base64.getUrlEncoder().withoutPadding().encodeToString(signer.publicKeyRaw()));
    jwk.put("kid", signer.keyId());
    jwk.put("use", "sig");
    jwk.put("alg", "EdDSA");
    // written here: the JSON writer is not registered for application/jwk+json
    return Response.ok(JSON.writeValueAsString(jwk), wanted)
        .header("X-Key-Id", signer.keyId())
        .build();
  }

  /**
   * The JSON type the client prefers to PEM, or null for PEM: the first acceptable type (in the
   * client's order of preference) that is not a wildcard decides.
   */
  private static MediaType publicKeyType(HttpHeaders headers) {
    for (MediaType type : headers.getAcceptableMediaTypes()) {
      if (type.isWildcardType() || type.isWildcardSubtype()) {
        return null;
      }
      if (type.isCompatible(MediaType.valueOf(PEM))) {
        return null;
      }
      if (type.isCompatible(MediaType.valueOf(JWK))) {
        return MediaType.valueOf(JWK);
      }
      if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
        return MediaType.APPLICATION_JSON_TYPE;
      }
    }
    return null;
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
