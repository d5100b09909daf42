package org.tanso.registry.unit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitIdentifiersTest {

  private static final String UNIT = "JCM-VN-VN001-2025-0003";

  @Test
  void unitIdOfTheDesignExample() {
    assertEquals("JCM-VN-VN001-2025-0003", UnitIdentifiers.unitId("JCM", "VN", "VN001", 2025, 3));
  }

  @ParameterizedTest
  @CsvSource({
    "A6_4, MN, MN003, 2025, 1, A6_4-MN-MN003-2025-0001",
    "JCM, VN, VN001, 2024, 12, JCM-VN-VN001-2024-0012",
    "JCM, TH, TH_PV02, 2030, 9999, JCM-TH-TH_PV02-2030-9999",
    "JCM, TH, TH_PV02, 2030, 10000, JCM-TH-TH_PV02-2030-10000"
  })
  void unitIdPadsTheIssuanceNumberToFourDigitsOrMore(
      String mechanism, String host, String project, int vintage, int no, String expected) {
    assertEquals(expected, UnitIdentifiers.unitId(mechanism, host, project, vintage, no));
  }

  @Test
  void blockSerialOfTheDesignExample() {
    assertEquals(
        "JCM-VN-VN001-2025-0003-000001-001200", UnitIdentifiers.blockSerial(UNIT, 1, 1200));
  }

  @ParameterizedTest
  @CsvSource({
    "1, 1, -000001-000001",
    "432, 601, -000432-000601",
    "1, 999999, -000001-999999",
    "999999, 999999, -999999-999999",
    "1, 1000000, -0000001-1000000",
    "1, 1234567, -0000001-1234567",
    "1000000, 1234567, -1000000-1234567",
    "42, 12345678901, -00000000042-12345678901"
  })
  void blockSerialPadsBothEndsToTheSameWidthOfSixOrMore(long start, long end, String suffix) {
    assertEquals(UNIT + suffix, UnitIdentifiers.blockSerial(UNIT, start, end));
  }

  @Test
  void blockSerialsOfRandomRangesReadBack() {
    Random random = new Random(1200);
    for (int i = 0; i < 2_000; i++) {
      long end = 1 + (long) (Math.pow(10, random.nextInt(10)) * random.nextDouble());
      long start = 1 + (long) (random.nextDouble() * end);
      start = Math.min(start, end);

      String serial = UnitIdentifiers.blockSerial(UNIT, start, end);

      assertTrue(serial.startsWith(UNIT + "-"), serial);
      String[] ends = serial.substring(UNIT.length() + 1).split("-");
      assertEquals(2, ends.length, serial);
      assertEquals(ends[0].length(), ends[1].length(), "both ends share one width: " + serial);
      assertEquals(Math.max(6, Long.toString(end).length()), ends[1].length(), serial);
      assertTrue(ends[0].matches("[0-9]+") && ends[1].matches("[0-9]+"), serial);
      assertEquals(start, Long.parseLong(ends[0]), serial);
      assertEquals(end, Long.parseLong(ends[1]), serial);
    }
  }
}
