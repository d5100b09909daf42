package org.tanso.outbox;

import io.quarkus.narayana.jta.QuarkusTransaction;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.tanso.events.CloudEventHeaders;
import org.tanso.events.EventType;
import org.tanso.events.Topics;
import org.tanso.testing.TestKafka;

/**
 * Shared steps of the outbox tests: appending in a transaction of its own, running the relay dry,
 * reading rows and records.
 */
final class OutboxFixture {

  static final EventType TYPE = EventType.registry("TestHappened");
  static final String TOPIC = Topics.REGISTRY_EVENTS;

  private OutboxFixture() {}

  /** Appends one event in a committed transaction of its own. */
  static UUID append(Outbox outbox, String aggregateId, Object payload) {
    return QuarkusTransaction.requiringNew()
        .call(() -> outbox.append("test", aggregateId, TYPE, "tests/" + aggregateId, payload));
  }

  /**
   * Runs the relay until it finds nothing more to publish; returns how many events it published.
   */
  static int drain(OutboxRelay relay) {
    int total = 0;
    for (int published = relay.relayBatch(); published > 0; published = relay.relayBatch()) {
      total += published;
    }
    return total;
  }

  static long count(DataSource dataSource, String sql, Object... params) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static long unpublished(DataSource dataSource, Collection<UUID> eventIds) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT count(*) FROM outbox_event WHERE published_at IS NULL AND event_id = ANY (?)")) {
      s.setArray(1, c.createArrayOf("uuid", eventIds.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * Every record of the topic up to {@code ends} whose ce_id is one of {@code eventIds}, in topic
   * order per partition.
   */
  static List<TestKafka.Received> recordsOf(TestKafka.EndOffsets ends, Collection<UUID> eventIds) {
    List<String> ids = eventIds.stream().map(UUID::toString).toList();
    return TestKafka.readTo(ends).stream()
        .filter(r -> ids.contains(r.headers().get(CloudEventHeaders.ID)))
        .toList();
  }

  static String id(TestKafka.Received record) {
    return record.headers().get(CloudEventHeaders.ID);
  }

  /** A connection of its own to the test database, as another service instance would have. */
  static Connection otherConnection() throws SQLException {
    return DriverManager.getConnection(
        config("quarkus.datasource.jdbc.url"),
        config("quarkus.datasource.username"),
        passwordOrEmpty());
  }

  /**
   * A superuser connection to the server's maintenance database, to take the test database away and
   * give it back.
   */
  static Connection adminConnection() throws SQLException {
    String url = config("quarkus.datasource.jdbc.url");
    int slash = url.indexOf('/', "jdbc:postgresql://".length());
    int query = url.indexOf('?', slash);
    String admin = url.substring(0, slash) + "/postgres" + (query < 0 ? "" : url.substring(query));
    return DriverManager.getConnection(
        admin, config("quarkus.datasource.username"), passwordOrEmpty());
  }

  static String databaseName() {
    String url = config("quarkus.datasource.jdbc.url");
    int slash = url.indexOf('/', "jdbc:postgresql://".length());
    int query = url.indexOf('?', slash);
    return query < 0 ? url.substring(slash + 1) : url.substring(slash + 1, query);
  }

  static Map<String, Object> payload(Object n) {
    return Map.of("n", n);
  }

  private static String config(String name) {
    return ConfigProvider.getConfig().getValue(name, String.class);
  }

  private static String passwordOrEmpty() {
    return ConfigProvider.getConfig()
        .getOptionalValue("quarkus.datasource.password", String.class)
        .orElse("");
  }
}
