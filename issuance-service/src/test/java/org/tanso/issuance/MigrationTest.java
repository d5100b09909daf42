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
    String database = scratchDatabase();
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

  @Test
  void issuancesRecordedBeforeThePublicCountersAreCountedIssuedAndCancelledAtIssuance()
      throws Exception {
    String database = scratchDatabase();
    String scratch = url.replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
    try {
      flyway(scratch, "6").migrate();
      execute(
          scratch,
          """
          INSERT INTO project (id, title, mechanism, host_party, partner_party, methodology, sectoral_scope,
              registered_by, registered_at) VALUES ('P1', 't', 'A6_4', 'MN', 'JP', 'm', 's', 'admin', now());
          INSERT INTO issuance_request (id, project_id, status, monitoring_start, monitoring_end, vintage, quantity,
              report_reference, report_sha256, submitted_by, submitter_participant, submitted_at, unit_id,
              issued_blocks, completed_at) VALUES
            ('R1', 'P1', 'ISSUED', '2025-01-01', '2025-12-31', 2025, 100, 'VR', repeat('a', 64), 'dev', 'P', now(),
             'A6_4-MN-P1-2025-0001',
             '[{"unitId":"A6_4-MN-P1-2025-0001","start":1,"end":5,"state":"ACTIVE"},
               {"unitId":"A6_4-MN-P1-2025-0001","start":6,"end":7,"state":"CANCELLED"},
               {"unitId":"A6_4-MN-P1-2025-0001","start":8,"end":100,"state":"ACTIVE"}]',
             '2026-01-05T10:00:00Z'),
            ('R2', 'P1', 'FAILED', '2024-01-01', '2024-12-31', 2024, 50, 'VR', repeat('a', 64), 'dev', 'P', now(),
             NULL, NULL, now())""");
      flyway(scratch, "latest").migrate();
      List<String> rows = new ArrayList<>();
      try (Connection c = DriverManager.getConnection(scratch, user, password());
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT unit_id, project_id, vintage, issued, retired, cancelled, issued_at = '2026-01-05T10:00:00Z'"
                      + " FROM unit_totals ORDER BY unit_id")) {
        while (rs.next()) {
          rows.add(
              rs.getString(1)
                  + " "
                  + rs.getString(2)
                  + " "
                  + rs.getInt(3)
                  + " "
                  + rs.getLong(4)
                  + "/"
                  + rs.getLong(5)
                  + "/"
                  + rs.getLong(6)
                  + " "
                  + rs.getBoolean(7));
        }
      }
      assertEquals(List.of("A6_4-MN-P1-2025-0001 P1 2025 100/0/2 true"), rows);
    } finally {
      execute(url, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  /** A new, empty database of its own; its name. */
  private String scratchDatabase() throws SQLException {
    String database =
        "issuance_migration_"
            + UUID.randomUUID()
                .toString()
                .replace("-", "")
                .substring(0, 12)
                .toLowerCase(Locale.ROOT);
    execute(url, "CREATE DATABASE " + database);
    return database;
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
