package org.tanso.audit.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * The bytes an entry contributes to the hash chain and the Merkle tree: the RFC 8785 canonical JSON
 * of {seq, eventId, type, subject, occurredAt, recordedAt, payload}. The payload is the record
 * value as received, as JSON when it is JSON, else as a JSON string.
 */
final class LeafCodec {

  private static final ObjectMapper PLAIN = new ObjectMapper();

  private LeafCodec() {}

  static JsonNode payloadNode(String payload, boolean json) {
    if (!json) {
      return TextNode.valueOf(payload);
    }
    JsonNode node = parse(payload);
    return node == null ? TextNode.valueOf(payload) : node;
  }

  /** The payload as JSON, or null when it is not JSON. */
  static JsonNode parse(String payload) {
    try {
      JsonNode node = payload == null ? null : PLAIN.readTree(payload);
      // an empty record value reads as a "missing" node: it is text, not JSON
      return node == null || node.isMissingNode() ? null : node;
    } catch (IOException e) {
      return null;
    }
  }

  static ObjectNode entry(
      long seq,
      String eventId,
      String type,
      String subject,
      String occurredAt,
      String recordedAt,
      JsonNode payload) {
    ObjectNode node = PLAIN.createObjectNode();
    node.put("seq", seq);
    node.put("eventId", eventId);
    node.put("type", type);
    node.put("subject", subject);
    node.put("occurredAt", occurredAt);
    node.put("recordedAt", recordedAt);
    node.set("payload", payload);
    return node;
  }

  static byte[] canonical(ObjectNode entry) {
    try {
      return new JsonCanonicalizer(PLAIN.writeValueAsString(entry)).getEncodedUTF8();
    } catch (IOException e) {
      throw new UncheckedIOException("entry cannot be canonicalised", e);
    }
  }
}
