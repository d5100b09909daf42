package org.tanso.registry;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SmokeTest {

  @Inject SmokeChannels channels;
  @Inject AgroalDataSource dataSource;

  @Test
  void migratesItsOwnDatabaseWithV1() throws SQLException {
    try (Connection connection = dataSource.getConnection();
        ResultSet rs =
            connection
                .createStatement()
                .executeQuery("SELECT version, success, current_database() FROM flyway_schema_history WHERE version = '1'")) {
      assertTrue(rs.next(), "V1 applied");
      assertTrue(rs.getBoolean(2));
      assertTrue(rs.getString(3).startsWith("tanso_test_registry_"), "a fresh database: " + rs.getString(3));
    }
  }

  @Test
  void messageMakesTheRoundTripThroughTheBrokerIntoTheDatabase() throws SQLException {
    UUID id = UUID.randomUUID();
    channels.send(id);
    await().atMost(Duration.ofSeconds(60)).until(() -> storedSmokeIds(id) == 1);
    assertEquals(1, storedSmokeIds(id));
  }

  @Test
  void readinessChecksDatabaseAndKafka() {
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
  void servesOpenApiSwaggerUiAndMetrics() {
    given().when().get("/q/openapi").then().statusCode(200).body(containsString("/me"));
    given().when().get("/q/swagger-ui/").then().statusCode(200);
    given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
  }

  private long storedSmokeIds(UUID id) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query =
            connection.prepareStatement("SELECT count(*) FROM inbox_event WHERE event_id = ? AND consumer = 'smoke'")) {
      query.setObject(1, id);
      try (ResultSet rs = query.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
