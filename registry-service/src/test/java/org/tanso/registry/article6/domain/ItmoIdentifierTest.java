package org.tanso.registry.article6.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** The ITMO unique identifier: elements (a) to (e) in their fixed order, NA for what is unknown. */
class ItmoIdentifierTest {

  @Test
  void theFiveElementsInOrder() {
    assertEquals(
        "JCM_JP-VN-JP-JCM-JP-JCM-JP-PR1-2025-0001.000042-2025",
        ItmoIdentifier.of("JCM JP-VN", "JP-JCM", "JP", "JCM-JP-PR1-2025-0001", 42, 2025));
  }

  @Test
  void aMissingElementIsNa() {
    assertEquals(
        "NA-JP-JCM-JP-U1.000001-2025", ItmoIdentifier.of(null, "JP-JCM", "JP", "U1", 1, 2025));
    assertEquals(
        "NA-JP-JCM-JP-U1.000001-2025", ItmoIdentifier.of("  ", "JP-JCM", "JP", "U1", 1, 2025));
    assertEquals("A-NA-JP-U1.000001-2025", ItmoIdentifier.of("A", null, "JP", "U1", 1, 2025));
    assertEquals("A-JP-JCM-NA-U1.000001-2025", ItmoIdentifier.of("A", "JP-JCM", "", "U1", 1, 2025));
    assertEquals("NA-NA-NA-U1.000001-2025", ItmoIdentifier.of(null, null, null, "U1", 1, 2025));
  }

  @Test
  void serialsArePaddedToSixDigitsAndNeverCut() {
    assertEquals("A-R-JP-U1.000001-2030", ItmoIdentifier.of("A", "R", "JP", "U1", 1, 2030));
    assertEquals("A-R-JP-U1.999999-2030", ItmoIdentifier.of("A", "R", "JP", "U1", 999_999, 2030));
    assertEquals(
        "A-R-JP-U1.1000000-2030", ItmoIdentifier.of("A", "R", "JP", "U1", 1_000_000, 2030));
    assertEquals(
        "A-R-JP-U1.123456789012-2030",
        ItmoIdentifier.of("A", "R", "JP", "U1", 123_456_789_012L, 2030));
  }

  @Test
  void spacesInAnElementDoNotSplitIt() {
    assertEquals(
        "JCM_Japan_Viet_Nam-JP-JCM-JP-U1.000007-2025",
        ItmoIdentifier.of("JCM Japan Viet Nam", "JP-JCM", "JP", "U1", 7, 2025));
  }

  @Test
  void twoUnitsOfOneRangeDifferOnlyInTheSerial() {
    String first = ItmoIdentifier.of("A", "JP-JCM", "JP", "U1", 1, 2025);
    String last = ItmoIdentifier.of("A", "JP-JCM", "JP", "U1", 100, 2025);
    assertNotEquals(first, last);
    assertEquals(first.replace(".000001-", ".000100-"), last);
  }
}
