package org.tanso.audit.certificate;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.sql.SQLException;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.tanso.http.ProblemMappers;
import org.tanso.http.PublicCaching;

/**
 * A retirement's certificate for anyone, no token: a one-page PDF carrying the proof that the
 * retirement is in the signed audit log.
 */
@Path("/public/certificates")
public class CertificateResource {

  static final String PDF = "application/pdf";

  /**
   * Changes whenever the rendering does, so a cached certificate of an older layout is not kept.
   */
  private static final String RENDERING = "1";

  private final CertificateService certificates;
  private final long retryAfterSeconds;

  CertificateResource(
      CertificateService certificates,
      @ConfigProperty(name = "tanso.audit.checkpoint.interval") Duration checkpointInterval) {
    this.certificates = certificates;
    this.retryAfterSeconds = Math.max(1, checkpointInterval.toSeconds());
  }

  @GET
  @Path("{retirementId}")
  @PermitAll
  @Produces(PDF)
  public Response certificate(
      @PathParam("retirementId") String retirementId,
      @QueryParam("seq") String seq,
      @QueryParam("size") String size,
      @Context UriInfo uri)
      throws SQLException {
    Certificate certificate;
    try {
      certificate = certificates.certificate(retirementId, seq, size);
    } catch (CertificateService.NotReady e) {
      return Response.fromResponse(
              ProblemMappers.problem(e.status(), e.code(), e.getMessage(), uri, null))
          .header("Retry-After", retryAfterSeconds)
          .build();
    }
    // the tag covers everything the PDF shows and proves, so it changes when the log adds to it
    // (a corresponding adjustment applied later); the shared public-route filter adds
    // Cache-Control and answers a matching If-None-Match with 304 before the body is rendered
    StreamingOutput pdf = out -> out.write(CertificatePdf.render(certificate));
    return Response.ok(pdf, PDF)
        .header(HttpHeaders.ETAG, PublicCaching.etag(RENDERING + "\n" + certificate))
        .header(
            "Content-Disposition", "inline; filename=\"" + certificate.retirementId() + ".pdf\"")
        .build();
  }
}
