package org.tanso.issuance.project.domain;

import java.util.Locale;
import java.util.Set;

/** Parties are ISO 3166-1 alpha-2 codes. */
public final class Parties {

  private static final Set<String> CODES = Set.of(Locale.getISOCountries());

  private Parties() {}

  public static boolean isParty(String code) {
    return code != null && CODES.contains(code);
  }
}
