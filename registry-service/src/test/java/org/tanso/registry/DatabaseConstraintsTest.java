package org.tanso.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.tanso.registry.RegistryFixture.balance;
import static org.tanso.registry.RegistryFixture.fund;
import static org.tanso.registry.RegistryFixture.holdingAccount;
import static org.tanso.registry.RegistryFixture.participant;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * The database itself keeps the registry's guarantees, whatever code writes to it: these statements
 * go around the service, straight to its tables, and must be refused by the schema's constraints.
 * Every write happens in a transaction that is rolled back, so the registry is left as it was.
 */
@QuarkusTest
class DatabaseConstraintsTest {

  @Inject AgroalDataSource dataSource;

  @AfterEach
  void invariants() throws Exception {
    RegistryInvariants.assertAllHold(dataSource);
  }

  @Test
  void aSerialRangeOverlappingABlockOfTheSameUnitIdIsRefused() throws Exception {
    String alice = participant("VN");
    String held = holdingAccount(alice);
    String elsewhere = holdingAccount(participant("JP"));
    String unitId = unitIdOf(fund(held, 10));
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        // the range just past the issued one is free: the constraint refuses overlaps, not every
        // insert
        insertBlock(c, unitId, 11, 20, elsewhere);
        // serials 5..15 of the same unit id: 5..10 are already held by the first account, 11..15 by
        // the second
        PSQLException refused =
            assertThrows(
                PSQLException.class,
                () -> insertBlock(c, unitId, 5, 15, elsewhere),
                "a block overlapping serials already held was stored");
        assertEquals("23P01", refused.getSQLState(), refused.getMessage());
        assertEquals(
            "credit_block_unit_id_serials_excl",
            refused.getServerErrorMessage().getConstraint(),
            refused.getMessage());
      } finally {
        c.rollback();
      }
    }
    assertEquals(10, balance(held));
    assertEquals(0, balance(elsewhere));
  }

  @Test
  void aSingleSerialInsideAnotherAccountsBlockIsRefused() throws Exception {
    String held = holdingAccount(participant("VN"));
    String thief = holdingAccount(participant("JP"));
    String unitId = unitIdOf(fund(held, 10));
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        PSQLException refused =
            assertThrows(
                PSQLException.class,
                () -> insertBlock(c, unitId, 7, 7, thief),
                "serial 7 was stored a second time");
        assertEquals("23P01", refused.getSQLState(), refused.getMessage());
        assertEquals(
            "credit_block_unit_id_serials_excl",
            refused.getServerErrorMessage().getConstraint(),
            refused.getMessage());
      } finally {
        c.rollback();
      }
    }
  }

  @Test
  void aBalanceBelowZeroIsRefused() throws Exception {
    String account = holdingAccount(participant("VN"));
    fund(account, 10);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        // taking all ten is allowed, the eleventh is not
        assertEquals(1, takeFromBalance(c, account, 10));
        PSQLException refused =
            assertThrows(
                PSQLException.class,
                () -> takeFromBalance(c, account, 1),
                "a balance of -1 was stored");
        assertEquals("23514", refused.getSQLState(), refused.getMessage());
        assertEquals(
            "account_balance_check",
            refused.getServerErrorMessage().getConstraint(),
            refused.getMessage());
      } finally {
        c.rollback();
      }
    }
    assertEquals(10, balance(account));
  }

  private String unitIdOf(String project) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT unit_id FROM unit_issuance WHERE project = ?")) {
      s.setString(1, project);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static void insertBlock(Connection c, String unitId, long start, long end, String account)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO credit_block (unit_id, serial_start, serial_end, vintage, account, state) VALUES (?, ?, ?, 2025, ?, 'ACTIVE')")) {
      s.setString(1, unitId);
      s.setLong(2, start);
      s.setLong(3, end);
      s.setString(4, account);
      s.executeUpdate();
    }
  }

  private static int takeFromBalance(Connection c, String account, long quantity)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("UPDATE account SET balance = balance - ? WHERE number = ?")) {
      s.setLong(1, quantity);
      s.setString(2, account);
      return s.executeUpdate();
    }
  }
}
