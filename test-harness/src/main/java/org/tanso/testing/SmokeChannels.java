package org.tanso.testing;

import io.agroal.api.AgroalDataSource;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Test-only channels {@code smoke-out} and {@code smoke-in}, configured by each service's {@code
 * %test} profile on one topic: a message goes out to the real broker, comes back in and is recorded
 * in the service's own database.
 */
@ApplicationScoped
public class SmokeChannels {

  @Inject
  @Channel("smoke-out")
  Emitter<String> out;

  @Inject AgroalDataSource dataSource;

  public void send(UUID id) {
    out.send(id.toString()).toCompletableFuture().join();
  }

  @Incoming("smoke-in")
  @Blocking
  public void receive(String id) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO inbox_event (event_id, consumer, type) VALUES (?, 'smoke', 'smoke') ON CONFLICT DO NOTHING")) {
      insert.setObject(1, UUID.fromString(id));
      insert.executeUpdate();
    }
  }
}
