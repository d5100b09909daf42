package org.tanso.events.registry;

import java.time.Instant;
import java.util.List;

/**
 * Authorised units were first transferred (decision 2/CMA.3 annex): from now on they are ITMOs and
 * the first transferring party has applied the corresponding adjustment for them, for good. The
 * blocks are exactly the serials concerned, as they stand after the triggering action. Key: the
 * unit id of the first block.
 *
 * @param transactionId the FIRST_TRANSFER transaction recorded for this action
 * @param trigger what made it the first transfer: {@code INTERNATIONAL_TRANSFER} (NDC use), {@code
 *     AUTHORISATION}, {@code ISSUANCE} or {@code USE_OR_CANCELLATION} (OIMP, as the authorisation's
 *     first transfer definition says)
 * @param triggeredBy the id of the triggering action: an international transfer, a retirement or
 *     cancellation transaction, or the issuance request
 * @param firstTransferringParty the party that applied the corresponding adjustment
 */
public record FirstTransferRecorded(
    String registry,
    String transactionId,
    String trigger,
    String triggeredBy,
    String firstTransferringParty,
    long quantity,
    List<Block> blocks,
    Instant at) {}
