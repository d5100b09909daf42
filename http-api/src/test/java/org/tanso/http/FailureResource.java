package org.tanso.http;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;

/** Endpoints that fail the ways real requests fail, for the problem mappers. */
@Path("/failures")
@Produces(MediaType.APPLICATION_JSON)
public class FailureResource {

  static final String SECRET = "SELECT password FROM internal_secrets";

  private final DataSource dataSource;

  FailureResource(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @GET
  @Path("/api")
  public String api() {
    throw ApiException.unprocessable("THING_REJECTED", "this thing cannot be created");
  }

  @GET
  @Path("/unauthorized")
  public String unauthorized() {
    throw new UnauthorizedException("no token: " + SECRET);
  }

  @GET
  @Path("/forbidden")
  public String forbidden() {
    throw new ForbiddenException("role missing: " + SECRET);
  }

  @GET
  @Path("/gone")
  public String gone() {
    throw new WebApplicationException(410);
  }

  @GET
  @Path("/unexpected")
  public String unexpected() {
    throw new IllegalStateException(SECRET);
  }

  /** PostgreSQL itself refuses the statement: a syntax error, not a transient state. */
  @GET
  @Path("/bad-sql")
  @Transactional(rollbackOn = Exception.class)
  public String badSql() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(SECRET + " WHERE");
    }
    return "unreachable";
  }

  /**
   * PostgreSQL cancels the statement on its timeout (SQLSTATE 57014): transient, nothing changed.
   */
  @GET
  @Path("/statement-timeout")
  @Transactional(rollbackOn = Exception.class)
  public String statementTimeout() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SET LOCAL statement_timeout = '20ms'");
      s.execute("SELECT pg_sleep(2)");
    }
    return "unreachable";
  }

  @GET
  @Path("/validated")
  public Map<String, Integer> validated(@QueryParam("size") @Min(1) int size) {
    return Map.of("size", size);
  }
}
