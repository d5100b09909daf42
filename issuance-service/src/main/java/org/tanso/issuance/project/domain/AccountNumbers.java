package org.tanso.issuance.project.domain;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * The public account-number format ({@code JP-100-000042-95}: party, type code, sequence, ISO 7064
 * MOD 97-10 check digits), checked here so that a mistyped allocation account is refused when the
 * project is registered rather than when its first issuance fails. Whether the account exists is
 * registry-service's business.
 */
public final class AccountNumbers {

  private static final Pattern FORMAT = Pattern.compile("([A-Z]{2})-([1-6]00)-(\\d{6})-(\\d{2})");
  private static final BigInteger NINETY_SEVEN = BigInteger.valueOf(97);

  private AccountNumbers() {}

  public static boolean isWellFormed(String number) {
    if (number == null || !FORMAT.matcher(number).matches()) {
      return false;
    }
    String body = number.substring(0, 2) + number.substring(3, 6) + number.substring(7, 13);
    StringBuilder digits = new StringBuilder();
    for (char c : body.toCharArray()) {
      digits.append(c >= 'A' && c <= 'Z' ? Integer.toString(c - 'A' + 10) : Character.toString(c));
    }
    int remainder = new BigInteger(digits.append("00").toString()).mod(NINETY_SEVEN).intValue();
    return Integer.parseInt(number.substring(14)) == 98 - remainder;
  }
}
