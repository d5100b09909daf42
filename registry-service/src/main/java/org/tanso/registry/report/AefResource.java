package org.tanso.registry.report;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.tanso.identity.Roles;

/** The party's annual Article 6.2 report in the Agreed Electronic Format: JSON, CSV (one table) or XLSX (every table). */
@Path("/reports/aef")
public class AefResource {

  private final AefReports reports;

  AefResource(AefReports reports) {
    this.reports = reports;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.REGULATOR, Roles.REGISTRY_ADMIN})
  public AefReport json(@QueryParam("year") String year) {
    return reports.report(year);
  }

  @GET
  @Produces("text/csv")
  @RolesAllowed({Roles.REGULATOR, Roles.REGISTRY_ADMIN})
  public Response csv(@QueryParam("year") String year, @QueryParam("table") String table) {
    AefReport report = reports.report(year);
    String name = table == null || table.isBlank() ? "actions" : table;
    return Response.ok(AefFormats.csv(report, table), "text/csv; charset=UTF-8")
        .header("Content-Disposition", "attachment; filename=\"aef-" + report.submission().party() + "-" + report.submission().reportedYear() + "-"
            + name + ".csv\"")
        .build();
  }

  @GET
  @Produces(AefFormats.XLSX)
  @RolesAllowed({Roles.REGULATOR, Roles.REGISTRY_ADMIN})
  public Response workbook(@QueryParam("year") String year) {
    AefReport report = reports.report(year);
    return Response.ok(AefFormats.workbook(report), AefFormats.XLSX)
        .header("Content-Disposition", "attachment; filename=\"aef-" + report.submission().party() + "-" + report.submission().reportedYear() + ".xlsx\"")
        .build();
  }
}
