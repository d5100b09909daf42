package org.tanso.registry.unit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tanso.events.registry.Block;
import org.tanso.registry.unit.domain.HeldBlock;
import org.tanso.registry.unit.domain.SerialRange;
import org.tanso.registry.unit.domain.Take;
import org.tanso.registry.unit.domain.UnitIdentifiers;

/**
 * The credit_block table. Callers hold the row lock of every account whose blocks they change;
 * the exclusion constraint keeps serial ranges of a unit identifier from ever overlapping.
 */
@ApplicationScoped
public class BlockStore {

  private final EntityManager em;

  BlockStore(EntityManager em) {
    this.em = em;
  }

  public List<HeldBlock> active(String account) {
    return held(
        em.createNativeQuery(
                "SELECT id, unit_id, vintage, serial_start, serial_end FROM credit_block"
                    + " WHERE account = ?1 AND state = 'ACTIVE' ORDER BY vintage, unit_id, serial_start")
            .setParameter(1, account)
            .getResultList());
  }

  public List<HeldBlock> activeOverlapping(String account, List<SerialRange> ranges) {
    List<HeldBlock> result = new ArrayList<>();
    for (SerialRange range : ranges) {
      result.addAll(
          held(
              em.createNativeQuery(
                      "SELECT id, unit_id, vintage, serial_start, serial_end FROM credit_block"
                          + " WHERE account = ?1 AND state = 'ACTIVE' AND unit_id = ?2 AND serials && int8range(?3, ?4, '[]')")
                  .setParameter(1, account)
                  .setParameter(2, range.unitId())
                  .setParameter(3, range.start())
                  .setParameter(4, range.end())
                  .getResultList()));
    }
    return result.stream().distinct().toList();
  }

  /** Whether {@code account} holds any of the serials in a state other than ACTIVE. */
  public boolean holdsInactive(String account, List<SerialRange> ranges) {
    for (SerialRange range : ranges) {
      Number count =
          (Number)
              em.createNativeQuery(
                      "SELECT count(*) FROM credit_block WHERE account = ?1 AND state <> 'ACTIVE' AND unit_id = ?2 AND serials && int8range(?3, ?4, '[]')")
                  .setParameter(1, account)
                  .setParameter(2, range.unitId())
                  .setParameter(3, range.start())
                  .setParameter(4, range.end())
                  .getSingleResult();
      if (count.longValue() > 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Gives each taken part its new account and state. Per block, the first taken part keeps the
   * block's row (shrunk first, so no range ever overlaps another); further taken parts and the
   * untouched rest of the block become new rows, the rest staying ACTIVE with {@code fromAccount}.
   */
  public List<Block> apply(List<Take> takes, String fromAccount, String toAccount, String newState) {
    Map<Long, List<Take>> byBlock = new LinkedHashMap<>();
    for (Take take : takes) {
      byBlock.computeIfAbsent(take.block().id(), id -> new ArrayList<>()).add(take);
    }
    for (List<Take> parts : byBlock.values()) {
      parts.sort(Comparator.comparingLong(Take::start));
      HeldBlock block = parts.get(0).block();
      Take first = parts.get(0);
      em.createNativeQuery("UPDATE credit_block SET serial_start = ?2, serial_end = ?3, account = ?4, state = ?5 WHERE id = ?1")
          .setParameter(1, block.id())
          .setParameter(2, first.start())
          .setParameter(3, first.end())
          .setParameter(4, toAccount)
          .setParameter(5, newState)
          .executeUpdate();
      long next = block.start();
      for (Take part : parts) {
        if (part != first) {
          insert(block.unitId(), part.start(), part.end(), block.vintage(), toAccount, newState);
        }
        if (part.start() > next) {
          insert(block.unitId(), next, part.start() - 1, block.vintage(), fromAccount, "ACTIVE");
        }
        next = part.end() + 1;
      }
      if (next <= block.end()) {
        insert(block.unitId(), next, block.end(), block.vintage(), fromAccount, "ACTIVE");
      }
    }
    List<Block> moved = new ArrayList<>(takes.size());
    for (Take take : takes) {
      moved.add(block(take.block().unitId(), take.start(), take.end(), toAccount, newState));
    }
    return moved;
  }

  public void insert(String unitId, long start, long end, int vintage, String account, String state) {
    em.createNativeQuery(
            "INSERT INTO credit_block (unit_id, serial_start, serial_end, vintage, account, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .setParameter(1, unitId)
        .setParameter(2, start)
        .setParameter(3, end)
        .setParameter(4, vintage)
        .setParameter(5, account)
        .setParameter(6, state)
        .executeUpdate();
  }

  public static Block block(String unitId, long start, long end, String account, String state) {
    return new Block(UnitIdentifiers.blockSerial(unitId, start, end), unitId, start, end, end - start + 1, account, state);
  }

  private static List<HeldBlock> held(List<?> rows) {
    List<HeldBlock> blocks = new ArrayList<>(rows.size());
    for (Object o : rows) {
      Object[] r = (Object[]) o;
      blocks.add(
          new HeldBlock(
              ((Number) r[0]).longValue(), (String) r[1], ((Number) r[2]).intValue(), ((Number) r[3]).longValue(), ((Number) r[4]).longValue()));
    }
    return blocks;
  }
}
