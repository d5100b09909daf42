package org.tanso.events.registry;

import java.time.Instant;
import java.util.List;

/**
 * Units were retired for a beneficiary; they never move again. {@code retirementId} is the public
 * id of the retirement record. Key: the account.
 *
 * @param purpose {@code NDC} or {@code OIMP}
 */
public record CreditsRetired(
    String transactionId,
    String retirementId,
    String account,
    long quantity,
    String beneficiary,
    String purpose,
    String usingParty,
    List<Block> blocks,
    Instant at) {}
