package org.tanso.audit.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The public record of a retirement, a derived entry the log appends right after each
 * CreditsRetired entry ({@code tanso.audit.RetirementPublished.v1}, subject the retirement's public
 * id). A CreditsRetired entry names the holder's account, and its leaf hash commits to every field,
 * so it cannot be published nor redacted; the public record says only what a registry publishes
 * about a retirement and is itself a leaf of the tree, so a certificate proves it with nothing of
 * the holder in it. {@code source} (the CreditsRetired entry's sequence number and leaf hash) binds
 * it to the private entry for whoever may read that; {@code units[].issuance} does the same for the
 * CreditsIssued entry its project, vintage and Article 6 data come from.
 *
 * <p>Every field is copied by name from an allow-list, scalars only: whatever a producer adds to
 * its events later (an account, a participant) does not reach the public record.
 */
final class PublicRetirement {

  static final String TYPE = "tanso.audit.RetirementPublished.v1";
  static final String RETIRED = "tanso.registry.CreditsRetired.v1";
  static final String ISSUED = "tanso.registry.CreditsIssued.v1";

  private static final List<String> RETIREMENT_FIELDS =
      List.of(
          "retirementId",
          "transactionId",
          "at",
          "beneficiary",
          "purpose",
          "usingParty",
          "quantity");
  private static final List<String> BLOCK_FIELDS =
      List.of("serial", "unitId", "start", "end", "quantity");
  private static final List<String> ISSUANCE_FIELDS =
      List.of(
          "project",
          "mechanism",
          "hostParty",
          "vintage",
          "authorisationStatus",
          "correspondingAdjustment");
  private static final List<String> ARTICLE6_FIELDS =
      List.of(
          "authorisationId",
          "purpose",
          "cooperativeApproach",
          "originatingPartyRegistry",
          "firstTransferringParty",
          "firstSerial",
          "lastSerial",
          "vintage");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The CreditsIssued entry of a unit identifier. */
  record Issuance(long seq, String leafHash, JsonNode payload) {}

  private PublicRetirement() {}

  /**
   * The public record's event id: name-based on the CreditsRetired event's id, so the same
   * retirement delivered again, or published again later, is recognised as logged.
   */
  static UUID eventId(UUID retiredEventId) {
    return UUID.nameUUIDFromBytes((TYPE + "/" + retiredEventId).getBytes(StandardCharsets.UTF_8));
  }

  /** The retirement's public id, when this is a CreditsRetired entry that has one. */
  static Optional<String> retirementId(String type, JsonNode payload) {
    if (!RETIRED.equals(type) || payload == null || !payload.isObject()) {
      return Optional.empty();
    }
    JsonNode id = payload.get("retirementId");
    return id != null && id.isTextual() && !id.asText().isBlank() && id.asText().length() <= 300
        ? Optional.of(id.asText())
        : Optional.empty();
  }

  /** The unit identifiers the retirement's blocks name, in order. */
  static Set<String> unitIds(JsonNode retired) {
    Set<String> ids = new LinkedHashSet<>();
    for (JsonNode block : retired.path("blocks")) {
      JsonNode unit = block.get("unitId");
      if (unit != null && unit.isTextual()) {
        ids.add(unit.asText());
      }
    }
    return ids;
  }

  /** Whether this is the CreditsIssued entry of {@code unitId}. */
  static boolean issues(String type, JsonNode payload, String unitId) {
    return ISSUED.equals(type)
        && payload != null
        && payload.isObject()
        && unitId.equals(payload.path("unitId").asText(null));
  }

  /**
   * The public record of a retirement: its public fields, its blocks without accounts, per unit
   * identifier what its issuance says (when this log has it), and the private entry it comes from.
   */
  static ObjectNode payload(
      JsonNode retired, long sourceSeq, String sourceLeafHash, Map<String, Issuance> issuances) {
    ObjectNode record = JSON.createObjectNode();
    copy(record, retired, RETIREMENT_FIELDS);
    ArrayNode blocks = record.putArray("blocks");
    for (JsonNode block : retired.path("blocks")) {
      copy(blocks.addObject(), block, BLOCK_FIELDS);
    }
    ArrayNode units = record.putArray("units");
    for (String unitId : unitIds(retired)) {
      ObjectNode unit = units.addObject();
      unit.put("unitId", unitId);
      Issuance issuance = issuances.get(unitId);
      if (issuance == null) {
        // units acquired from another registry: their issuance is in that registry's log
        unit.putNull("issuance");
        continue;
      }
      JsonNode issued = issuance.payload();
      copy(unit, issued, ISSUANCE_FIELDS);
      JsonNode a6 = issued.get("article6");
      if (a6 != null && a6.isObject()) {
        copy(unit.putObject("article6"), a6, ARTICLE6_FIELDS);
      } else {
        unit.putNull("article6");
      }
      unit.putObject("issuance").put("seq", issuance.seq()).put("leafHash", issuance.leafHash());
    }
    record.putObject("source").put("seq", sourceSeq).put("leafHash", sourceLeafHash);
    return record;
  }

  /** Copies the named fields that are present and scalar: never an object or an array. */
  private static void copy(ObjectNode to, JsonNode from, List<String> fields) {
    for (String field : fields) {
      JsonNode value = from.get(field);
      if (value != null && (value.isValueNode())) {
        to.set(field, value);
      }
    }
  }
}
