package org.tanso.audit.certificate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.tanso.audit.log.AuditLog;
import org.tanso.audit.log.AuditQueries;
import org.tanso.audit.log.CheckpointSigner;
import org.tanso.http.ApiException;

/**
 * Builds a retirement's certificate from the audit log: never without a proof that its entry is in
 * a signed checkpoint, checked here before it is handed out.
 */
@ApplicationScoped
class CertificateService {

  static final String RETIRED = "tanso.registry.CreditsRetired.v1";
  static final String PUBLISHED = AuditLog.RETIREMENT_PUBLISHED;
  static final String FIRST_TRANSFER = "tanso.registry.FirstTransferRecorded.v1";

  /** A retirement's public id as registry-service gives it: {@code RET-{year}-{number}}. */
  private static final Pattern RETIREMENT_ID = Pattern.compile("RET-[0-9]{4}-[0-9]{8,18}");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The retirement is in the log, but no signed checkpoint covers its entry yet. */
  static final class NotReady extends ApiException {
    NotReady(String detail) {
      super(409, "CERTIFICATE_NOT_READY", detail);
    }
  }

  private final AuditQueries queries;
  private final AuditLog log;
  private final CheckpointSigner signer;
  private final String publicUrl;
  private final String registryName;

  CertificateService(
      AuditQueries queries,
      AuditLog log,
      CheckpointSigner signer,
      @ConfigProperty(name = "tanso.audit.public-url") String publicUrl,
      @ConfigProperty(name = "tanso.audit.registry-name") String registryName) {
    this.queries = queries;
    this.log = log;
    this.signer = signer;
    this.publicUrl = publicUrl.replaceAll("/+$", "");
    this.registryName = registryName;
  }

  /**
   * The certificate of retirement {@code retirementId}, proved against the checkpoint of tree size
   * {@code size}, or when none is named the first checkpoint that covers its entry (so the
   * certificate stays the same however the log grows). {@code seq}, when given, must be the
   * retirement's entry: the short verification link names both.
   */
  Certificate certificate(String retirementId, String seqText, String sizeText)
      throws SQLException {
    if (retirementId == null || !RETIREMENT_ID.matcher(retirementId).matches()) {
      throw ApiException.malformed(
          "a retirement id looks like RET-2026-00000017, not '"
              + ApiException.echo(retirementId)
              + "'");
    }
    Long seq = optionalPositive("seq", seqText);
    Long size = optionalPositive("size", sizeText);
    AuditQueries.Entry entry = publicRecord(retirementId);
    if (seq != null && seq != entry.seq()) {
      throw ApiException.notFound(
          "RETIREMENT_NOT_FOUND",
          "entry " + seq + " of the audit log is not retirement " + retirementId);
    }
    AuditLog.Checkpoint checkpoint;
    if (size != null) {
      if (size < entry.seq()) {
        throw ApiException.notFound(
            "CHECKPOINT_NOT_FOUND",
            "a tree of " + size + " entries does not contain entry " + entry.seq());
      }
      checkpoint =
          log.checkpoint(size)
              .orElseThrow(
                  () ->
                      ApiException.notFound(
                          "CHECKPOINT_NOT_FOUND",
                          "no checkpoint of tree size " + size + " was signed"));
    } else {
      checkpoint =
          log.firstCheckpointCovering(entry.seq())
              .orElseThrow(
                  () ->
                      new NotReady(
                          "retirement "
                              + retirementId
                              + " is in the audit log (entry "
                              + entry.seq()
                              + ") but no signed checkpoint covers it yet; its certificate is"
                              + " issued once one does"));
    }
    Certificate.Proof proof = proof(entry, checkpoint);
    JsonNode p = entry.payload();
    List<Certificate.Units> units = units(p.path("blocks"), p.path("units"));
    String verifyUrl =
        publicUrl
            + "/public/certificates/"
            + retirementId
            + "?seq="
            + entry.seq()
            + "&size="
            + checkpoint.treeSize();
    String publicKeyUrl = publicUrl + "/audit/public-key";
    return new Certificate(
        registryName,
        retirementId,
        p.path("at").asText(entry.occurredAt()),
        text(p, "beneficiary"),
        text(p, "purpose"),
        text(p, "usingParty"),
        p.path("quantity").asLong(),
        units,
        proof,
        verifyUrl,
        publicKeyUrl,
        proofJson(retirementId, entry, proof, publicKeyUrl, verifyUrl));
  }

  /**
   * The retirement's public record, the entry the certificate proves. A retirement logged before
   * the log had public records (and missed by the catch-up at start-up) gets its record now: the
   * certificate follows once a checkpoint covers it.
   */
  private AuditQueries.Entry publicRecord(String retirementId) throws SQLException {
    Optional<AuditQueries.Entry> record = entryOf(retirementId, PUBLISHED);
    if (record.isPresent()) {
      return record.get();
    }
    Optional<AuditQueries.Entry> retired = entryOf(retirementId, RETIRED);
    if (retired.isEmpty()) {
      throw ApiException.notFound(
          "RETIREMENT_NOT_FOUND",
          "retirement " + retirementId + " does not exist or has not reached the audit log yet");
    }
    log.publishRetirement(retired.get().seq());
    return entryOf(retirementId, PUBLISHED)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "retirement " + retirementId + " has no public record in the log"));
  }

  private Optional<AuditQueries.Entry> entryOf(String retirementId, String type)
      throws SQLException {
    return queries.entries(retirementId, type, null, null, null, "10").items().stream()
        .filter(e -> retirementId.equals(text(e.payload(), "retirementId")))
        .findFirst();
  }

  /**
   * The inclusion proof of the entry in the checkpoint's tree, checked against the entry itself,
   * the checkpoint's root and its signature: a log that no longer matches its checkpoint gets no
   * certificate.
   */
  private Certificate.Proof proof(AuditQueries.Entry entry, AuditLog.Checkpoint checkpoint)
      throws SQLException {
    AuditQueries.Inclusion inclusion =
        queries.inclusion(String.valueOf(entry.seq()), String.valueOf(checkpoint.treeSize()));
    if (!inclusion.leafHash().equals(AuditQueries.leafHash(entry))
        || !inclusion.rootHash().equals(checkpoint.rootHash())
        || !signer.verify(
            checkpoint.signature(),
            CheckpointSigner.message(
                checkpoint.treeSize(), checkpoint.rootHash(), checkpoint.timestamp()))) {
      throw new IllegalStateException(
          "entry "
              + entry.seq()
              + " does not verify against checkpoint "
              + checkpoint.treeSize()
              + ": the log needs GET /audit/verification");
    }
    return new Certificate.Proof(
        entry.seq(),
        inclusion.leafIndex(),
        inclusion.leafHash(),
        inclusion.auditPath(),
        checkpoint);
  }

  /**
   * The retired blocks grouped by unit identifier, each with what its issuance says as the public
   * record carries it.
   */
  private List<Certificate.Units> units(JsonNode blocks, JsonNode issued) throws SQLException {
    Map<String, List<Certificate.Range>> byUnit = new LinkedHashMap<>();
    for (JsonNode b : blocks) {
      byUnit
          .computeIfAbsent(text(b, "unitId"), u -> new ArrayList<>())
          .add(
              new Certificate.Range(
                  text(b, "serial"),
                  b.path("start").asLong(),
                  b.path("end").asLong(),
                  b.path("quantity").asLong()));
    }
    Map<String, JsonNode> issuance = new LinkedHashMap<>();
    for (JsonNode u : issued) {
      String unitId = text(u, "unitId");
      if (unitId != null && u.path("issuance").isObject()) {
        issuance.putIfAbsent(unitId, u);
      }
    }
    List<Certificate.Units> units = new ArrayList<>();
    for (Map.Entry<String, List<Certificate.Range>> u : byUnit.entrySet()) {
      units.add(units(u.getKey(), u.getValue(), Optional.ofNullable(issuance.get(u.getKey()))));
    }
    return units;
  }

  private Certificate.Units units(
      String unitId, List<Certificate.Range> ranges, Optional<JsonNode> issued)
      throws SQLException {
    long quantity = ranges.stream().mapToLong(Certificate.Range::quantity).sum();
    FirstTransfers first = firstTransfers(unitId, ranges);
    if (issued.isEmpty()) {
      // acquired from another registry: the unit identifier still names project and vintage
      String[] parts = unitId == null ? new String[0] : unitId.split("-");
      boolean named = parts.length == 5;
      return new Certificate.Units(
          unitId,
          ranges,
          quantity,
          named ? parts[2] : null,
          named ? parts[0] : null,
          named ? parts[1] : null,
          named ? parts[3] : null,
          null,
          null,
          first.covered() == 0
              ? "as recorded by the issuing registry"
              : first.status(quantity, "as recorded by the issuing registry"));
    }
    JsonNode p = issued.get();
    JsonNode a6 = p.path("article6");
    Certificate.Article6 article6 =
        a6.isObject()
            ? new Certificate.Article6(
                text(a6, "authorisationId"),
                text(a6, "purpose"),
                text(a6, "cooperativeApproach"),
                text(a6, "originatingPartyRegistry"),
                text(a6, "firstTransferringParty"))
            : null;
    String issuedAdjustment = text(p, "correspondingAdjustment");
    return new Certificate.Units(
        unitId,
        ranges,
        quantity,
        text(p, "project"),
        text(p, "mechanism"),
        text(p, "hostParty"),
        p.path("vintage").isMissingNode() || p.path("vintage").isNull()
            ? null
            : p.path("vintage").asText(),
        text(p, "authorisationStatus"),
        article6,
        first.status(quantity, issuedAdjustment == null ? "not recorded" : issuedAdjustment));
  }

  /** How many of the retired serials a first transfer covers, and who applied the adjustment. */
  private record FirstTransfers(long covered, Set<String> parties) {
    String status(long quantity, String otherwise) {
      if (covered == 0) {
        return otherwise;
      }
      String by = parties.isEmpty() ? "" : " by " + String.join(", ", parties);
      return covered >= quantity
          ? "APPLIED" + by
          : "APPLIED" + by + " for " + covered + " of " + quantity + " units; others " + otherwise;
    }
  }

  private FirstTransfers firstTransfers(String unitId, List<Certificate.Range> retired)
      throws SQLException {
    long covered = 0;
    Set<String> parties = new LinkedHashSet<>();
    if (unitId == null) {
      return new FirstTransfers(0, parties);
    }
    List<long[]> applied = new ArrayList<>();
    String after = null;
    for (int page = 0; page < 100; page++) {
      AuditQueries.Page entries =
          queries.entries(
              unitId, FIRST_TRANSFER, null, null, after, String.valueOf(AuditQueries.MAX_PAGE));
      for (AuditQueries.Entry e : entries.items()) {
        boolean concerns = false;
        for (JsonNode b : e.payload().path("blocks")) {
          if (unitId.equals(text(b, "unitId"))) {
            applied.add(new long[] {b.path("start").asLong(), b.path("end").asLong()});
            concerns = true;
          }
        }
        String party = text(e.payload(), "firstTransferringParty");
        if (concerns && party != null) {
          parties.add(party);
        }
      }
      after = entries.next();
      if (after == null) {
        break;
      }
    }
    // a serial is counted once however many first transfers name it (they never should twice)
    for (Certificate.Range r : retired) {
      for (long serial = r.start(); serial <= r.end(); ) {
        long s = serial;
        long end = -1;
        for (long[] a : applied) {
          if (a[0] <= s && s <= a[1]) {
            end = Math.max(end, Math.min(a[1], r.end()));
          }
        }
        if (end < 0) {
          long next = r.end() + 1;
          for (long[] a : applied) {
            if (a[0] > s && a[0] < next) {
              next = a[0];
            }
          }
          serial = next;
        } else {
          covered += end - s + 1;
          serial = end + 1;
        }
      }
    }
    return new FirstTransfers(covered, parties);
  }

  /**
   * The machine-readable proof: the retirement's public record exactly as {@code GET
   * /audit/entries/{seq}} serves it (its leaf bytes are its RFC 8785 canonical form without
   * prevHash and hash), its inclusion proof and the signed checkpoint. Nothing in it names the
   * holder: the private CreditsRetired entry is only referred to by sequence number and leaf hash.
   */
  private static String proofJson(
      String retirementId,
      AuditQueries.Entry entry,
      Certificate.Proof proof,
      String publicKeyUrl,
      String verifyUrl) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", "tanso-retirement-proof/1");
    root.put("retirementId", retirementId);
    root.set("entry", JSON.valueToTree(entry));
    root.put("leafIndex", proof.leafIndex());
    root.put("treeSize", proof.checkpoint().treeSize());
    root.put("leafHash", proof.leafHash());
    root.set("auditPath", JSON.valueToTree(proof.auditPath()));
    root.set("checkpoint", JSON.valueToTree(proof.checkpoint()));
    root.put("publicKey", publicKeyUrl);
    root.put("verify", verifyUrl);
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static Long optionalPositive(String name, String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      long value = Long.parseLong(text);
      if (value >= 1) {
        return value;
      }
    } catch (NumberFormatException ignored) {
      // refused below
    }
    throw ApiException.malformed(name + " must be a whole number of at least 1");
  }
}
