package org.tanso.http;

import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A POST that changes the database under an Idempotency-Key, as the services' POSTs do. The caller
 * comes from a header here (the services take it from the bearer token). A name starting with
 * "slow" makes the change take a while, "reject" makes it fail after it wrote its row.
 */
@Path("/things")
@Produces(MediaType.APPLICATION_JSON)
public class ThingResource {

  public record ThingRequest(@NotBlank @Size(max = 2000) String name, @Positive long quantity) {}

  public record Thing(long id, String caller, String name, long quantity) {}

  private final Idempotency idempotency;
  private final DataSource dataSource;

  ThingResource(Idempotency idempotency, DataSource dataSource) {
    this.idempotency = idempotency;
    this.dataSource = dataSource;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Transactional
  public Response create(
      @HeaderParam("X-Caller") String caller,
      @HeaderParam(Idempotency.HEADER) String key,
      @Valid @NotNull ThingRequest request) {
    String who = caller == null ? "anonymous" : caller;
    return idempotency.execute(who, key, "POST /things", request, 201, () -> insert(who, request));
  }

  @GET
  @Path("/{name}")
  public Map<String, String> byName(@PathParam("name") String name, @QueryParam("q") String q) {
    return q == null ? Map.of("name", name) : Map.of("name", name, "q", q);
  }

  private Thing insert(String caller, ThingRequest request) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO thing (caller, name, quantity) VALUES (?, ?, ?) RETURNING id")) {
      s.setString(1, caller);
      s.setString(2, request.name());
      s.setLong(3, request.quantity());
      long id;
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
      if (request.name().startsWith("slow")) {
        Thread.sleep(300);
      }
      if (request.name().startsWith("reject")) {
        throw ApiException.unprocessable("THING_REJECTED", "this thing cannot be created");
      }
      return new Thing(id, caller, request.name(), request.quantity());
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
