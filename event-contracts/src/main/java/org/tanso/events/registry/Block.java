package org.tanso.events.registry;

/**
 * A contiguous serial range of one unit identifier as it stands after the event: where it is held
 * and in which state.
 *
 * @param serial the block serial, {@code {unitId}-{start}-{end}} with six or more digits each
 * @param state {@code ACTIVE}, {@code RETIRED} or {@code CANCELLED}; and for international
 *     transfers {@code RESERVED} (held back in its account for a proposed transfer: not spendable
 *     until the transfer completes or is terminated) or {@code TRANSFERRED_OUT} (left this registry
 *     for good in a completed transfer; the account is the one it left from, the receiving registry
 *     holds the serials now)
 */
public record Block(
    String serial,
    String unitId,
    long start,
    long end,
    long quantity,
    String account,
    String state) {}
