package org.tanso.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every service must show on its own infrastructure: its V1 migration in a fresh database, a
 * message round trip through the real broker, readiness over database and Kafka, OpenAPI, Swagger
 * UI and metrics. A service's {@code @QuarkusTest} subclass names the service.
 */
public abstract class ServiceSmokeContract {

  /** The service name used for its test database, e.g. {@code registry}. */
  protected abstract String service();

  @Inject protected SmokeChannels channels;
  @Inject protected AgroalDataSource dataSource;

  @Test
  public void migratesItsOwnDatabaseWithV1() throws SQLException {
    try (Connection connection = dataSource.getConnection();
        ResultSet rs =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT version, success, current_database() FROM flyway_schema_history WHERE version = '1'")) {
      assertTrue(rs.next(), "V1 applied");
      assertTrue(rs.getBoolean(2));
      assertTrue(
          rs.getString(3).startsWith("tanso_test_" + service() + "_"),
          "a fresh database: " + rs.getString(3));
    }
  }

  @Test
  public void messageMakesTheRoundTripThroughTheBrokerIntoTheDatabase() throws SQLException {
    UUID id = UUID.randomUUID();
    channels.send(id);
    await().atMost(Duration.ofSeconds(60)).until(() -> storedSmokeIds(id) == 1);
    assertEquals(1, storedSmokeIds(id));
  }

  @Test
  public void readinessChecksDatabaseAndKafka() {
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", is("UP"))
        .body("checks.name", hasItem("Database connections health check"))
        .body("checks.name", hasItem("Kafka connection health check"));
  }

  @Test
  public void servesOpenApiSwaggerUiAndMetrics() {
    given().when().get("/q/openapi").then().statusCode(200).body(containsString("/me"));
    given().when().get("/q/swagger-ui/").then().statusCode(200);
    given()
        .when()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("jvm_memory_used_bytes"));
  }

  protected long storedSmokeIds(UUID id) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT count(*) FROM inbox_event WHERE event_id = ? AND consumer = 'smoke'")) {
      query.setObject(1, id);
      try (ResultSet rs = query.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
