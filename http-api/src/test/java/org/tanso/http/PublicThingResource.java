package org.tanso.http;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A public list as the services build theirs: JSON, or the whole list as streamed CSV; one item by
 * id, 404 when unknown. And a route behind a role, to show that a token still counts there.
 */
@Path("/")
public class PublicThingResource {

  public record Item(long id, String name, long quantity) {}

  private final DataSource dataSource;
  private final CsvExport csv;
  private final SecurityIdentity identity;

  PublicThingResource(DataSource dataSource, CsvExport csv, SecurityIdentity identity) {
    this.dataSource = dataSource;
    this.csv = csv;
    this.identity = identity;
  }

  /**
   * A public route that asks who calls, as a logging filter or a shared bean might: with lazy
   * authentication that is when a token is read (and a bogus one refused).
   */
  @GET
  @Path("/public/caller")
  @PermitAll
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Boolean> caller() {
    return Map.of("anonymous", identity.isAnonymous());
  }

  @GET
  @Path("/public/things")
  @PermitAll
  @Produces({MediaType.APPLICATION_JSON, CsvExport.MEDIA_TYPE})
  public Response list(@Context HttpHeaders headers) throws SQLException {
    if (CsvExport.requested(headers)) {
      return csv.response(
          new CsvExport.Export(
              "things.csv",
              fingerprint(),
              List.of("id", "name", "quantity"),
              "SELECT id, name, quantity FROM thing ORDER BY id",
              List.of(),
              rs -> List.of(rs.getLong(1), rs.getString(2), rs.getLong(3))));
    }
    List<Item> items = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT id, name, quantity FROM thing ORDER BY id LIMIT 50");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        items.add(new Item(rs.getLong(1), rs.getString(2), rs.getLong(3)));
      }
    }
    return Response.ok(Map.of("items", items), MediaType.APPLICATION_JSON).build();
  }

  @GET
  @Path("/public/things/{id}")
  @PermitAll
  @Produces(MediaType.APPLICATION_JSON)
  public Item one(@PathParam("id") long id) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT id, name, quantity FROM thing WHERE id = ?")) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw ApiException.notFound("THING_NOT_FOUND", "no thing " + id);
        }
        return new Item(rs.getLong(1), rs.getString(2), rs.getLong(3));
      }
    }
  }

  @GET
  @Path("/private/things")
  @RolesAllowed("regulator")
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, String> restricted() {
    return Map.of("seen", "by a regulator");
  }

  private String fingerprint() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT count(*), max(id) FROM thing");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1) + ":" + rs.getLong(2);
    }
  }
}
