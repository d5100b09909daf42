package org.tanso.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.audit.AuditFixture.awaitEntry;
import static org.tanso.audit.AuditFixture.publish;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tanso.events.Topics;

/**
 * The database itself refuses to change the log: by the service's role's grants, and by triggers
 * even for the owner.
 */
@QuarkusTest
class AppendOnlyTest {

  /** The service's own connections: they work as tanso_audit_writer. */
  @Inject AgroalDataSource service;

  /** The owner's connections (the test database's superuser), used by migrations. */
  @Inject
  @DataSource("migration")
  AgroalDataSource owner;

  static final List<String> CHANGES =
      List.of(
          "UPDATE audit_entry SET payload = '{}' WHERE seq = %d",
          "DELETE FROM audit_entry WHERE seq = %d",
          "TRUNCATE audit_entry CASCADE",
          "UPDATE merkle_node SET hash = '\\x00' WHERE level = 0 AND idx = %d - 1",
          "DELETE FROM audit_subject WHERE seq = %d",
          "TRUNCATE checkpoint");

  @Test
  void theServiceRoleMayOnlyReadAndAppend() throws Exception {
    long seq = anEntry();
    try (Connection c = service.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_user")) {
      rs.next();
      assertEquals("tanso_audit_writer", rs.getString(1));
    }
    for (String change : CHANGES) {
      SQLException refused =
          assertThrows(SQLException.class, () -> run(service, String.format(change, seq)), change);
      assertTrue(
          refused.getMessage().contains("permission denied"), change + ": " + refused.getMessage());
    }
    assertUnchanged(seq);
  }

  @Test
  void triggersRefuseEvenTheOwner() throws Exception {
    long seq = anEntry();
    for (String change : CHANGES) {
      SQLException refused =
          assertThrows(SQLException.class, () -> run(owner, String.format(change, seq)), change);
      assertTrue(
          refused.getMessage().contains("append-only"), change + ": " + refused.getMessage());
    }
    assertUnchanged(seq);
  }

  private static long anEntry() {
    String subject = "AO" + UUID.randomUUID().toString().substring(0, 8);
    UUID id =
        publish(
            Topics.REGISTRY_EVENTS,
            "tanso.registry.AccountOpened.v1",
            subject,
            "{\"number\":\"" + subject + "\"}");
    return awaitEntry(subject, id);
  }

  private void assertUnchanged(long seq) throws SQLException {
    try (Connection c = owner.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT payload FROM audit_entry WHERE seq = " + seq)) {
      assertTrue(rs.next());
      assertTrue(rs.getString(1).startsWith("{\"number\""));
    }
  }

  private static void run(AgroalDataSource dataSource, String sql) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
