package org.tanso.events.registry;

import java.time.Instant;

/** A participant (an account holder) was registered. Key: the participant id. */
public record ParticipantRegistered(String id, String name, String party, Instant registeredAt) {}
