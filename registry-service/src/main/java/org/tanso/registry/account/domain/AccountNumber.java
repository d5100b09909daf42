package org.tanso.registry.account.domain;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An account number {@code {party}-{type code}-{sequence}-{check digits}}, e.g. {@code
 * JP-100-000042-95}. The check digits are ISO 7064 MOD 97-10 over the rest without separators,
 * letters counting A=10 .. Z=35, as in IBAN: a mistyped digit or two swapped digits fail.
 */
public record AccountNumber(String party, AccountType type, int sequence) {

  private static final Pattern FORMAT = Pattern.compile("([A-Z]{2})-(\\d{3})-(\\d{6})-(\\d{2})");
  private static final BigInteger NINETY_SEVEN = BigInteger.valueOf(97);

  public AccountNumber {
    Objects.requireNonNull(type, "type");
    if (party == null || !party.matches("[A-Z]{2}")) {
      throw new IllegalArgumentException("party must be two capital letters");
    }
    if (sequence < 0 || sequence > 999_999) {
      throw new IllegalArgumentException("sequence out of range");
    }
  }

  /** The number if {@code text} is well-formed with correct check digits, else empty. */
  public static Optional<AccountNumber> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    Optional<AccountType> type = AccountType.ofCode(Integer.parseInt(m.group(2)));
    if (type.isEmpty()) {
      return Optional.empty();
    }
    String body = m.group(1) + m.group(2) + m.group(3);
    if (!checkDigits(body).equals(m.group(4))) {
      return Optional.empty();
    }
    return Optional.of(new AccountNumber(m.group(1), type.get(), Integer.parseInt(m.group(3))));
  }

  public static boolean isValid(String text) {
    return parse(text).isPresent();
  }

  /** Two ISO 7064 MOD 97-10 check digits for {@code body} (letters and digits). */
  static String checkDigits(String body) {
    StringBuilder digits = new StringBuilder();
    for (char c : body.toCharArray()) {
      if (c >= 'A' && c <= 'Z') {
        digits.append(c - 'A' + 10);
      } else {
        digits.append(c);
      }
    }
    digits.append("00");
    int remainder = new BigInteger(digits.toString()).mod(NINETY_SEVEN).intValue();
    return String.format(Locale.ROOT, "%02d", 98 - remainder);
  }

  @Override
  public String toString() {
    String body = party + type.code() + String.format(Locale.ROOT, "%06d", sequence);
    return party
        + "-"
        + type.code()
        + "-"
        + String.format(Locale.ROOT, "%06d", sequence)
        + "-"
        + checkDigits(body);
  }
}
