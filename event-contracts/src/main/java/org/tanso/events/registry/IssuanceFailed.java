package org.tanso.events.registry;

import java.time.Instant;

/**
 * registry-service could not mint an approved request and minted nothing. {@code code} is stable,
 * e.g. {@code ACCOUNT_NOT_FOUND}, {@code ACCOUNT_NOT_OPEN}, {@code INVALID_ALLOCATION}, {@code
 * ALREADY_ISSUED}, {@code ABOVE_AUTHORISED_QUANTITY}. Key: the request id.
 */
public record IssuanceFailed(String requestId, String code, String detail, Instant failedAt) {}
