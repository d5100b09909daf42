package org.tanso.registry.unit.domain;

import java.util.Locale;

/** Formats of unit identifiers and block serials. */
public final class UnitIdentifiers {

  private UnitIdentifiers() {}

  /**
   * {@code {mechanism}-{host party}-{project}-{vintage}-{issuance no}}, e.g. {@code
   * JCM-VN-VN001-2025-0003}.
   */
  public static String unitId(
      String mechanism, String hostParty, String project, int vintage, int issuanceNo) {
    return mechanism
        + "-"
        + hostParty
        + "-"
        + project
        + "-"
        + vintage
        + "-"
        + String.format(Locale.ROOT, "%04d", issuanceNo);
  }

  /**
   * {@code {unitId}-{start}-{end}}, serials zero-padded to six digits or more, e.g. {@code
   * ...-000001-001200}.
   */
  public static String blockSerial(String unitId, long start, long end) {
    int width = Math.max(6, Long.toString(end).length());
    return unitId + "-" + pad(start, width) + "-" + pad(end, width);
  }

  private static String pad(long value, int width) {
    String digits = Long.toString(value);
    return "0".repeat(Math.max(0, width - digits.length())) + digits;
  }
}
