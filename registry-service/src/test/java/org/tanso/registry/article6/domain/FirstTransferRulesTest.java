package org.tanso.registry.article6.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tanso.registry.article6.domain.FirstTransfer.Action;
import org.tanso.registry.article6.domain.FirstTransfer.Trigger;

/**
 * The first-transfer rule (FirstTransfer's javadoc, ARTICLE6.md, decision 2/CMA.3 annex) as a table
 * written out by hand, not derived from the code: every purpose set with every definition it can
 * carry, and mitigation-contribution units, by every action, under every corresponding-adjustment
 * status.
 */
class FirstTransferRulesTest {

  /*
   * authorisation | action | trigger when PENDING | when APPLIED | when NOT_APPLICABLE ("-": none).
   *
   * NDC units are first transferred at their first international transfer only; OIMP units as
   * their definition says (AUTHORISATION and ISSUANCE both when minted, since units are minted after
   * their authorisation; USE_OR_CANCELLATION at retirement or cancellation); units for both purposes
   * by whichever comes first. APPLIED is final: never again. Mitigation contribution: never.
   */
  static final String[] TABLE = {
    "MC                      | ISSUANCE               | -                      | - | -",
    "MC                      | INTERNATIONAL_TRANSFER | -                      | - | -",
    "MC                      | RETIREMENT             | -                      | - | -",
    "MC                      | CANCELLATION           | -                      | - | -",
    "NDC                     | ISSUANCE               | -                      | - | -",
    "NDC                     | INTERNATIONAL_TRANSFER | INTERNATIONAL_TRANSFER | - | -",
    "NDC                     | RETIREMENT             | -                      | - | -",
    "NDC                     | CANCELLATION           | -                      | - | -",
    "OIMP/AUTHORISATION      | ISSUANCE               | AUTHORISATION          | - | -",
    "OIMP/AUTHORISATION      | INTERNATIONAL_TRANSFER | -                      | - | -",
    "OIMP/AUTHORISATION      | RETIREMENT             | -                      | - | -",
    "OIMP/AUTHORISATION      | CANCELLATION           | -                      | - | -",
    "OIMP/ISSUANCE           | ISSUANCE               | ISSUANCE               | - | -",
    "OIMP/ISSUANCE           | INTERNATIONAL_TRANSFER | -                      | - | -",
    "OIMP/ISSUANCE           | RETIREMENT             | -                      | - | -",
    "OIMP/ISSUANCE           | CANCELLATION           | -                      | - | -",
    "OIMP/USE_OR_CANCELLATION | ISSUANCE              | -                      | - | -",
    "OIMP/USE_OR_CANCELLATION | INTERNATIONAL_TRANSFER | -                     | - | -",
    "OIMP/USE_OR_CANCELLATION | RETIREMENT            | USE_OR_CANCELLATION    | - | -",
    "OIMP/USE_OR_CANCELLATION | CANCELLATION          | USE_OR_CANCELLATION    | - | -",
    "NDC,OIMP/AUTHORISATION  | ISSUANCE               | AUTHORISATION          | - | -",
    "NDC,OIMP/AUTHORISATION  | INTERNATIONAL_TRANSFER | INTERNATIONAL_TRANSFER | - | -",
    "NDC,OIMP/AUTHORISATION  | RETIREMENT             | -                      | - | -",
    "NDC,OIMP/AUTHORISATION  | CANCELLATION           | -                      | - | -",
    "NDC,OIMP/ISSUANCE       | ISSUANCE               | ISSUANCE               | - | -",
    "NDC,OIMP/ISSUANCE       | INTERNATIONAL_TRANSFER | INTERNATIONAL_TRANSFER | - | -",
    "NDC,OIMP/ISSUANCE       | RETIREMENT             | -                      | - | -",
    "NDC,OIMP/ISSUANCE       | CANCELLATION           | -                      | - | -",
    "NDC,OIMP/USE_OR_CANCELLATION | ISSUANCE          | -                      | - | -",
    "NDC,OIMP/USE_OR_CANCELLATION | INTERNATIONAL_TRANSFER | INTERNATIONAL_TRANSFER | - | -",
    "NDC,OIMP/USE_OR_CANCELLATION | RETIREMENT        | USE_OR_CANCELLATION    | - | -",
    "NDC,OIMP/USE_OR_CANCELLATION | CANCELLATION      | USE_OR_CANCELLATION    | - | -",
  };

  static final CorrespondingAdjustment[] STATUS_COLUMNS = {
    CorrespondingAdjustment.PENDING,
    CorrespondingAdjustment.APPLIED,
    CorrespondingAdjustment.NOT_APPLICABLE
  };

  record Row(String authorisationKey, Action action, List<Optional<Trigger>> byStatus) {}

  static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (String line : TABLE) {
      String[] cells = Arrays.stream(line.split("\\|")).map(String::trim).toArray(String[]::new);
      List<Optional<Trigger>> byStatus = new ArrayList<>();
      for (int i = 2; i < 5; i++) {
        byStatus.add(
            cells[i].equals("-") ? Optional.empty() : Optional.of(Trigger.valueOf(cells[i])));
      }
      rows.add(new Row(cells[0], Action.valueOf(cells[1]), byStatus));
    }
    return rows;
  }

  /**
   * "MC" is mitigation contribution (null); otherwise purposes, and "/definition" where there is
   * one.
   */
  static Authorisation authorisation(String key) {
    if (key.equals("MC")) {
      return null;
    }
    String[] parts = key.split("/");
    Set<Purpose> purposes = EnumSet.noneOf(Purpose.class);
    for (String p : parts[0].split(",")) {
      purposes.add(Purpose.valueOf(p));
    }
    return new Authorisation(
        purposes, parts.length > 1 ? FirstTransferDefinition.valueOf(parts[1]) : null);
  }

  static Stream<Arguments> cells() {
    List<Arguments> cells = new ArrayList<>();
    for (Row row : rows()) {
      for (int i = 0; i < STATUS_COLUMNS.length; i++) {
        cells.add(
            Arguments.of(
                row.authorisationKey(), row.action(), STATUS_COLUMNS[i], row.byStatus().get(i)));
      }
    }
    return cells.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @MethodSource("cells")
  void firstTransferByActionAuthorisationAndStatus(
      String key, Action action, CorrespondingAdjustment status, Optional<Trigger> expected) {
    assertEquals(
        expected,
        FirstTransfer.by(action, authorisation(key), status),
        key + " " + action + " " + status);
  }

  /**
   * The table has one row per valid authorisation (and mitigation contribution) per action, no
   * more, no less.
   */
  @Test
  void theTableCoversEveryPurposeSetDefinitionAndActionOnce() {
    Set<String> expected = new HashSet<>();
    List<String> keys = new ArrayList<>(List.of("MC", "NDC"));
    for (String purposes : List.of("OIMP", "NDC,OIMP")) {
      for (FirstTransferDefinition d : FirstTransferDefinition.values()) {
        keys.add(purposes + "/" + d);
      }
    }
    for (String key : keys) {
      for (Action a : Action.values()) {
        expected.add(key + " " + a);
      }
    }
    List<String> seen = rows().stream().map(r -> r.authorisationKey() + " " + r.action()).toList();
    assertEquals(expected.size(), seen.size(), "one row per combination");
    assertEquals(expected, new HashSet<>(seen));
    assertEquals(
        3, CorrespondingAdjustment.values().length, "a status column per CorrespondingAdjustment");
  }

  @Test
  void appliedUnitsAreNeverFirstTransferredAgainAndMitigationContributionNever() {
    for (Row row : rows()) {
      Authorisation a = authorisation(row.authorisationKey());
      assertEquals(
          Optional.empty(),
          FirstTransfer.by(row.action(), a, CorrespondingAdjustment.APPLIED),
          row.toString());
    }
    for (Action action : Action.values()) {
      for (CorrespondingAdjustment status : CorrespondingAdjustment.values()) {
        assertEquals(
            Optional.empty(), FirstTransfer.by(action, null, status), action + " " + status);
      }
    }
  }

  /**
   * Authorised units always have some action that first transfers them: none stays PENDING for good
   * by rule.
   */
  @Test
  void everyAuthorisationHasAnActionThatFirstTransfersIt() {
    for (Row row : rows()) {
      Authorisation a = authorisation(row.authorisationKey());
      if (a != null) {
        assertTrue(
            Arrays.stream(Action.values())
                .anyMatch(
                    action ->
                        FirstTransfer.by(action, a, CorrespondingAdjustment.PENDING).isPresent()),
            row.authorisationKey());
      }
    }
  }

  @Test
  void initialStatusIsPendingWhenAuthorisedElseNotApplicable() {
    assertEquals(CorrespondingAdjustment.NOT_APPLICABLE, CorrespondingAdjustment.initial(null));
    for (Row row : rows()) {
      if (!row.authorisationKey().equals("MC")) {
        assertEquals(
            CorrespondingAdjustment.PENDING,
            CorrespondingAdjustment.initial(authorisation(row.authorisationKey())),
            row.authorisationKey());
      }
    }
  }

  @Test
  void oimpWithoutDefinitionIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new Authorisation(Set.of(Purpose.OIMP), null));
    assertEquals("an OIMP authorisation defines its first transfer", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new Authorisation(Set.of(Purpose.NDC, Purpose.OIMP), null));
  }

  @Test
  void definitionWithoutOimpIsRefused() {
    for (FirstTransferDefinition d : FirstTransferDefinition.values()) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> new Authorisation(Set.of(Purpose.NDC), d));
      assertEquals("only OIMP authorisations define a first transfer", e.getMessage());
    }
  }

  @Test
  void emptyOrMissingPurposesAreRefused() {
    for (FirstTransferDefinition d :
        new FirstTransferDefinition[] {null, FirstTransferDefinition.ISSUANCE}) {
      assertThrows(IllegalArgumentException.class, () -> new Authorisation(Set.of(), d));
      assertThrows(IllegalArgumentException.class, () -> new Authorisation(null, d));
    }
    assertThrows(IllegalArgumentException.class, () -> Authorisation.of(null, null, null));
    assertThrows(IllegalArgumentException.class, () -> Authorisation.of(List.of(), null, null));
  }

  @Test
  void purposesAreCopiedSoTheCallerCannotChangeThemLater() {
    Set<Purpose> given = EnumSet.of(Purpose.NDC);
    Authorisation a = new Authorisation(given, null);
    given.add(Purpose.OIMP);
    assertFalse(a.allows(Purpose.OIMP));
    assertThrows(UnsupportedOperationException.class, () -> a.purposes().add(Purpose.OIMP));
  }

  @Test
  void legacySingleOimpPurposeWithoutDefinitionWasFirstTransferredAtIssuance() {
    Authorisation legacy = Authorisation.of(null, "OIMP", null);
    assertEquals(Set.of(Purpose.OIMP), legacy.purposes());
    assertEquals(FirstTransferDefinition.ISSUANCE, legacy.firstTransferDefinition());
    assertEquals(legacy, Authorisation.of(List.of(), "OIMP", null));
    // a legacy value that names its definition keeps it
    assertEquals(
        FirstTransferDefinition.USE_OR_CANCELLATION,
        Authorisation.of(null, "OIMP", "USE_OR_CANCELLATION").firstTransferDefinition());
    // a legacy NDC unit has no definition
    assertEquals(new Authorisation(Set.of(Purpose.NDC), null), Authorisation.of(null, "NDC", null));
    // a legacy comma list is read with its spaces trimmed, and an OIMP in it gets the default too
    assertEquals(
        new Authorisation(Set.of(Purpose.NDC, Purpose.OIMP), FirstTransferDefinition.ISSUANCE),
        Authorisation.of(null, "NDC, OIMP", null));
  }

  @Test
  void currentPurposesGetNoLegacyDefaultAndOverrideTheLegacyPurpose() {
    assertThrows(
        IllegalArgumentException.class, () -> Authorisation.of(List.of("OIMP"), null, null));
    assertThrows(
        IllegalArgumentException.class, () -> Authorisation.of(List.of("OIMP"), "OIMP", null));
    assertEquals(
        new Authorisation(Set.of(Purpose.NDC), null),
        Authorisation.of(List.of("NDC"), "OIMP", null));
    assertEquals(
        new Authorisation(Set.of(Purpose.NDC, Purpose.OIMP), FirstTransferDefinition.AUTHORISATION),
        Authorisation.of(List.of("OIMP", "NDC"), null, "AUTHORISATION"));
    assertThrows(
        IllegalArgumentException.class, () -> Authorisation.of(List.of("CORSIA"), null, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> Authorisation.of(List.of("OIMP"), null, "AT_ISSUANCE"));
  }

  @Test
  void purposesTextListsThePurposesInTheirDeclaredOrder() {
    assertEquals("NDC", new Authorisation(Set.of(Purpose.NDC), null).purposesText());
    assertEquals(
        "OIMP",
        new Authorisation(Set.of(Purpose.OIMP), FirstTransferDefinition.ISSUANCE).purposesText());
    assertEquals(
        "NDC,OIMP",
        new Authorisation(Set.of(Purpose.OIMP, Purpose.NDC), FirstTransferDefinition.ISSUANCE)
            .purposesText());
    assertEquals(
        "NDC,OIMP", Authorisation.of(List.of("OIMP", "NDC"), null, "ISSUANCE").purposesText());
    assertEquals(List.of("NDC", "OIMP"), Authorisation.of(null, "OIMP,NDC", null).purposeNames());
    // what purposesText writes, of reads back
    for (Row row : rows()) {
      Authorisation a = authorisation(row.authorisationKey());
      if (a != null) {
        String d = a.firstTransferDefinition() == null ? null : a.firstTransferDefinition().name();
        assertEquals(a, Authorisation.of(List.of(a.purposesText().split(",")), null, d));
        assertEquals(a, Authorisation.of(null, a.purposesText(), d));
      }
    }
  }
}
