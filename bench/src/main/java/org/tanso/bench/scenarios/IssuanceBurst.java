package org.tanso.bench.scenarios;

import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Every waiting issuance request of the fixture approved within {@code bench.burstSeconds}; the
 * approvals come from several registry administrators, none of them the submitter.
 */
public class IssuanceBurst extends Simulation {

  private final List<Map<String, Object>> requests =
      Load.FIXTURE.pendingRequests().stream()
          .<Map<String, Object>>map(id -> Map.of("id", id))
          .toList();

  private final ScenarioBuilder approvals =
      scenario("approvals")
          .feed(listFeeder(requests).queue())
          .exec(
              session -> {
                List<String> admins = Load.FIXTURE.adminTokens();
                return session.set(
                    "auth",
                    "Bearer " + admins.get(ThreadLocalRandom.current().nextInt(admins.size())));
              })
          .exec(
              http("POST /issuance-requests/{id}/approval")
                  .post(Load.FIXTURE.issuanceUrl() + "/issuance-requests/#{id}/approval")
                  .header("Authorization", "#{auth}")
                  .check(status().is(200)));

  {
    setUp(
            approvals.injectOpen(
                rampUsers(requests.size())
                    .during(Duration.ofSeconds((long) Load.number("burstSeconds", 5)))))
        .protocols(Load.protocol());
  }
}
