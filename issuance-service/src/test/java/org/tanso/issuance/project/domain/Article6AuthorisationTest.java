package org.tanso.issuance.project.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.tanso.issuance.project.domain.Article6Authorisation.FirstTransferDefinition.AUTHORISATION;
import static org.tanso.issuance.project.domain.Article6Authorisation.FirstTransferDefinition.ISSUANCE;
import static org.tanso.issuance.project.domain.Article6Authorisation.FirstTransferDefinition.USE_OR_CANCELLATION;
import static org.tanso.issuance.project.domain.Article6Authorisation.Purpose.NDC;
import static org.tanso.issuance.project.domain.Article6Authorisation.Purpose.OIMP;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tanso.issuance.project.domain.Article6Authorisation.FirstTransferDefinition;
import org.tanso.issuance.project.domain.Article6Authorisation.Invalid;
import org.tanso.issuance.project.domain.Article6Authorisation.Purpose;

class Article6AuthorisationTest {

  @Test
  void theLegacySinglePurposeMeansWhatItMeantBefore() {
    Article6Authorisation ndc = Article6Authorisation.of(NDC, null, null);
    assertEquals(List.of(NDC), ndc.purposes());
    assertEquals(NDC, ndc.purpose());
    assertNull(ndc.firstTransferDefinition());
    // OIMP units were stamped at issuance before definitions existed
    Article6Authorisation oimp = Article6Authorisation.of(OIMP, null, null);
    assertEquals(List.of(OIMP), oimp.purposes());
    assertEquals(ISSUANCE, oimp.firstTransferDefinition());
  }

  @Test
  void theLegacyPurposeMayNameItsDefinition() {
    for (FirstTransferDefinition d : FirstTransferDefinition.values()) {
      Article6Authorisation a = Article6Authorisation.of(OIMP, null, d);
      assertEquals(List.of(OIMP), a.purposes());
      assertEquals(d, a.firstTransferDefinition());
    }
    assertInvalid(NDC, null, AUTHORISATION, "only OIMP authorisations define a first transfer");
  }

  @Test
  void purposesAloneNdcNeedsNoDefinitionAndRefusesOne() {
    Article6Authorisation a = Article6Authorisation.of(null, List.of(NDC), null);
    assertEquals(List.of(NDC), a.purposes());
    assertNull(a.firstTransferDefinition());
    for (FirstTransferDefinition d : FirstTransferDefinition.values()) {
      assertInvalid(null, List.of(NDC), d, "only OIMP authorisations define a first transfer");
    }
  }

  @Test
  void purposesWithOimpNeedADefinition() {
    for (List<Purpose> purposes : List.of(List.of(OIMP), List.of(NDC, OIMP), List.of(OIMP, NDC))) {
      for (FirstTransferDefinition d : FirstTransferDefinition.values()) {
        Article6Authorisation a = Article6Authorisation.of(null, purposes, d);
        assertEquals(purposes, a.purposes());
        assertEquals(purposes.get(0), a.purpose(), "the first purpose is the v1 purpose");
        assertEquals(d, a.firstTransferDefinition());
      }
      // no legacy default once purposes are given
      assertInvalid(null, purposes, null, "needs firstTransferDefinition");
      assertInvalid(OIMP, purposes, null, "needs firstTransferDefinition");
    }
  }

  @Test
  void purposeAndPurposesMustAgree() {
    assertEquals(
        List.of(NDC, OIMP),
        Article6Authorisation.of(NDC, List.of(NDC, OIMP), USE_OR_CANCELLATION).purposes());
    // purposes decide the order: the v1 purpose is the first of them, whichever one the request
    // repeated
    Article6Authorisation a =
        Article6Authorisation.of(OIMP, List.of(NDC, OIMP), USE_OR_CANCELLATION);
    assertEquals(List.of(NDC, OIMP), a.purposes());
    assertEquals(NDC, a.purpose());
    assertEquals(List.of(NDC), Article6Authorisation.of(NDC, List.of(NDC), null).purposes());
    assertInvalid(NDC, List.of(OIMP), ISSUANCE, "purpose NDC is not among purposes [OIMP]");
    assertInvalid(OIMP, List.of(NDC), null, "purpose OIMP is not among purposes [NDC]");
  }

  @Test
  void purposesAreNonEmptyKnownAndListedOnce() {
    assertInvalid(null, null, null, "needs purposes");
    assertInvalid(null, null, ISSUANCE, "needs purposes");
    assertInvalid(null, List.of(), null, "at least one");
    assertInvalid(NDC, List.of(), null, "at least one");
    assertInvalid(null, List.of(NDC, NDC), null, "twice");
    assertInvalid(null, List.of(OIMP, OIMP), ISSUANCE, "twice");
    assertInvalid(null, List.of(NDC, OIMP, NDC), ISSUANCE, "twice");
    assertInvalid(null, Arrays.asList(NDC, null), null, "NDC or OIMP");
  }

  @Test
  void everyCombinationIsDecidedByTheRules() {
    List<Purpose> singles = new ArrayList<>(Arrays.asList(Purpose.values()));
    singles.add(null);
    List<List<Purpose>> lists =
        new ArrayList<>(
            List.of(
                List.of(),
                List.of(NDC),
                List.of(OIMP),
                List.of(NDC, OIMP),
                List.of(OIMP, NDC),
                List.of(NDC, NDC)));
    lists.add(null);
    List<FirstTransferDefinition> definitions =
        new ArrayList<>(Arrays.asList(FirstTransferDefinition.values()));
    definitions.add(null);
    int accepted = 0;
    for (Purpose purpose : singles) {
      for (List<Purpose> purposes : lists) {
        for (FirstTransferDefinition d : definitions) {
          boolean valid = expectedValid(purpose, purposes, d);
          if (valid) {
            Article6Authorisation a = Article6Authorisation.of(purpose, purposes, d);
            List<Purpose> effective = purposes != null ? purposes : List.of(purpose);
            assertEquals(effective, a.purposes());
            assertEquals(
                d == null && effective.contains(OIMP) ? ISSUANCE : d, a.firstTransferDefinition());
            accepted++;
          } else {
            assertThrows(
                Invalid.class,
                () -> Article6Authorisation.of(purpose, purposes, d),
                purpose + " " + purposes + " " + d);
          }
        }
      }
    }
    assertEquals(31, accepted, "accepted combinations");
  }

  /** The rules written out once more, independently: what the factory must accept. */
  private static boolean expectedValid(
      Purpose purpose, List<Purpose> purposes, FirstTransferDefinition d) {
    List<Purpose> effective;
    if (purposes == null) {
      if (purpose == null) {
        return false;
      }
      effective = List.of(purpose);
    } else {
      if (purposes.isEmpty()
          || purposes.stream().distinct().count() != purposes.size()
          || (purpose != null && !purposes.contains(purpose))) {
        return false;
      }
      effective = purposes;
    }
    boolean oimp = effective.contains(OIMP);
    if (!oimp) {
      return d == null;
    }
    return d != null || purposes == null;
  }

  private static void assertInvalid(
      Purpose purpose, List<Purpose> purposes, FirstTransferDefinition d, String reason) {
    Invalid e = assertThrows(Invalid.class, () -> Article6Authorisation.of(purpose, purposes, d));
    if (!e.getMessage().contains(reason)) {
      throw new AssertionError(
          "expected a reason containing '" + reason + "', got '" + e.getMessage() + "'");
    }
  }
}
