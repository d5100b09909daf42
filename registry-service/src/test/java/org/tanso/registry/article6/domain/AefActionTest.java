package org.tanso.registry.article6.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The AEF action types and subtypes the registry's records map to, and the wording of purposes. */
class AefActionTest {

  @Test
  void everyFirstTransferTriggerHasItsOwnSubtype() {
    assertEquals(
        "First transfer to another party",
        AefAction.firstTransfer(FirstTransfer.Trigger.INTERNATIONAL_TRANSFER).subtype());
    assertEquals(
        "At authorization", AefAction.firstTransfer(FirstTransfer.Trigger.AUTHORISATION).subtype());
    assertEquals("At issuance", AefAction.firstTransfer(FirstTransfer.Trigger.ISSUANCE).subtype());
    assertEquals(
        "At use or cancellation",
        AefAction.firstTransfer(FirstTransfer.Trigger.USE_OR_CANCELLATION).subtype());
    Set<AefAction> mapped = EnumSet.noneOf(AefAction.class);
    for (FirstTransfer.Trigger trigger : FirstTransfer.Trigger.values()) {
      AefAction action = AefAction.firstTransfer(trigger);
      assertEquals("First transfer", action.type(), trigger.name());
      mapped.add(action);
    }
    assertEquals(
        FirstTransfer.Trigger.values().length,
        mapped.size(),
        "two triggers report the same subtype: " + mapped);
  }

  @Test
  void aRetirementIsAUseForItsPurpose() {
    assertEquals(AefAction.USE_TOWARDS_NDC, AefAction.use(Purpose.NDC));
    assertEquals(AefAction.USE_FOR_OIMP, AefAction.use(Purpose.OIMP));
    assertEquals("Use", AefAction.use(Purpose.NDC).type());
    assertEquals("Use towards NDC", AefAction.use(Purpose.NDC).subtype());
    assertEquals("Use for OIMP", AefAction.use(Purpose.OIMP).subtype());
  }

  @Test
  void theSevenActionTypesOfTheFormatAndTheirSubtypes() {
    Set<String> types = new LinkedHashSet<>();
    for (AefAction a : AefAction.values()) {
      types.add(a.type());
    }
    assertEquals(
        List.of(
            "Authorization",
            "First transfer",
            "Transfer",
            "Acquisition",
            "Use",
            "Cancellation",
            "Voluntary cancellation"),
        List.copyOf(types));
    assertNull(AefAction.AUTHORIZATION.subtype());
    assertNull(AefAction.TRANSFER.subtype());
    assertNull(AefAction.ACQUISITION.subtype());
    assertNull(AefAction.VOLUNTARY_CANCELLATION.subtype());
    assertEquals("Cancellation", AefAction.CANCELLATION_OMGE.type());
    assertEquals("Mandatory cancellation to deliver OMGE", AefAction.CANCELLATION_OMGE.subtype());
    // each (type, subtype) pair names one action, so totals per pair never mix two
    Set<String> pairs =
        java.util.Arrays.stream(AefAction.values())
            .map(a -> a.type() + "|" + a.subtype())
            .collect(Collectors.toSet());
    assertEquals(AefAction.values().length, pairs.size());
  }

  @Test
  void purposesAreWordedAsTheFormatListsThem() {
    assertEquals("NDC", AefAction.purposes(new Authorisation(Set.of(Purpose.NDC), null)));
    assertEquals(
        "OIMP",
        AefAction.purposes(
            new Authorisation(Set.of(Purpose.OIMP), FirstTransferDefinition.ISSUANCE)));
    assertEquals(
        "NDC and OIMP",
        AefAction.purposes(
            new Authorisation(
                Set.of(Purpose.NDC, Purpose.OIMP), FirstTransferDefinition.AUTHORISATION)));
    // whatever order the host party named them in
    assertEquals(
        "NDC and OIMP",
        AefAction.purposes(Authorisation.of(List.of("OIMP", "NDC"), null, "USE_OR_CANCELLATION")));
    // as stored: the comma-separated text, and the single purpose of older units
    assertEquals(
        "NDC and OIMP", AefAction.purposes(Authorisation.of(null, "NDC,OIMP", "ISSUANCE")));
    assertEquals("OIMP", AefAction.purposes(Authorisation.of(null, "OIMP", null)));
  }
}
