package org.tanso.bench.scenarios;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.UUID;
import org.tanso.bench.Fixture;

/**
 * Holders retiring one unit each for a beneficiary (NDC use by JP), as before a compliance
 * deadline.
 */
public class RetirementWave extends Simulation {

  private final ScenarioBuilder retirements =
      scenario("retirements")
          .exec(
              session -> {
                Fixture.Holder holder = Load.anyHolder();
                return session
                    .set("auth", "Bearer " + holder.token())
                    .set("key", UUID.randomUUID().toString())
                    .set(
                        "body",
                        "{\"account\":\""
                            + holder.account()
                            + "\",\"quantity\":1,\"beneficiary\":\"Beneficiary of "
                            + holder.participant()
                            + "\",\"purpose\":\"NDC\",\"usingParty\":\"JP\"}");
              })
          .exec(
              http("POST /retirements")
                  .post("/retirements")
                  .header("Authorization", "#{auth}")
                  .header("Idempotency-Key", "#{key}")
                  .body(StringBody("#{body}"))
                  .check(status().is(201)));

  {
    setUp(retirements.injectOpen(Load.open(Load.rate()))).protocols(Load.protocol());
  }
}
