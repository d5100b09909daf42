package org.tanso.issuance.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tanso.issuance.IssuanceFixture.authorisation;
import static org.tanso.issuance.IssuanceFixture.developer;
import static org.tanso.issuance.IssuanceFixture.registerProject;
import static org.tanso.issuance.IssuanceFixture.submission;
import static org.tanso.issuance.IssuanceFixture.submit;
import static org.tanso.issuance.IssuanceFixture.unique;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tanso.testing.Rows;

/**
 * Concurrent submissions to one project: never more accepted than the project's authorised quantity
 * allows, and never two live requests with overlapping monitoring periods, however the submissions
 * interleave. Each refusal is a clear 409 with its code.
 */
@QuarkusTest
class SubmissionRacesTest {

  private static final int ROUNDS = 3;
  private static final int SUBMISSIONS = 20;

  @Inject AgroalDataSource dataSource;

  private record Attempt(long quantity, int status, String code) {}

  @Test
  void concurrentSubmissionsNeverExceedTheAuthorisedQuantity() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      String dev = unique("P");
      String project = registerProject(dev, authorisation(100));
      List<Map<String, Object>> bodies = new ArrayList<>();
      long asked = 0;
      for (int i = 0; i < SUBMISSIONS; i++) {
        // a week each, none overlapping: only the authorised quantity stands between them
        LocalDate start = LocalDate.of(2025, 1, 1).plusWeeks(i);
        long quantity = 7 + (i % 6);
        asked += quantity;
        bodies.add(
            submission(project, start.toString(), start.plusDays(6).toString(), 2025, quantity));
      }
      assertTrue(asked > 100);
      List<Attempt> attempts = race(developer(dev), bodies);
      String where = "round " + round + ": " + attempts;

      long accepted = 0;
      int acceptedCount = 0;
      long smallestRefused = Long.MAX_VALUE;
      for (Attempt a : attempts) {
        if (a.status() == 201) {
          accepted += a.quantity();
          acceptedCount++;
        } else {
          assertEquals("409 ABOVE_AUTHORISED_QUANTITY", a.status() + " " + a.code(), where);
          smallestRefused = Math.min(smallestRefused, a.quantity());
        }
      }
      assertTrue(accepted <= 100, "accepted " + accepted + " of 100 authorised: " + where);
      // a refusal was real: what remained authorised at the end was less than every refused
      // quantity
      assertTrue(
          100 - accepted < smallestRefused,
          "remaining " + (100 - accepted) + ", smallest refused " + smallestRefused + ": " + where);
      assertEquals(
          accepted,
          Rows.number(
              dataSource,
              "SELECT coalesce(sum(quantity), 0) FROM issuance_request WHERE project_id = ?",
              project),
          where);
      assertEquals(
          acceptedCount,
          Rows.number(
              dataSource, "SELECT count(*) FROM issuance_request WHERE project_id = ?", project),
          where);
      assertEquals(acceptedCount, requestedEvents(project), where);
    }
  }

  @Test
  void concurrentSubmissionsWithOverlappingPeriodsAcceptOnlyOne() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      String dev = unique("P");
      String project = registerProject(dev, null);
      List<Map<String, Object>> bodies = new ArrayList<>();
      for (int i = 0; i < SUBMISSIONS; i++) {
        // every period contains 15 June 2025, so any two overlap
        LocalDate start = LocalDate.of(2025, 1, 1).plusDays(7L * i);
        bodies.add(submission(project, start.toString(), "2025-12-31", 2025, 10));
      }
      List<Attempt> attempts = race(developer(dev), bodies);
      String where = "round " + round + ": " + attempts;
      int acceptedCount = 0;
      for (Attempt a : attempts) {
        if (a.status() == 201) {
          acceptedCount++;
        } else {
          assertEquals("409 PERIOD_OVERLAP", a.status() + " " + a.code(), where);
        }
      }
      assertEquals(1, acceptedCount, where);
      assertEquals(
          1,
          Rows.number(
              dataSource, "SELECT count(*) FROM issuance_request WHERE project_id = ?", project),
          where);
      assertEquals(1, requestedEvents(project), where);
    }
  }

  private static List<Attempt> race(String token, List<Map<String, Object>> bodies)
      throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(bodies.size());
    List<Future<Attempt>> futures = new ArrayList<>();
    for (Map<String, Object> body : bodies) {
      futures.add(
          pool.submit(
              () -> {
                start.await();
                Response r = submit(token, body);
                return new Attempt(
                    ((Number) body.get("quantity")).longValue(),
                    r.statusCode(),
                    r.statusCode() == 201 ? null : r.path("code"));
              }));
    }
    start.countDown();
    List<Attempt> attempts = new ArrayList<>();
    for (Future<Attempt> f : futures) {
      attempts.add(f.get(120, TimeUnit.SECONDS));
    }
    pool.shutdown();
    return attempts;
  }

  private long requestedEvents(String project) throws SQLException {
    // by the event's own payload: an event of a request that was refused (and so has no row) counts
    // too
    return Rows.number(
        dataSource,
        "SELECT count(*) FROM outbox_event WHERE type = 'tanso.issuance.IssuanceRequested.v1' AND payload->>'project' = ?",
        project);
  }
}
