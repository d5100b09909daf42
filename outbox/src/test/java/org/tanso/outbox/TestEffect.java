package org.tanso.outbox;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** What the test consumer does with an event: one row per application of it. */
@Entity
@Table(name = "test_effect")
public class TestEffect {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(name = "event_id", nullable = false)
  UUID eventId;

  @Column(nullable = false)
  String payload;

  protected TestEffect() {}

  TestEffect(UUID eventId, String payload) {
    this.eventId = eventId;
    this.payload = payload;
  }
}
