package org.tanso.audit.log;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything an event concerns, for regulator queries by subject: its CloudEvents subject plus the
 * accounts, project, request and unit identifiers named in its payload, and the international
 * transfer it belongs to ({@code transferId}; a first transfer names it as {@code triggeredBy}), so
 * one query finds every step of an international transfer; and a retirement's public id, by which
 * its certificate finds it.
 */
final class Subjects {

  private static final List<String> FIELDS =
      List.of(
          "from",
          "to",
          "toAccount",
          "account",
          "cancellationAccount",
          "number",
          "holder",
          "project",
          "requestId",
          "unitId",
          "id",
          "transferId",
          "triggeredBy",
          "retirementId");

  private Subjects() {}

  static Set<String> of(String subject, JsonNode payload) {
    Set<String> subjects = new LinkedHashSet<>();
    add(subjects, subject);
    if (payload != null && payload.isObject()) {
      for (String field : FIELDS) {
        JsonNode value = payload.get(field);
        if (value != null && value.isTextual()) {
          add(subjects, value.asText());
        }
      }
      for (String list : List.of("blocks", "allocation")) {
        JsonNode items = payload.get(list);
        if (items != null && items.isArray()) {
          for (JsonNode item : items) {
            JsonNode account = item.get("account");
            if (account != null && account.isTextual()) {
              add(subjects, account.asText());
            }
            JsonNode unit = item.get("unitId");
            if (unit != null && unit.isTextual()) {
              add(subjects, unit.asText());
            }
          }
        }
      }
    }
    return subjects;
  }

  private static void add(Set<String> subjects, String value) {
    if (value != null && !value.isBlank() && value.length() <= 300) {
      subjects.add(value);
    }
  }
}
