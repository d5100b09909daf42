package org.tanso.registry.article6.domain;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The host party's Article 6 authorisation of a unit: its purposes and, where OIMP is authorised,
 * the first transfer definition. Null stands for mitigation-contribution units.
 */
public record Authorisation(
    Set<Purpose> purposes, FirstTransferDefinition firstTransferDefinition) {

  public Authorisation {
    if (purposes == null || purposes.isEmpty()) {
      throw new IllegalArgumentException("an authorisation names at least one purpose");
    }
    purposes = Set.copyOf(purposes);
    if (purposes.contains(Purpose.OIMP) && firstTransferDefinition == null) {
      throw new IllegalArgumentException("an OIMP authorisation defines its first transfer");
    }
    if (!purposes.contains(Purpose.OIMP) && firstTransferDefinition != null) {
      throw new IllegalArgumentException("only OIMP authorisations define a first transfer");
    }
  }

  public boolean allows(Purpose purpose) {
    return purposes.contains(purpose);
  }

  /** The purposes as stored and reported: {@code NDC}, {@code OIMP} or {@code NDC,OIMP}. */
  public String purposesText() {
    return String.join(",", purposeNames());
  }

  public List<String> purposeNames() {
    List<String> names = new ArrayList<>();
    for (Purpose p : Purpose.values()) {
      if (purposes.contains(p)) {
        names.add(p.name());
      }
    }
    return names;
  }

  /**
   * Reads stored or received values. Units minted from events of before purposes existed carry one
   * {@code purpose}; an OIMP one without a definition was first transferred at issuance then.
   */
  public static Authorisation of(List<String> purposes, String legacyPurpose, String definition) {
    Set<Purpose> set = EnumSet.noneOf(Purpose.class);
    if (purposes != null && !purposes.isEmpty()) {
      purposes.forEach(p -> set.add(Purpose.valueOf(p)));
    } else if (legacyPurpose != null) {
      for (String p : legacyPurpose.split(",")) {
        set.add(Purpose.valueOf(p.trim()));
      }
    }
    FirstTransferDefinition d =
        definition == null ? null : FirstTransferDefinition.valueOf(definition);
    if (d == null && set.contains(Purpose.OIMP) && (purposes == null || purposes.isEmpty())) {
      d = FirstTransferDefinition.ISSUANCE;
    }
    return new Authorisation(set, d);
  }
}
