package org.tanso.issuance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.issuance.IssuanceFixture.authorisation;
import static org.tanso.issuance.IssuanceFixture.issuedToDate;
import static org.tanso.issuance.IssuanceFixture.registerProject;
import static org.tanso.issuance.IssuanceFixture.status;
import static org.tanso.issuance.IssuanceFixture.submitted;
import static org.tanso.issuance.IssuanceFixture.unique;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * The database itself keeps issuance's guarantees, whatever code writes to it: these statements go
 * around the service, straight to its tables, and must be refused by the schema's constraints.
 * Every write happens in a transaction that is rolled back.
 */
@QuarkusTest
class DatabaseConstraintsTest {

  @Inject AgroalDataSource dataSource;

  @Test
  void aDecisionByTheSubmitterIsRefused() throws Exception {
    String dev = unique("P");
    String id = submitted(dev, registerProject(dev, null), "2025-01-01", "2025-12-31", 2025, 10);
    for (String decision : new String[] {"APPROVED", "REJECTED"}) {
      // another administrator may decide: the constraint refuses the submitter only
      assertEquals(1, inRolledBackTransaction(c -> decide(c, id, decision, "'another-admin'")));
      PSQLException refused =
          assertThrows(
              PSQLException.class,
              () -> inRolledBackTransaction(c -> decide(c, id, decision, "submitted_by")),
              decision + " by the submitter was stored");
      assertEquals("23514", refused.getSQLState(), refused.getMessage());
      String constraint = refused.getServerErrorMessage().getConstraint();
      String definition = definitionOf(constraint);
      assertTrue(
          definition.contains("decided_by") && definition.contains("submitted_by"),
          constraint + ": " + definition);
    }
    assertEquals("SUBMITTED", status(id));
  }

  @Test
  void moreIssuedThanAuthorisedIsRefused() throws Exception {
    String dev = unique("P");
    String project = registerProject(dev, authorisation(100));
    assertEquals(1, inRolledBackTransaction(c -> setIssuedToDate(c, project, 100)));
    PSQLException refused =
        assertThrows(
            PSQLException.class,
            () -> inRolledBackTransaction(c -> setIssuedToDate(c, project, 101)),
            "101 issued of 100 authorised was stored");
    assertEquals("23514", refused.getSQLState(), refused.getMessage());
    String constraint = refused.getServerErrorMessage().getConstraint();
    String definition = definitionOf(constraint);
    assertTrue(
        definition.contains("issued_to_date <= authorised_quantity"),
        constraint + ": " + definition);
    assertEquals(0, issuedToDate(project));
  }

  @Test
  void authorisationPurposesAndTheirDefinitionMustFitTogether() throws Exception {
    String project =
        registerProject(
            unique("P"),
            IssuanceFixture.authorisation(
                100,
                java.util.Map.of(
                    "purposes",
                    java.util.List.of("NDC", "OIMP"),
                    "firstTransferDefinition",
                    "ISSUANCE")));
    // what the service writes for other valid authorisations passes
    assertEquals(
        1,
        inRolledBackTransaction(
            c -> setAuthorisation(c, project, "'OIMP'", "'{OIMP,NDC}'", "'AUTHORISATION'")));
    assertEquals(
        1, inRolledBackTransaction(c -> setAuthorisation(c, project, "'NDC'", "'{NDC}'", "NULL")));
    assertEquals(
        1, inRolledBackTransaction(c -> setAuthorisation(c, project, "NULL", "NULL", "NULL")));
    String[][] refused = {
      {"'NDC'", "'{NDC,OIMP}'", "NULL", "project_first_transfer_definition_for_oimp"},
      {"'NDC'", "'{NDC}'", "'ISSUANCE'", "project_first_transfer_definition_for_oimp"},
      {"'NDC'", "'{NDC,OIMP}'", "'AT_ISSUANCE'", "project_first_transfer_definition_valid"},
      {"'NDC'", "'{NDC,NDC}'", "NULL", "project_authorisation_purposes_valid"},
      {"'NDC'", "'{}'", "NULL", "project_authorisation_purposes_valid"},
      {"'NDC'", "'{NDC,CORSIA}'", "NULL", "project_authorisation_purposes_valid"},
      {"'OIMP'", "'{NDC,OIMP}'", "'ISSUANCE'", "project_authorisation_purpose_first"},
      {"NULL", "'{OIMP}'", "'ISSUANCE'", "project_authorisation_purpose_first"}
    };
    for (String[] r : refused) {
      PSQLException e =
          assertThrows(
              PSQLException.class,
              () -> inRolledBackTransaction(c -> setAuthorisation(c, project, r[0], r[1], r[2])),
              String.join(" ", r) + " was stored");
      assertEquals("23514", e.getSQLState(), e.getMessage());
      assertEquals(r[3], e.getServerErrorMessage().getConstraint(), String.join(" ", r));
    }
  }

  private static int setAuthorisation(
      Connection c, String project, String purpose, String purposes, String definition)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE project SET authorisation_purpose = "
                + purpose
                + ", authorisation_purposes = "
                + purposes
                + ", first_transfer_definition = "
                + definition
                + " WHERE id = ?")) {
      s.setString(1, project);
      return s.executeUpdate();
    }
  }

  private interface Statement {
    int run(Connection c) throws SQLException;
  }

  private int inRolledBackTransaction(Statement statement) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        return statement.run(c);
      } finally {
        c.rollback();
      }
    }
  }

  private static int decide(Connection c, String id, String status, String decidedBy)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE issuance_request SET status = ?, decided_by = "
                + decidedBy
                + ", decided_at = now() WHERE id = ?")) {
      s.setString(1, status);
      s.setString(2, id);
      return s.executeUpdate();
    }
  }

  private static int setIssuedToDate(Connection c, String project, long quantity)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("UPDATE project SET issued_to_date = ? WHERE id = ?")) {
      s.setLong(1, quantity);
      s.setString(2, project);
      return s.executeUpdate();
    }
  }

  private String definitionOf(String constraint) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = ?")) {
      s.setString(1, constraint);
      try (ResultSet rs = s.executeQuery()) {
        assertTrue(rs.next(), "no constraint named " + constraint);
        return rs.getString(1);
      }
    }
  }
}
