package org.tanso.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * A row held locked by another transaction, the way a slow neighbour holds it: a request that needs
 * the row waits, and past the lock timeout must be told to try again, changing nothing.
 */
public final class RowLock {

  private RowLock() {}

  /** What a request sent while the row was locked got, and how long it took to get it. */
  public record Refused(Response response, long millis) {}

  /**
   * Locks the row that {@code selectForUpdate} (a {@code SELECT ... WHERE id = ? FOR UPDATE}) finds
   * for {@code id}, sends {@code request} while it is held, asserts the database is unchanged by it
   * and releases the lock.
   */
  public static Refused whileHeld(
      DataSource dataSource, String selectForUpdate, String id, Supplier<Response> request)
      throws Exception {
    try (Connection holder = dataSource.getConnection()) {
      holder.setAutoCommit(false);
      try {
        try (PreparedStatement s = holder.prepareStatement(selectForUpdate)) {
          s.setString(1, id);
          try (ResultSet rs = s.executeQuery()) {
            assertTrue(rs.next(), "the row " + id + " is locked");
          }
        }
        Map<String, String> before = DatabaseSnapshot.of(dataSource);
        long began = System.nanoTime();
        Response response = request.get();
        long millis = (System.nanoTime() - began) / 1_000_000;
        assertEquals(
            before,
            DatabaseSnapshot.of(dataSource),
            "nothing changed while the request waited for the lock");
        return new Refused(response, millis);
      } finally {
        holder.rollback();
      }
    }
  }

  /**
   * The answer to a request that waited for a lock past the lock timeout: 503 TRY_AGAIN, a problem
   * body, {@code Retry-After} of at least a second, and no longer a wait than {@code maxMillis}.
   */
  public static void assertTryAgain(Refused refused, long maxMillis) {
    Response r = refused.response();
    assertEquals(503, r.statusCode(), r.asString());
    assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
    assertEquals("TRY_AGAIN", r.path("code"), r.asString());
    String retryAfter = r.header("Retry-After");
    assertNotNull(retryAfter, "Retry-After header");
    assertTrue(Integer.parseInt(retryAfter) >= 1, "Retry-After " + retryAfter);
    assertTrue(
        refused.millis() < maxMillis,
        "refused after "
            + refused.millis()
            + " ms: the configured lock timeout, not a longer wait, ended it");
  }
}
