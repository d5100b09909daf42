package org.tanso.registry.account.domain;

import java.util.Locale;
import java.util.Set;

/** Parties are ISO 3166-1 alpha-2 country codes. */
public final class Parties {

  private static final Set<String> CODES = Set.of(Locale.getISOCountries());

  private Parties() {}

  public static boolean isValid(String code) {
    return code != null && code.length() == 2 && CODES.contains(code);
  }
}
