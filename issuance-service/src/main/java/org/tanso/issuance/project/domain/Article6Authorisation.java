package org.tanso.issuance.project.domain;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * What an Article 6 authorisation authorises units for, as the Agreed Electronic Format records it:
 * the purposes (NDC, OIMP, or both) and, for OIMP, the host party's first transfer definition
 * (decision 2/CMA.3, annex para 2(b)). The order of {@code purposes} is the order the registry
 * office gave; the first one is what single-purpose (v1) readers see as {@code purpose}.
 */
public record Article6Authorisation(
    List<Purpose> purposes, FirstTransferDefinition firstTransferDefinition) {

  /**
   * Use towards a nationally determined contribution, or other international mitigation purposes.
   */
  public enum Purpose {
    NDC,
    OIMP
  }

  /** When OIMP-authorised units are first transferred, as the host party defined it. */
  public enum FirstTransferDefinition {
    AUTHORISATION,
    ISSUANCE,
    USE_OR_CANCELLATION
  }

  /**
   * A request's only-{@code purpose: OIMP} form predates first transfer definitions: its units were
   * stamped when issued, so it keeps meaning "first transferred at issuance" (docs/adr/0003).
   */
  static final FirstTransferDefinition LEGACY_OIMP_DEFINITION = FirstTransferDefinition.ISSUANCE;

  /** Refused: the authorisation's purposes and definition do not fit together. */
  public static final class Invalid extends IllegalArgumentException {
    Invalid(String message) {
      super(message);
    }
  }

  public Article6Authorisation {
    purposes = List.copyOf(purposes);
  }

  /**
   * The authorisation a request describes with the single {@code purpose} of v1, the list {@code
   * purposes}, or both (then they must agree), and an optional first transfer definition.
   *
   * @throws Invalid when the combination is not an authorisation
   */
  public static Article6Authorisation of(
      Purpose purpose, List<Purpose> purposes, FirstTransferDefinition definition) {
    List<Purpose> effective;
    if (purposes != null) {
      if (purposes.isEmpty()) {
        throw new Invalid("purposes must name at least one of NDC and OIMP");
      }
      if (purposes.stream().anyMatch(Objects::isNull)) {
        throw new Invalid("purposes must be NDC or OIMP");
      }
      if (EnumSet.copyOf(purposes).size() != purposes.size()) {
        throw new Invalid("purposes lists a purpose twice");
      }
      if (purpose != null && !purposes.contains(purpose)) {
        throw new Invalid("purpose " + purpose + " is not among purposes " + purposes);
      }
      effective = purposes;
    } else if (purpose != null) {
      effective = List.of(purpose);
    } else {
      throw new Invalid("an authorisation needs purposes (or purpose)");
    }
    boolean oimp = effective.contains(Purpose.OIMP);
    if (!oimp && definition != null) {
      throw new Invalid("only OIMP authorisations define a first transfer");
    }
    if (oimp && definition == null) {
      if (purposes != null) {
        throw new Invalid(
            "an OIMP authorisation needs firstTransferDefinition: AUTHORISATION, ISSUANCE or USE_OR_CANCELLATION");
      }
      definition = LEGACY_OIMP_DEFINITION;
    }
    return new Article6Authorisation(effective, definition);
  }

  /** The first purpose, for readers that know only one. */
  public Purpose purpose() {
    return purposes.get(0);
  }
}
