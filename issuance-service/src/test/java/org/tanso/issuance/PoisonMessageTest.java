package org.tanso.issuance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.tanso.issuance.IssuanceFixture.admin;
import static org.tanso.issuance.IssuanceFixture.approve;
import static org.tanso.issuance.IssuanceFixture.registerProject;
import static org.tanso.issuance.IssuanceFixture.status;
import static org.tanso.issuance.IssuanceFixture.submitted;
import static org.tanso.issuance.IssuanceFixture.unique;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tanso.events.Topics;
import org.tanso.events.registry.IssuanceFailed;
import org.tanso.testing.TestKafka;

/**
 * A record issuance-service cannot read goes to its dead-letter topic, and the partition keeps
 * flowing.
 */
@QuarkusTest
class PoisonMessageTest {

  @Test
  void poisonGoesToTheDeadLetterTopicAndLaterEventsStillApply() throws Exception {
    String dev = unique("P");
    String project = registerProject(dev, null);
    String id = submitted(dev, project, "2025-01-01", "2025-12-31", 2025, 10);
    approve(admin(), id).then().statusCode(200);
    // same key as the real answer, so the same partition, ahead of it
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("ce_id", UUID.randomUUID().toString());
    headers.put("ce_type", "tanso.registry.IssuanceFailed.v1");
    TestKafka.send(Topics.REGISTRY_EVENTS, id, "{\"requestId\": [not json", headers);
    IssuanceFixture.publishRegistryEvent(
        UUID.randomUUID(),
        "IssuanceFailed",
        id,
        new IssuanceFailed(id, "ACCOUNT_NOT_FOUND", "no account", Instant.now()));
    await().atMost(Duration.ofSeconds(30)).until(() -> "FAILED".equals(status(id)));
    List<TestKafka.Received> dead =
        TestKafka.readUntil(
            Topics.deadLetter(Topics.REGISTRY_EVENTS, "issuance-service"),
            got -> got.stream().anyMatch(r -> id.equals(r.key())),
            Duration.ofSeconds(30));
    TestKafka.Received poison =
        dead.stream().filter(r -> id.equals(r.key())).findFirst().orElseThrow();
    assertEquals("{\"requestId\": [not json", poison.value());
    assertNotNull(poison.headers().get("dead-letter-reason"));
  }
}
