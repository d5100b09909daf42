package org.tanso.audit.reconciliation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.tanso.events.registry.Block;
import org.tanso.events.registry.CreditsIssued;
import org.tanso.events.registry.CreditsRetired;
import org.tanso.events.registry.CreditsTransferred;
import org.tanso.events.registry.FirstTransferRecorded;
import org.tanso.events.registry.InternationalTransferAnswered;
import org.tanso.events.registry.InternationalTransferCompleted;
import org.tanso.events.registry.InternationalTransferProposed;
import org.tanso.events.registry.InternationalTransferTerminated;
import org.tanso.events.registry.UnitsAcquired;

/**
 * Registry events as registry-service writes them, built from the contract records: each with its
 * CloudEvents type, the key it is published under and its event time.
 */
final class RegistryEvents {

  static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** One event: {@code type} is the CloudEvents type, {@code key} the Kafka key (and subject). */
  record Event(String type, String key, Instant at, Object payload) {

    String json() {
      try {
        return JSON.writeValueAsString(payload);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    JsonNode tree() {
      return JSON.valueToTree(payload);
    }
  }

  static final String HERE = "VN-JCM";
  static final String THERE = "JP-JCM";

  private RegistryEvents() {}

  static Block block(String unitId, long start, long end, String account, String state) {
    return new Block(
        String.format("%s-%06d-%06d", unitId, start, end),
        unitId,
        start,
        end,
        end - start + 1,
        account,
        state);
  }

  private static long quantity(List<Block> blocks) {
    return blocks.stream().mapToLong(Block::quantity).sum();
  }

  static Event issued(Instant at, String unitId, Block... blocks) {
    List<Block> list = List.of(blocks);
    String[] parts = unitId.split("-");
    return new Event(
        "tanso.registry.CreditsIssued.v1",
        unitId,
        at,
        new CreditsIssued(
            "REQ-" + unitId,
            unitId,
            parts[2],
            parts[0],
            parts[1],
            Integer.parseInt(parts[3]),
            LocalDate.of(2025, 1, 1),
            LocalDate.of(2025, 12, 31),
            quantity(list),
            "AUTHORISED",
            "PENDING",
            null,
            list,
            at));
  }

  static Event transferred(Instant at, String from, String to, Block... blocks) {
    List<Block> list = List.of(blocks);
    return new Event(
        "tanso.registry.CreditsTransferred.v1",
        from,
        at,
        new CreditsTransferred("TX-" + at.toEpochMilli(), from, to, quantity(list), list, at));
  }

  static Event retired(Instant at, String account, Block... blocks) {
    List<Block> list = List.of(blocks);
    return new Event(
        "tanso.registry.CreditsRetired.v1",
        account,
        at,
        new CreditsRetired(
            "TX-" + at.toEpochMilli(),
            "RET-" + at.toEpochMilli(),
            account,
            quantity(list),
            "Tanso Airways",
            "OIMP",
            "JP",
            list,
            at));
  }

  static Event proposed(
      Instant at, String transferId, String from, String toAccount, Block... blocks) {
    List<Block> list = List.of(blocks);
    return new Event(
        "tanso.registry.InternationalTransferProposed.v1",
        from,
        at,
        new InternationalTransferProposed(
            transferId, HERE, THERE, from, toAccount, quantity(list), list, at));
  }

  static Event completed(
      Instant at, String transferId, String from, String toAccount, Block... blocks) {
    List<Block> list = List.of(blocks);
    return new Event(
        "tanso.registry.InternationalTransferCompleted.v1",
        from,
        at,
        new InternationalTransferCompleted(
            transferId, HERE, THERE, from, toAccount, quantity(list), list, at));
  }

  static Event terminated(
      Instant at, String transferId, String from, String toAccount, Block... blocks) {
    List<Block> list = List.of(blocks);
    return new Event(
        "tanso.registry.InternationalTransferTerminated.v1",
        from,
        at,
        new InternationalTransferTerminated(
            transferId,
            HERE,
            THERE,
            from,
            toAccount,
            quantity(list),
            "REJECTED",
            "the receiving account is closed",
            list,
            at));
  }

  static Event answered(Instant at, String transferId, String toAccount, long quantity) {
    return new Event(
        "tanso.registry.InternationalTransferAnswered.v1",
        toAccount,
        at,
        new InternationalTransferAnswered(
            transferId, THERE, HERE, toAccount, quantity, "ACCEPTED", "OK", null, at));
  }

  static Event acquired(
      Instant at, String transferId, String from, String toAccount, Block... blocks) {
    List<Block> list = List.of(blocks);
    return new Event(
        "tanso.registry.UnitsAcquired.v1",
        toAccount,
        at,
        new UnitsAcquired(transferId, THERE, HERE, from, toAccount, quantity(list), list, at));
  }

  /** Same time and blocks as the triggering action, keyed by the first block's unit id. */
  static Event firstTransfer(Instant at, String triggeredBy, Block... blocks) {
    List<Block> list = List.of(blocks);
    return new Event(
        "tanso.registry.FirstTransferRecorded.v1",
        list.get(0).unitId(),
        at,
        new FirstTransferRecorded(
            HERE,
            "FT-" + triggeredBy,
            "INTERNATIONAL_TRANSFER",
            triggeredBy,
            "VN",
            quantity(list),
            list,
            at));
  }
}
