package org.tanso.registry.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A participant: holds accounts; project developers act for one. */
@Entity
@Table(name = "participant")
public class ParticipantEntity {

  @Id public String id;

  @Column(nullable = false)
  public String name;

  @Column(nullable = false, columnDefinition = "char(2)")
  public String party;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;
}
