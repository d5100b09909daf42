package org.tanso.events.registry;

/**
 * A contiguous serial range of one unit identifier as it stands after the event: where it is held
 * and in which state.
 *
 * @param serial the block serial, {@code {unitId}-{start}-{end}} with six or more digits each
 * @param state {@code ACTIVE}, {@code RETIRED} or {@code CANCELLED}
 */
public record Block(String serial, String unitId, long start, long end, long quantity, String account, String state) {}
