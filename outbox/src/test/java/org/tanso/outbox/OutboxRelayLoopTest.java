package org.tanso.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tanso.outbox.OutboxFixture.TOPIC;
import static org.tanso.outbox.OutboxFixture.append;
import static org.tanso.outbox.OutboxFixture.payload;
import static org.tanso.outbox.OutboxFixture.recordsOf;
import static org.tanso.outbox.OutboxFixture.unpublished;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.tanso.testing.TestKafka;

/** With the relay's loop on, as in the services, committed events go out by themselves. */
@QuarkusTest
@TestProfile(OutboxRelayLoopTest.LoopOn.class)
class OutboxRelayLoopTest {

  public static class LoopOn implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("tanso.outbox.enabled", "true");
    }
  }

  @Inject Outbox outbox;
  @Inject DataSource dataSource;

  @Test
  void committedEventsArePublishedWithoutAnyoneAsking() throws Exception {
    TestKafka.EndOffsets before = TestKafka.endOffsets(TOPIC);
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(append(outbox, "acct-loop-" + UUID.randomUUID(), payload(i)));
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> unpublished(dataSource, ids) == 0);
    TestKafka.EndOffsets after = TestKafka.endOffsets(TOPIC);
    assertEquals(3, recordsOf(after, ids).size());
    assertEquals(3, after.total() - before.total());
  }
}
