package org.tanso.bench.scenarios;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.tanso.bench.Fixture;

/**
 * Random transfers of one unit between the fixture's accounts, each by the sender's holder with its
 * own Idempotency-Key. {@code bench.hotShare} sends that share of the transfers to one hot account;
 * {@code bench.readRate} adds regulators reading the audit log (checkpoint, inclusion proof,
 * entries of an account) at that many arrivals per second while the writes go on.
 */
public class TransferStorm extends Simulation {

  private final double hotShare = Load.number("hotShare", 0);

  private final ScenarioBuilder transfers =
      scenario("transfers")
          .exec(
              session -> {
                Fixture.Holder from = Load.anyHolder();
                Fixture.Holder to =
                    ThreadLocalRandom.current().nextDouble() < hotShare
                        ? Load.FIXTURE.hot()
                        : Load.anyHolderBut(from);
                return session
                    .set("auth", "Bearer " + from.token())
                    .set("key", UUID.randomUUID().toString())
                    .set(
                        "body",
                        "{\"from\":\""
                            + from.account()
                            + "\",\"to\":\""
                            + to.account()
                            + "\",\"quantity\":1}");
              })
          .exec(
              http("POST /transfers")
                  .post("/transfers")
                  .header("Authorization", "#{auth}")
                  .header("Idempotency-Key", "#{key}")
                  .body(StringBody("#{body}"))
                  .check(status().is(201)));

  private final ScenarioBuilder reads =
      scenario("regulator reads")
          .exec(
              session ->
                  session
                      .set("auth", "Bearer " + Load.FIXTURE.regulatorToken())
                      .set("subject", Load.anyHolder().account()))
          .exec(
              http("GET /audit/checkpoints/latest")
                  .get(Load.FIXTURE.auditUrl() + "/audit/checkpoints/latest")
                  .header("Authorization", "#{auth}")
                  .check(status().is(200), jsonPath("$.treeSize").ofLong().saveAs("treeSize")))
          .exec(
              session ->
                  session.set(
                      "seq", 1 + ThreadLocalRandom.current().nextLong(session.getLong("treeSize"))))
          .exec(
              http("GET /audit/proofs/inclusion")
                  .get(
                      Load.FIXTURE.auditUrl()
                          + "/audit/proofs/inclusion?seq=#{seq}&treeSize=#{treeSize}")
                  .header("Authorization", "#{auth}")
                  .check(status().is(200)))
          .exec(
              http("GET /audit/entries?subject=")
                  .get(Load.FIXTURE.auditUrl() + "/audit/entries?subject=#{subject}&limit=20")
                  .header("Authorization", "#{auth}")
                  .check(status().is(200)));

  {
    List<PopulationBuilder> populations = new ArrayList<>();
    populations.add(transfers.injectOpen(Load.open(Load.rate())));
    double readRate = Load.number("readRate", 0);
    if (readRate > 0) {
      populations.add(reads.injectOpen(Load.open(readRate)));
    }
    setUp(populations).protocols(Load.protocol());
  }
}
