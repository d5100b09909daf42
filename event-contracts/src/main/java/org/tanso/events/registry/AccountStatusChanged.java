package org.tanso.events.registry;

import java.time.Instant;

/** An account was suspended, reopened or closed. Key: the account number. */
public record AccountStatusChanged(
    String number, String previousStatus, String status, String reason, Instant changedAt) {}
