package org.tanso.events.registry;

import java.time.Instant;

/** An account was opened. Key: the account number. */
public record AccountOpened(
    String number, String holder, String party, String type, String status, Instant openedAt) {}
