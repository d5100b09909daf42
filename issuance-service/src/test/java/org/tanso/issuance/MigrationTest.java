package org.tanso.issuance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Schema changes keep the meaning of rows written before them: each migration runs here on a
 * database of its own that holds rows of the schema before it.
 */
@QuarkusTest
class MigrationTest {

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String url;

  @ConfigProperty(name = "quarkus.datasource.username")
  String user;

  // where PostgreSQL trusts local connections the password is empty, which config reads as absent
  @ConfigProperty(name = "quarkus.datasource.password")
  java.util.Optional<String> configuredPassword;

  @Test
  void singlePurposeAuthorisationsBecomeTheirPurposesAndOimpIsFirstTransferredAtIssuance()
      throws Exception {
    String database =
        "issuance_migration_"
            + UUID.randomUUID()
                .toString()
                .replace("-", "")
                .substring(0, 12)
                .toLowerCase(Locale.ROOT);
    execute(url, "CREATE DATABASE " + database);
    String scratch = url.replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
    try {
      flyway(scratch, "3").migrate();
      execute(
          scratch,
          """
          INSERT INTO project (id, title, mechanism, host_party, partner_party, methodology, sectoral_scope, authorisation_id, authorisation_date,
              authorisation_purpose, authorised_quantity, registered_by, registered_at) VALUES
            ('P_NDC', 't', 'JCM', 'VN', 'JP', 'm', 's', 'A1', '2025-01-01', 'NDC', 10, 'admin', now()),
            ('P_OIMP', 't', 'JCM', 'VN', 'JP', 'm', 's', 'A2', '2025-01-01', 'OIMP', 10, 'admin', now()),
            ('P_NONE', 't', 'JCM', 'VN', 'JP', 'm', 's', NULL, NULL, NULL, NULL, 'admin', now())""");
      flyway(scratch, "latest").migrate();
      List<String> rows = new ArrayList<>();
      try (Connection c = DriverManager.getConnection(scratch, user, password());
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT id, authorisation_purpose, array_to_string(authorisation_purposes, ','), first_transfer_definition FROM project ORDER BY id")) {
        while (rs.next()) {
          rows.add(
              rs.getString(1)
                  + " "
                  + rs.getString(2)
                  + " "
                  + rs.getString(3)
                  + " "
                  + rs.getString(4));
        }
      }
      assertEquals(
          List.of("P_NDC NDC NDC null", "P_NONE null null null", "P_OIMP OIMP OIMP ISSUANCE"),
          rows);
    } finally {
      execute(url, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  private Flyway flyway(String jdbcUrl, String target) {
    return Flyway.configure()
        .dataSource(jdbcUrl, user, password())
        .locations("classpath:db/migration")
        .target(target)
        .load();
  }

  private void execute(String jdbcUrl, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password());
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private String password() {
    return configuredPassword.orElse("");
  }
}
