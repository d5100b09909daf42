package org.tanso.audit.certificate;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.tanso.http.ProblemMappers;

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
      @Context Request request,
      @Context UriInfo uri)
      throws SQLException {
    Certificate certificate;
    try {
      certificate = certificates.certificate(retirementId, seq, size);
    } catch (CertificateService.NotReady e) {
      return Response.fromResponse(
              ProblemMappers.problem(e.status(), e.code(), e.getMessage(), uri, null))
          .header("Retry-After", retryAfterSeconds)
          .header("Cache-Control", "no-store")
          .build();
    }
    return cached(request, certificate, () -> CertificatePdf.render(certificate));
  }

  /**
   * ETag and Cache-Control for a certificate, a 304 for a matching If-None-Match without rendering
   * it. The tag covers everything the PDF shows and proves, so it changes when the log adds to it
   * (a corresponding adjustment applied later).
   */
  private static Response cached(
      Request request, Certificate certificate, java.util.function.Supplier<byte[]> pdf) {
    EntityTag tag = new EntityTag(sha256(RENDERING + "\n" + certificate));
    Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
    Response.ResponseBuilder response =
        notModified != null
            ? notModified
            : Response.ok(pdf.get(), PDF)
                .header(
                    "Content-Disposition",
                    "inline; filename=\"" + certificate.retirementId() + ".pdf\"");
    return response.tag(tag).header("Cache-Control", "public, max-age=300").build();
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
