package org.tanso.registry.report;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.tanso.http.ApiException;
import org.tanso.identity.Roles;

/**
 * The party's annual Article 6.2 report in the Agreed Electronic Format: JSON (the default, also
 * for {@code Accept: *}{@code /*} or none), {@code text/csv} (one table, {@code table=actions} by
 * default) or XLSX (every table, one sheet each).
 */
@Path("/reports/aef")
public class AefResource {

  private static final MediaType CSV = MediaType.valueOf("text/csv");
  private static final MediaType XLSX = MediaType.valueOf(AefFormats.XLSX);

  private final AefReports reports;

  AefResource(AefReports reports) {
    this.reports = reports;
  }

  @GET
  @Produces({MediaType.APPLICATION_JSON, "text/csv", AefFormats.XLSX})
  @RolesAllowed({Roles.REGULATOR, Roles.REGISTRY_ADMIN})
  public Response report(
      @QueryParam("year") String year,
      @QueryParam("table") String table,
      @Context HttpHeaders headers) {
    MediaType wanted = chosen(headers);
    AefReport report = reports.report(year);
    String file = "aef-" + report.submission().party() + "-" + report.submission().reportedYear();
    if (wanted.isCompatible(CSV) && !wanted.isWildcardType()) {
      String name = table == null || table.isBlank() ? "actions" : table;
      return Response.ok(AefFormats.csv(report, table), "text/csv; charset=UTF-8")
          .header("Content-Disposition", "attachment; filename=\"" + file + "-" + name + ".csv\"")
          .build();
    }
    if (wanted.isCompatible(XLSX) && !wanted.isWildcardType()) {
      return Response.ok(AefFormats.workbook(report), AefFormats.XLSX)
          .header("Content-Disposition", "attachment; filename=\"" + file + ".xlsx\"")
          .build();
    }
    return Response.ok(report, MediaType.APPLICATION_JSON).build();
  }

  /** The first acceptable type, in the client's order of preference; JSON for a wildcard. */
  private static MediaType chosen(HttpHeaders headers) {
    for (MediaType type : headers.getAcceptableMediaTypes()) {
      if (type.isWildcardType() || type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
        return MediaType.APPLICATION_JSON_TYPE;
      }
      if (type.isCompatible(CSV) && !type.isWildcardSubtype()) {
        return CSV;
      }
      if (type.isCompatible(XLSX) && !type.isWildcardSubtype()) {
        return XLSX;
      }
    }
    throw new ApiException(
        406,
        "NOT_ACCEPTABLE",
        "the AEF report is available as application/json, text/csv or " + AefFormats.XLSX);
  }
}
