package org.tanso.audit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tanso.audit.AuditFixture.awaitConsumed;
import static org.tanso.audit.AuditFixture.publish;

import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tanso.events.Topics;

/**
 * {@code tanso_audit_appended_total} counts entries appended to the log: every new event once, a
 * redelivery not at all.
 */
@QuarkusTest
class AppendedMetricTest {

  static final Pattern APPENDED =
      Pattern.compile("(?m)^tanso_audit_appended_total(?:\\{[^}]*\\})? ([0-9.Ee+-]+)$");

  @Test
  void theCounterRisesByTheEntriesAppendedAndNotForARedelivery() {
    AuditFixture.settle();
    double before = appended();
    long sizeBefore = AuditFixture.size();

    String subject = "MT" + UUID.randomUUID().toString().substring(0, 8);
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      String topic = i % 2 == 0 ? Topics.REGISTRY_EVENTS : Topics.ISSUANCE_EVENTS;
      // distinct keys: the events spread over the partitions
      ids.add(
          publish(
              topic,
              "tanso.registry.AccountOpened.v1",
              subject + "-" + i,
              "{\"number\":\"" + subject + "-" + i + "\"}"));
    }
    awaitConsumed(Topics.REGISTRY_EVENTS, Topics.ISSUANCE_EVENTS);
    assertEquals(7, AuditFixture.size() - sizeBefore, "entries appended");
    assertEquals(before + 7, appended(), "tanso_audit_appended_total after 7 new events");

    // the same events delivered again: nothing appended, nothing counted
    for (int i = 0; i < 3; i++) {
      AuditFixture.publish(
          Topics.REGISTRY_EVENTS,
          ids.get(i),
          "tanso.registry.AccountOpened.v1",
          subject + "-" + i,
          "{\"number\":\"" + subject + "-" + i + "\"}");
    }
    awaitConsumed(Topics.REGISTRY_EVENTS, Topics.ISSUANCE_EVENTS);
    assertEquals(7, AuditFixture.size() - sizeBefore, "entries after the redelivery");
    assertEquals(before + 7, appended(), "tanso_audit_appended_total after the redelivery");
  }

  private static double appended() {
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    Matcher m = APPENDED.matcher(metrics);
    // the counter is registered with the consumer, on the first batch: before that it is 0
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
